// Two scenarios side by side on common random numbers: S(t) of each, and their difference with
// its paired standard error.
//
// A draw's stream is keyed by (seed, path, the name of the param or series that draws it, its
// ordinal in the formula), so two scenarios that name a param or series alike give it the same
// draws on path i — two versions of one scenario share almost all of theirs. The difference
// S_other(t) − S_base(t) is then the mean of per-path differences (alive in one, not the
// other), whose error is usually far below the √(se_base² + se_other²) of independent runs;
// a draw the two name differently simply does not cancel, and the paired error says so.

import type { CompiledModel } from "../engine/index.js";
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

export interface ComparedMonth {
  month: number;
  /** S(t) of each scenario with its standard error. */
  base: number;
  baseSe: number;
  other: number;
  otherSe: number;
  /** other − base, paired by path, and the error it would have from independent runs. */
  diff: number;
  se: number;
  unpairedSe: number;
}

export interface CompareResult {
  base: { scenario: string; file: string; start: string };
  other: { scenario: string; file: string; start: string };
  paths: number;
  seed: number;
  horizon: number;
  levers: string[];
  /** Every month 1..horizon. */
  months: ComparedMonth[];
  /** Median runway of each (horizon + 1: more than the horizon). */
  runway: { base: number; other: number };
  /** Shares of paths on which the other scenario's path lasts longer, shorter, or as long. */
  longer: number;
  shorter: number;
  same: number;
  summary: string[];
}

function medianOf(deaths: ArrayLike<number>): number {
  const sorted = Float64Array.from(deaths).sort();
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/** Runs both scenarios on the same seed and paths and compares their survival path by path. */
export async function compareScenarios(
  base: Model | CompiledModel,
  other: Model | CompiledModel,
  options: AnalysisRunOptions = {},
): Promise<CompareResult> {
  const a = compiledOf(base);
  const b = compiledOf(other);
  const levers = options.levers ?? [];
  for (const m of [a.model, b.model]) {
    // Name the scenario: the two may define different levers and params.
    try {
      checkLevers(m, levers);
      checkFixed(m, options.fixed);
    } catch (e) {
      if (e instanceof AnalysisError) throw new AnalysisError(e.code, `${m.scenario.file}: ${e.message}`, e.hint);
      throw e;
    }
  }
  const horizon = options.horizon ?? Math.min(a.model.horizon, b.model.horizon);
  const run = { ...options, paths: variantPaths(options, 100_000), seed: options.seed ?? 1, levers, horizon };
  const capture = [{ kind: "runway" as const }];
  const ra = await runVariant(a, run, { capture });
  options.onProgress?.(1, 2);
  const rb = await runVariant(b, run, { capture });
  options.onProgress?.(2, 2);
  const da = ra.captures[0]!;
  const db = rb.captures[0]!;
  const paired = pairedSurvival(db, da, horizon, ra.replicates ?? 0);
  const months: ComparedMonth[] = paired.map((p, k) => {
    const sa = ra.survival[k]!;
    const sb = rb.survival[k]!;
    return {
      month: p.month,
      base: sa.alive,
      baseSe: sa.se,
      other: sb.alive,
      otherSe: sb.se,
      diff: p.diff,
      se: p.se,
      unpairedSe: Math.hypot(sa.se, sb.se),
    };
  });
  let longer = 0;
  let shorter = 0;
  for (let i = 0; i < da.length; i++) {
    if (db[i]! > da[i]!) longer++;
    else if (db[i]! < da[i]!) shorter++;
  }
  const n = da.length;
  const result: CompareResult = {
    base: { scenario: a.model.scenario.name, file: a.model.scenario.file, start: ra.start },
    other: { scenario: b.model.scenario.name, file: b.model.scenario.file, start: rb.start },
    paths: n,
    seed: run.seed,
    horizon,
    levers: [...levers],
    months,
    runway: { base: medianOf(da), other: medianOf(db) },
    longer: longer / n,
    shorter: shorter / n,
    same: (n - longer - shorter) / n,
    summary: [],
  };
  result.summary = summarizeComparison(result);
  return result;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function summarizeComparison(r: CompareResult): string[] {
  const out: string[] = [];
  const last = r.months[r.months.length - 1]!;
  const pp = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)} pp`;
  out.push(
    `At month ${last.month}, S is ${pct(last.base)} for the base and ${pct(last.other)} for the other: ` +
      `${pp(last.diff)} ± ${(196 * last.se).toFixed(1)} (paired, 95%)` +
      (last.se > 0 && last.unpairedSe > 0
        ? `, an error ${(last.unpairedSe / last.se).toFixed(1)}× smaller than independent runs would leave.`
        : "."),
  );
  out.push(
    `The other scenario's path lasts longer on ${pct(r.longer)} of paths, shorter on ${pct(r.shorter)}, as long on ${pct(r.same)}; ` +
      `median runway ${formatMonthsOrMore(r.runway.base, r.horizon)} → ${formatMonthsOrMore(r.runway.other, r.horizon)}.`,
  );
  if (r.base.start !== r.other.start)
    out.push(
      `The two start in different months (${r.base.start}, ${r.other.start}): month t is compared with month t.`,
    );
  return out;
}
