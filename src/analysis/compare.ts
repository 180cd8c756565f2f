// Several scenarios side by side on common random numbers: S(t) of each, and each one's
// difference from the first (the base) with its paired standard error.
//
// A draw's stream is keyed by (seed, path, the name of the param or series that draws it, its
// ordinal in the formula), so two scenarios that name a param or series alike give it the same
// draws on path i — two versions of one scenario share almost all of theirs. The difference
// S_other(t) − S_base(t) is then the mean of per-path differences (alive in one, not the
// other), whose error is usually far below the √(se_base² + se_other²) of independent runs.
// Scenarios that share no draw site (two different companies, say) are simply independent
// runs: the per-path estimate of the difference's error is still right, and the result says
// that nothing was paired (`shared` is empty), so no report claims a pairing that is not there.

import { intervalZ } from "../engine/stats/index.js";
import type { CompiledModel, SurvivalPoint } from "../engine/index.js";
import { isRandomCall } from "../lang/builtins.js";
import type { Model } from "../lang/model.js";
import { AnalysisError } from "./errors.js";
import { formatMonthsOrMore } from "./format.js";
import { meanWithSe } from "./paired.js";
import { checkFixed, checkLevers, compiledOf, runVariant, variantPaths, type AnalysisRunOptions } from "./run.js";

/** S_a(t) − S_b(t) at one month, paired by path, with its standard error. */
export interface PairedPoint {
  month: number;
  diff: number;
  se: number;
}

/**
 * S_a(t) − S_b(t) for t = 1..horizon from per-path death months (horizon + 1: alive at the
 * horizon) of two runs on the same seed and paths, paired by path.
 */
export function pairedSurvival(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  horizon: number,
  replicates = 0,
): PairedPoint[] {
  const n = Math.min(a.length, b.length);
  const out: PairedPoint[] = [];
  if (replicates > 0) {
    // rqmc and lhs: the standard error of the per-replicate differences.
    const d = new Float64Array(n);
    for (let t = 1; t <= horizon; t++) {
      for (let i = 0; i < n; i++) d[i] = (a[i]! > t ? 1 : 0) - (b[i]! > t ? 1 : 0);
      const e = meanWithSe(d, replicates);
      out.push({ month: t, diff: e.value, se: e.se });
    }
    return out;
  }
  for (let t = 1; t <= horizon; t++) {
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const d = (a[i]! > t ? 1 : 0) - (b[i]! > t ? 1 : 0);
      sum += d;
      sumSq += d * d;
    }
    const mean = sum / n;
    const variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
    out.push({ month: t, diff: mean, se: Math.sqrt(Math.max(0, variance) / n) });
  }
  return out;
}

/** One scenario of a comparison. */
export interface ComparedScenario {
  scenario: string;
  file: string;
  start: string;
  /** S(t) for t = 1..horizon, with its standard error and 95% interval. */
  survival: SurvivalPoint[];
  /** Median runway (horizon + 1: more than the horizon). */
  runway: number;
}

export interface DifferenceMonth {
  month: number;
  /** S_other(t) − S_base(t), paired by path, and the error independent runs would leave. */
  diff: number;
  se: number;
  unpairedSe: number;
}

/** One scenario against the base, path by path. */
export interface ComparedDifference {
  /** Index of the scenario in `scenarios` (1 and up; 0 is the base). */
  other: number;
  /**
   * The params and series that draw random numbers in both (by name): where these are the
   * draws that matter, the difference is paired; empty when the two runs are independent.
   */
  shared: string[];
  months: DifferenceMonth[];
  /** Shares of paths on which the other scenario's path lasts longer, shorter, or as long. */
  longer: number;
  shorter: number;
  same: number;
}

export interface CompareResult {
  /** The base first, then the others, in the order given. */
  scenarios: ComparedScenario[];
  /** One per scenario after the base. */
  differences: ComparedDifference[];
  paths: number;
  seed: number;
  horizon: number;
  levers: string[];
  /** The runs' replicates (rqmc, lhs), null for mc: what the intervals' ± is (intervalZ). */
  replicates: number | null;
  summary: string[];
}

function medianOf(deaths: ArrayLike<number>): number {
  const sorted = Float64Array.from(deaths).sort();
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/** True when an expression (or anything built of expressions) contains a random draw. */
function draws(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object") continue;
    const kind = (node as { kind?: unknown }).kind;
    if (kind === "range") return true;
    if (kind === "call" && isRandomCall((node as { callee: string }).callee)) return true;
    for (const [key, value] of Object.entries(node)) if (key !== "span" && typeof value === "object") stack.push(value);
  }
  return false;
}

/** Names of the params and series whose formulas draw random numbers: the model's draw sites. */
export function drawOwners(model: Model): Set<string> {
  const owners = new Set<string>();
  for (const p of model.params) if (draws(p.expr)) owners.add(p.name);
  for (const s of model.series) {
    const { name: _name, nameSpan: _span, ...body } = s;
    if (draws(body)) owners.add(s.name);
  }
  return owners;
}

