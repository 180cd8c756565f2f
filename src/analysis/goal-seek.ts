// Goal seek: the least (or greatest) value of a param, or of a multiplier on a series, at
// which a target is met, e.g. the smallest raise for S(24) ≥ 0.9.
//
// Bisection on common random numbers: every evaluation runs the same seed, so the statistic is
// a deterministic, step-wise function of the value (each path flips once as the value crosses
// its own threshold) and bisection converges to a true crossing, with no noise to chase. The
// direction comes from the two ends of the range: the end where the statistic is better is the
// "good" end, and we seek the boundary nearest the other end. A statistic that is not monotone
// in the value still yields a crossing, not necessarily the only one.
//
// The Monte Carlo error leaves a bracket around the answer: the same bisection on
// statistic ± z·SE (z = 2 by default) gives the values at which the target would be reached
// if the estimate were z standard errors optimistic or pessimistic. The true answer (with
// infinitely many paths) lies in [low, high] with roughly the coverage of a ±z interval.

import type { CompiledModel } from "../engine/index.js";
import type { Model } from "../lang/model.js";
import { AnalysisError, listChoices } from "./errors.js";
import { formatAmount, formatEstimate } from "./format.js";
import { paramMarginals } from "./marginals.js";
import { meanWithSe, type Estimate } from "./paired.js";
import { checkFixed, checkLevers, compiledOf, runVariant, variantPaths, type AnalysisRunOptions } from "./run.js";
import { formatTarget, meets, parseAmount, parseTarget, targetSense, type Target } from "./targets.js";

export interface GoalSeekOptions extends AnalysisRunOptions {
  target: Target | string;
  /**
   * A param name; LEVER.PARAM for the value a lever gives a param, with the lever switched on
   * (e.g. "funding.raise_amount"); or SERIES* for a multiplier on a series (e.g. "revenue*").
   */
  vary: string;
  /** [lo, hi] or "LO..HI" (suffixes allowed: "1B..20B"). Default: the param's 0.1–99.9th percentiles. */
  range?: readonly [number, number] | string;
  /** Stop when the bracket is this narrow (default: range width × 1e-4; 1 for integer params). */
  tolerance?: number;
  /** Evaluations per bisection at most (default 60). */
  maxIterations?: number;
  /** Standard errors either side for the bracket (default 2). */
  z?: number;
}

export interface GoalSeekResult {
  /** What was varied, as given ("raise", "revenue*"). */
  param: string;
  /** The boundary value; when unreachable, the value where the statistic came closest. */
  value: number;
  /** The bracket the Monte Carlo error leaves (null: that end lies outside the range). */
  low: number | null;
  high: number | null;
  reached: boolean;
  /** The statistic at `value`, and its standard error. */
  achieved: number;
  achievedSe: number;
  /** "least": larger values help, so this is the least that reaches; "greatest": the reverse. */
  direction: "least" | "greatest";
  target: string;
  range: [number, number];
  z: number;
  evaluations: number;
  paths: number;
  seed: number;
  summary: string;
}

/** A param, or a multiplier on a series; `lever`: the lever whose setting of the param is varied. */
type Vary = { kind: "param"; name: string; lever?: string } | { kind: "series"; name: string };

function parseVary(model: Model, text: string): Vary {
  const params = model.params.map((p) => p.name);
  const series = model.series.map((s) => s.name);
  const choices = () =>
    `expected a param (${listChoices(params, 20)}), a lever's setting LEVER.PARAM, or a series multiplier (${listChoices(
      series.map((s) => s + "*"),
      20,
    )})`;
  const t = text.trim();
  const dot = t.indexOf(".");
  if (dot > 0 && !t.endsWith("*")) {
    // LEVER.PARAM: the value the lever gives the param, with the lever on.
    const leverName = t.slice(0, dot);
    const name = t.slice(dot + 1);
    const lever = model.levers.find((l) => l.name === leverName);
    if (!lever) {
      const known = model.levers.map((l) => l.name);
      throw new AnalysisError(
        "unknown_lever",
        `unknown lever '${leverName}' in --vary '${text}'; ${known.length ? `expected one of ${listChoices(known)}` : "this scenario defines no levers"}`,
      );
    }
    const sets = lever.set.filter((x) => x.body.kind === "formula" && params.includes(x.name)).map((x) => x.name);
    // The param's last words will do when they name one of the lever's params: funding.amount.
    const ending = sets.filter((x) => x.endsWith(`_${name}`));
    if (!sets.includes(name) && ending.length === 1) return { kind: "param", name: ending[0]!, lever: leverName };
    if (!sets.includes(name))
      throw new AnalysisError(
        "unknown_vary",
        sets.length
          ? `lever '${leverName}' does not set a param '${name}'; it sets ${listChoices(sets)}, e.g. --vary ${leverName}.${sets[0]}`
          : `lever '${leverName}' sets no param (only series), so it has no setting to vary`,
      );
    return { kind: "param", name, lever: leverName };
  }
  if (t.endsWith("*")) {
    const name = t.slice(0, -1).trim();
    if (!series.includes(name))
      throw new AnalysisError("unknown_vary", `unknown series '${name}' in --vary '${text}'; ${choices()}`);
    return { kind: "series", name };
  }
  if (params.includes(t)) return { kind: "param", name: t };
  if (series.includes(t))
    throw new AnalysisError(
      "unknown_vary",
      `'${t}' is a series, not a param; write '${t}*' to vary a multiplier on it`,
    );
  throw new AnalysisError("unknown_vary", `unknown param '${t}' in --vary; ${choices()}`);
}