/** Runs every scenario on the same seed and paths and compares each with the first, path by path. */
export async function compareScenarios(
  models: readonly (Model | CompiledModel)[],
  options: AnalysisRunOptions = {},
): Promise<CompareResult> {
  if (models.length < 2) throw new AnalysisError("bad_option", "compare needs at least two scenarios");
  const compiled = models.map(compiledOf);
  const levers = options.levers ?? [];
  for (const { model } of compiled) {
    // Name the scenario: they may define different levers and params.
    try {
      checkLevers(model, levers);
      checkFixed(model, options.fixed);
    } catch (e) {
      if (e instanceof AnalysisError) throw new AnalysisError(e.code, `${model.scenario.file}: ${e.message}`, e.hint);
      throw e;
    }
  }
  const horizon = options.horizon ?? Math.min(...compiled.map((c) => c.model.horizon));
  const run = { ...options, paths: variantPaths(options, 100_000), seed: options.seed ?? 1, levers, horizon };
  const capture = [{ kind: "runway" as const }];
  const runs: Awaited<ReturnType<typeof runVariant>>[] = [];
  for (const [k, c] of compiled.entries()) {
    runs.push(await runVariant(c, run, { capture }));
    options.onProgress?.(k + 1, compiled.length);
  }
  const deaths = runs.map((r) => r.captures[0]!);
  const scenarios: ComparedScenario[] = compiled.map((c, k) => ({
    scenario: c.model.scenario.name,
    file: c.model.scenario.file,
    start: runs[k]!.start,
    survival: runs[k]!.survival.slice(0, horizon),
    runway: medianOf(deaths[k]!),
  }));
  const baseOwners = drawOwners(compiled[0]!.model);
  const differences = compiled.slice(1).map((c, j): ComparedDifference => {
    const k = j + 1;
    const a = deaths[0]!;
    const b = deaths[k]!;
    const months = pairedSurvival(b, a, horizon, runs[0]!.replicates ?? 0).map((p, m) => ({
      ...p,
      unpairedSe: Math.hypot(scenarios[0]!.survival[m]!.se, scenarios[k]!.survival[m]!.se),
    }));
    let longer = 0;
    let shorter = 0;
    for (let i = 0; i < a.length; i++) {
      if (b[i]! > a[i]!) longer++;
      else if (b[i]! < a[i]!) shorter++;
    }
    const n = a.length;
    const shared = [...drawOwners(c.model)].filter((name) => baseOwners.has(name)).sort();
    return { other: k, shared, months, longer: longer / n, shorter: shorter / n, same: (n - longer - shorter) / n };
  });
  const result: CompareResult = {
    scenarios,
    differences,
    paths: deaths[0]!.length,
    seed: run.seed,
    horizon,
    levers: [...levers],
    replicates: runs[0]!.replicates ?? null,
    summary: [],
  };
  result.summary = summarizeComparison(result);
  return result;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const pp = (x: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)} pp`;

/** How a scenario is named in sentences: its name, or its file where names repeat. */
export function scenarioLabels(scenarios: readonly ComparedScenario[]): string[] {
  const names = scenarios.map((s) => s.scenario);
  return scenarios.map((s, k) =>
    names.indexOf(s.scenario) !== k || names.lastIndexOf(s.scenario) !== k ? `${s.scenario} (${s.file})` : s.scenario,
  );
}

function summarizeComparison(r: CompareResult): string[] {
  const out: string[] = [];
  const labels = scenarioLabels(r.scenarios);
  const base = r.scenarios[0]!;
  const at = r.horizon;
  for (const d of r.differences) {
    const other = r.scenarios[d.other]!;
    const last = d.months.at(-1)!;
    const head =
      `At month ${at}, S is ${pct(base.survival[at - 1]!.alive)} for ${labels[0]} and ` +
      `${pct(other.survival[at - 1]!.alive)} for ${labels[d.other]}: ${pp(last.diff)} ± ${(100 * intervalZ(r.replicates) * last.se).toFixed(1)}`;
    if (d.shared.length === 0)
      out.push(`${head} (95%; the two share no draws, so this is the error of independent runs).`);
    else
      out.push(
        `${head} (paired, 95%)` +
          (last.se > 0 && last.unpairedSe / last.se >= 1.2
            ? `, an error ${(last.unpairedSe / last.se).toFixed(1)}× smaller than independent runs would leave.`
            : last.se > 0
              ? `; the draws the two share barely move the outcome, so pairing gains little.`
              : "."),
      );
    if (d.shared.length > 0)
      out.push(
        `  ${labels[d.other]}'s path lasts longer on ${pct(d.longer)} of paths, shorter on ${pct(d.shorter)}, as long on ${pct(d.same)}; ` +
          `median runway ${formatMonthsOrMore(base.runway, r.horizon)} → ${formatMonthsOrMore(other.runway, r.horizon)}.`,
      );
    else
      out.push(
        `  median runway ${formatMonthsOrMore(base.runway, r.horizon)} → ${formatMonthsOrMore(other.runway, r.horizon)}.`,
      );
  }
  const starts = new Set(r.scenarios.map((s) => s.start));
  if (starts.size > 1)
    out.push(
      `The scenarios start in different months (${r.scenarios.map((s) => s.start).join(", ")}): month t is compared with month t.`,
    );
  return out;
}