/** Parses "LO..HI" with the scenario language's suffixes. */
export function parseRange(text: string): [number, number] {
  const m = /^\s*(.+?)\s*\.\.\s*(.+?)\s*$/.exec(text);
  const lo = m ? parseAmount(m[1]!) : undefined;
  const hi = m ? parseAmount(m[2]!) : undefined;
  if (lo === undefined || hi === undefined)
    throw new AnalysisError("bad_range", `malformed range '${text}'; expected LO..HI, e.g. 1B..20B or 0.5..2`);
  return [lo, hi];
}

function defaultRange(
  model: Model,
  vary: Vary,
  levers: readonly string[],
): { range: [number, number]; discrete: boolean } {
  if (vary.kind === "series") return { range: [0, 2], discrete: false };
  const { marginals, constants } = paramMarginals(model, levers);
  const mg = marginals.find((x) => x.param === vary.name);
  if (mg) {
    const range: [number, number] = mg.discrete
      ? [mg.quantile(0), mg.quantile(1)]
      : [mg.quantile(0.001), mg.quantile(0.999)];
    if (range.every(Number.isFinite) && range[0] < range[1]) return { range, discrete: mg.discrete };
  }
  const c = constants.get(vary.name);
  if (c !== undefined && c !== 0) return { range: c > 0 ? [0, 2 * c] : [2 * c, 0], discrete: false };
  throw new AnalysisError(
    "no_default_range",
    `cannot choose a range for '${vary.name}' from its formula; give one with --range LO..HI`,
  );
}

/** Seeks the value of a param (or series multiplier) at which the target is met. */
export async function goalSeek(m: Model | CompiledModel, options: GoalSeekOptions): Promise<GoalSeekResult> {
  const compiled = compiledOf(m);
  const model = compiled.model;
  const horizon = options.horizon ?? model.horizon;
  const target = typeof options.target === "string" ? parseTarget(options.target, model, horizon) : options.target;
  const vary = parseVary(model, options.vary);
  const asked = options.levers ?? [];
  const levers = checkLevers(model, vary.kind === "param" && vary.lever ? [...asked, vary.lever] : asked);
  checkFixed(model, options.fixed);
  if (vary.kind === "param" && options.fixed?.[vary.name] !== undefined)
    throw new AnalysisError("bad_vary", `'${vary.name}' is both varied and held fixed; drop it from the held params`);
  const fallback = options.range === undefined ? defaultRange(model, vary, levers) : undefined;
  const range: [number, number] =
    options.range === undefined
      ? fallback!.range
      : typeof options.range === "string"
        ? parseRange(options.range)
        : [options.range[0], options.range[1]];
  const discrete = fallback?.discrete ?? false;
  if (!(Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] < range[1]))
    throw new AnalysisError("bad_range", `the range must have LO < HI, both finite; got ${range[0]}..${range[1]}`);
  if (vary.kind === "series" && range[0] < 0)
    throw new AnalysisError("bad_range", `a series multiplier must be ≥ 0; got ${range[0]}..${range[1]}`);
  const z = options.z ?? 2;
  const tolerance = options.tolerance ?? (discrete ? 1 : (range[1] - range[0]) * 1e-4);
  const maxIterations = options.maxIterations ?? 60;
  const base = { ...options, paths: variantPaths(options, 20_000), seed: options.seed ?? 1, levers };

  const cache = new Map<number, Estimate>();
  const evaluate = async (v: number): Promise<Estimate> => {
    const hit = cache.get(v);
    if (hit) return hit;
    const variant =
      vary.kind === "param"
        ? { fixed: { [vary.name]: v }, capture: [target.output] }
        : { seriesScale: { [vary.name]: v }, capture: [target.output] };
    const run = await runVariant(compiled, base, variant);
    const e = meanWithSe(run.captures[0]!, run.replicates ?? 0);
    cache.set(v, e);
    options.onProgress?.(cache.size, 3 * Math.ceil(Math.log2((range[1] - range[0]) / tolerance)) + 2);
    return e;
  };

  const sense = targetSense(target);
  const [lo, hi] = range;
  const eLo = await evaluate(lo);
  const eHi = await evaluate(hi);
  // The good end: where the statistic is better. On a tie, larger values are assumed to help.
  const direction: "least" | "greatest" = sense * (eLo.value - eHi.value) > 0 ? "greatest" : "least";

  type Pred = (e: Estimate) => boolean;
  const boundary = async (pred: Pred): Promise<number | null> => {
    // Invariant: pred fails at `bad` and holds at `good`; the answer is the good end of the last bracket.
    let good = direction === "least" ? hi : lo;
    let bad = direction === "least" ? lo : hi;
    if (pred(await evaluate(bad))) return bad;
    if (!pred(await evaluate(good))) return null;
    for (let i = 0; i < maxIterations && Math.abs(good - bad) > tolerance; i++) {
      let mid = (good + bad) / 2;
      if (discrete) {
        mid = Math.floor(mid);
        if (mid === Math.min(good, bad)) mid += 1;
        if (mid === good || mid === bad) break;
      }
      if (pred(await evaluate(mid))) good = mid;
      else bad = mid;
    }
    return good;
  };

  const point = await boundary((e) => meets(target, e.value));
  const optimistic = await boundary((e) => meets(target, e.value + sense * z * e.se));
  const pessimistic = await boundary((e) => meets(target, e.value - sense * z * e.se));
  const [low, high] = direction === "least" ? [optimistic, pessimistic] : [pessimistic, optimistic];

  const reached = point !== null;
  const value = reached ? point : sense * (eHi.value - eLo.value) >= 0 ? hi : lo;
  const at = await evaluate(value);
  const result: GoalSeekResult = {
    param: options.vary.trim(),
    value,
    low,
    high,
    reached,
    achieved: at.value,
    achievedSe: at.se,
    direction,
    target: formatTarget(target),
    range,
    z,
    evaluations: cache.size,
    paths: base.paths,
    seed: base.seed,
    summary: "",
  };
  result.summary = summarizeGoalSeek(result);
  return result;
}

const num = (x: number): string => formatAmount(x);

function summarizeGoalSeek(r: GoalSeekResult): string {
  const what = r.param.endsWith("*") ? `multiplier on ${r.param.slice(0, -1)}` : r.param;
  const stat = formatEstimate(r.achieved, r.achievedSe);
  if (!r.reached) {
    // The best value is at one end of the range: only going past that end can help.
    const [lo, hi] = r.range;
    const past =
      r.value === hi
        ? `larger values might: widen the range upward, e.g. --range ${num(lo)}..${num(hi === 0 ? 1 : hi > 0 ? 2 * hi : hi / 2)}`
        : lo === 0
          ? "larger values only do worse"
          : `larger values only do worse; smaller ones might: e.g. --range ${num(lo > 0 ? lo / 2 : 2 * lo)}..${num(hi)}`;
    return (
      `No ${what} in ${num(lo)}..${num(hi)} reaches ${r.target}; the best, at ${num(r.value)}, gives ${stat}.` +
      (r.low !== null ? ` Within ${r.z} SE it might be reached from ${num(r.low)}.` : ` ${upper(past)}.`)
    );
  }
  const bracket = `${r.low === null ? "below the range" : num(r.low)} and ${r.high === null ? "beyond the range" : num(r.high)}`;
  return (
    `The ${r.direction} ${what} that reaches ${r.target} is ${num(r.value)} (gives ${stat}); ` +
    `the Monte Carlo error (±${r.z} SE) leaves it between ${bracket}.`
  );
}

function upper(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
