// Which assumptions drive an output: a tornado and variance-based (Sobol) indices.
//
// Tornado: each param with a distribution of its own is held at its 10th and then its 90th
// percentile on every path while the others stay random (one-at-a-time, on common random
// numbers); the bar is the output's mean at each end. Cheap (2k + 1 runs) and easy to read,
// but blind to interactions. The params correlated with the held one are drawn given it: from
// the scenario's Gaussian copula conditioned on the held param's normal score Φ⁻¹(p), the same
// conditional draws at both ends.
//
// Sobol: the Saltelli scheme (sobol.ts) with the params' own distributions sampled by inverse
// transform and passed to the engine as per-path values: one run of 2N paths for A and B (A on
// paths 0..N−1, B on N..2N−1, so their month-to-month noise is independent) and one run of N
// paths per param for A_B^i (on A's paths, sharing A's noise). (k + 2)·N path evaluations.
//
// Correlated params (`correlations:`) are not separate inputs: moving one moves the others'
// distribution. Params linked by correlations (directly or through each other) form one group,
// sampled jointly through the scenario's own Gaussian copula in A and B and swapped together in
// A_B^g; the groups are independent of each other, so the Saltelli estimators give each group's
// first-order and total index (Jacques, Lavergne & Devictor 2006, "Sensitivity analysis in
// presence of model uncertainty and correlated inputs", Reliab. Eng. Syst. Saf. 91). A
// correlation with a param that is not analysed (held, or left out by `params`) is dropped:
// the analysed one is sampled from its own distribution.

import { intervalZ } from "../engine/stats/index.js";
import {
  cholesky,
  copulaCorrelation,
  copulaFactor,
  normalCdf,
  normalQuantile,
  seedWords,
  siteId,
  Stream,
  type CompiledModel,
} from "../engine/index.js";
import type { Capture } from "../engine/options.js";
import type { CorrelationDef, Model } from "../lang/model.js";
import { AnalysisError, listChoices } from "./errors.js";
import { paramMarginals, paramsReaching, type Marginal, type Skipped } from "./marginals.js";
import { meanWithSe, pairedDifference } from "./paired.js";
import { checkFixed, checkLevers, compiledOf, runVariant, variantPaths, type AnalysisRunOptions } from "./run.js";
import { estimateSobol, sampleSaltelli, type SobolEstimate } from "./sobol.js";
import { formatOutput, parseOutput } from "./targets.js";
import { formatAmount } from "./format.js";

export interface SensitivityOptions extends AnalysisRunOptions {
  /** alive@T, runway, shortfall or SERIES@T. */
  output: Capture | string;
  /** Only these params (default: every param with a distribution of its own). */
  params?: readonly string[];
  /** Percentiles of the tornado's two ends (default [0.1, 0.9]). */
  tornadoPercentiles?: readonly [number, number];
  /** Rows N of each Sobol sample matrix (default 8192); the run costs (k + 2)·N paths. */
  sobolPaths?: number;
  /** Bootstrap replicates for the Sobol intervals (default 1000). */
  bootstrap?: number;
  /** Coverage of the Sobol intervals (default 0.95). */
  confidence?: number;
}

export interface TornadoBar {
  param: string;
  /** The output's mean with the param at its 10th percentile, and at its 90th. */
  low: number;
  high: number;
  /** The param's value at those percentiles. */
  lowValue: number;
  highValue: number;
  /** high − low, with its paired standard error. */
  swing: number;
  swingSe: number;
  /** Params correlated with this one, drawn given its value at each end. */
  given: string[];
}

export interface TornadoResult {
  output: string;
  /** The output's mean with every param random, and its standard error. */
  base: number;
  baseSe: number;
  paths: number;
  seed: number;
  /** The 95% intervals' half-width in standard errors (intervalZ: Student's t over the replicates, or 1.96). */
  z95: number;
  /** Sorted by |swing|, largest first. */
  tornado: TornadoBar[];
  skipped: Skipped[];
}

/** The Sobol indices of a param, or of a group of correlated params, with their intervals. */
export interface SobolRow extends SobolEstimate {
  /** The param, or the group's params joined by " + ". */
  param: string;
  /** The params varied together: one, or a correlated group in param order. */
  params: string[];
}

export interface SobolResult {
  output: string;
  /** Rows of each sample matrix. */
  n: number;
  seed: number;
  confidence: number;
  /** Variance of the output over the A and B rows. */
  variance: number;
  /** In param order (a group where its first param is). */
  sobol: SobolRow[];
  skipped: Skipped[];
}

export interface SensitivityResult {
  output: string;
  tornado: TornadoBar[];
  sobol: SobolRow[];
  base: number;
  baseSe: number;
  /** The tornado's 95% intervals' half-width in standard errors (intervalZ). */
  z95: number;
  paths: number;
  sobolPaths: number;
  seed: number;
  confidence: number;
  skipped: Skipped[];
  /** Plain sentences: what drives the output most. */
  summary: string[];
}

function setup(
  m: Model | CompiledModel,
  options: SensitivityOptions,
): {
  compiled: CompiledModel;
  output: Capture;
  marginals: Marginal[];
  /** Every param with a marginal that is not held, analysed or not. */
  random: Marginal[];
  skipped: Skipped[];
  levers: string[];
} {
  const compiled = compiledOf(m);
  const model = compiled.model;
  const levers = checkLevers(model, options.levers ?? []);
  const output =
    typeof options.output === "string"
      ? parseOutput(options.output, model, options.horizon ?? model.horizon)
      : options.output;
  checkFixed(model, options.fixed);
  const held = Object.keys(options.fixed ?? {});
  const all = paramMarginals(model, levers);
  const random = all.marginals.filter((mg) => !held.includes(mg.param));
  let marginals = random;
  let skipped = all.skipped;
  if (options.params) {
    const names = model.params.map((p) => p.name);
    for (const name of options.params) {
      if (!names.includes(name))
        throw new AnalysisError("unknown_param", `unknown param '${name}'; expected one of ${listChoices(names, 40)}`);
      const why = all.skipped.find((s) => s.param === name);
      if (why) throw new AnalysisError("param_not_random", `param '${name}' cannot be analysed: it is ${why.reason}`);
    }
    marginals = marginals.filter((mg) => options.params!.includes(mg.param));
    skipped = skipped.filter((s) => options.params!.includes(s.param));
  } else {
    // Params the output cannot depend on would cost two tornado runs and a Sobol run each for a 0.
    const reach = paramsReaching(model, levers, output);
    const state = levers.length ? `with ${levers.join(" + ")} on` : "with no lever on";
    for (const mg of marginals.filter((x) => !reach.has(x.param)))
      skipped.push({ param: mg.param, reason: `cannot move ${formatOutput(output)} ${state}`, inert: true });
    marginals = marginals.filter((mg) => reach.has(mg.param));
  }
  if (marginals.length === 0)
    throw new AnalysisError(
      "no_random_params",
      `no param of '${model.scenario.name}' has a distribution of its own to vary` +
        (skipped.length ? ` (${skipped.map((s) => `${s.param}: ${s.reason}`).join("; ")})` : ""),
    );
  return { compiled, output, marginals, random, skipped: skipped.filter((s) => s.reason !== "a constant"), levers };
}

/** Tornado: each param at its 10th then 90th percentile, the others random (2k + 1 runs). */
export async function tornado(m: Model | CompiledModel, options: SensitivityOptions): Promise<TornadoResult> {
  const { compiled, output, marginals, random, skipped, levers } = setup(m, options);
  const [pLow, pHigh] = options.tornadoPercentiles ?? [0.1, 0.9];
  if (!(pLow > 0 && pLow < pHigh && pHigh < 1))
    throw new AnalysisError(
      "bad_percentiles",
      `tornado percentiles must satisfy 0 < low < high < 1, got ${pLow}, ${pHigh}`,
    );
  const base = { ...options, paths: variantPaths(options, 20_000), seed: options.seed ?? 1, levers };
  const total = 1 + 2 * marginals.length;
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
  const baseRun = await runVariant(compiled, base, { capture: [output] });
  const reps = baseRun.replicates ?? 0;
  tick();
  const bars: TornadoBar[] = [];
  const pairs = compiled.model.scenario.correlations;
  const groups = correlatedGroups(
    random.map((mg) => mg.param),
    pairs,
  );
  for (const mg of marginals) {
    const lowValue = mg.quantile(pLow);
    const highValue = mg.quantile(pHigh);
    const h = random.indexOf(mg);
    const partners = groups
      .find((g) => g.members.includes(h))!
      .members.filter((c) => c !== h)
      .map((c) => random[c]!);
    const drawAt = partners.length ? drawGiven(mg.param, partners, pairs, base) : undefined;
    const end = async (p: number, value: number): Promise<Float64Array> => {
      const variant = { fixed: { [mg.param]: value }, capture: [output] };
      const given = drawAt ? { paramValues: drawAt(p) } : {};
      const r = await runVariant(compiled, base, { ...variant, ...given });
      tick();
      return r.captures[0]!;
    };
    const lo = await end(pLow, lowValue);
    const hi = await end(pHigh, highValue);
    const swing = pairedDifference(lo, hi, reps);
    bars.push({
      param: mg.param,
      low: meanWithSe(lo, reps).value,
      high: meanWithSe(hi, reps).value,
      lowValue,
      highValue,
      swing: swing.value,
      swingSe: swing.se,
      given: partners.map((x) => x.param),
    });
  }
  bars.sort((a, b) => Math.abs(b.swing) - Math.abs(a.swing));
  const b = meanWithSe(baseRun.captures[0]!, reps);
  return {
    output: formatOutput(output),
    base: b.value,
    baseSe: b.se,
    paths: base.paths,
    seed: base.seed,
    z95: intervalZ(reps),
    tornado: bars,
    skipped,
  };
}

/** Sobol first-order and total indices with bootstrap intervals ((k + 2)·N path evaluations). */
export async function sobolIndices(m: Model | CompiledModel, options: SensitivityOptions): Promise<SobolResult> {
  const { compiled, output, marginals, skipped, levers } = setup(m, options);
  const n = options.sobolPaths ?? 8192;
  const seed = options.seed ?? 1;
  const confidence = options.confidence ?? 0.95;
  if (!(Number.isInteger(n) && n >= 16))
    throw new AnalysisError("bad_paths", `Sobol needs at least 16 rows per sample matrix, got ${n}`);
  const names = marginals.map((mg) => mg.param);
  const groups = correlatedGroups(names, compiled.model.scenario.correlations);
  const grouped = new Set(groups.filter((g) => g.members.length > 1).flatMap((g) => g.members));
  // A correlated param is sampled as a uniform here and mapped through the copula below.
  const { A, B } = sampleSaltelli(
    marginals.map((mg, i) => (grouped.has(i) ? (p: number) => p : (p: number) => mg.quantile(p))),
    names,
    n,
    seed,
  );
  for (const g of groups)
    if (g.members.length > 1)
      for (const M of [A, B]) correlate(M, g, marginals, compiled.model.scenario.correlations, names);
  const total = 1 + groups.length;
  const run = { ...options, seed, levers };

  const ab: Record<string, Float64Array> = {};
  names.forEach((name, i) => {
    const col = new Float64Array(2 * n);
    col.set(A[i]!, 0);
    col.set(B[i]!, n);
    ab[name] = col;
  });
  // The A/B design draws its own params (Saltelli's matrices) on plain Monte Carlo paths.
  const both = (
    await runVariant(compiled, { ...run, paths: 2 * n }, { paramValues: ab, capture: [output], sampling: "mc" })
  ).captures[0]!;
  options.onProgress?.(1, total);
  const fA = both.slice(0, n);
  const fB = both.slice(n);
  const fAB: Float64Array[] = [];
  for (const [k, g] of groups.entries()) {
    const values: Record<string, Float64Array> = {};
    names.forEach((name, c) => (values[name] = g.members.includes(c) ? B[c]! : A[c]!));
    fAB.push(
      (await runVariant(compiled, { ...run, paths: n }, { paramValues: values, capture: [output], sampling: "mc" }))
        .captures[0]!,
    );
    options.onProgress?.(k + 2, total);
  }
  const est = estimateSobol(fA, fB, fAB, { bootstrap: options.bootstrap ?? 1000, confidence, seed });
  let s = 0;
  let ss = 0;
  for (let j = 0; j < 2 * n; j++) {
    s += both[j]!;
    ss += both[j]! * both[j]!;
  }
  const mean = s / (2 * n);
  return {
    output: formatOutput(output),
    n,
    seed,
    confidence,
    variance: ss / (2 * n) - mean * mean,
    sobol: est.map((e, k) => {
      const params = groups[k]!.members.map((c) => names[c]!);
      return { param: params.join(" + "), params, ...e };
    }),
    skipped,
  };
}

/** Analysed params (indices into `names`) linked by correlations; every param is in exactly one group. */
interface InputGroup {
  members: number[];
}

/** The connected components of the correlation graph over `names`, ordered by their first param. */
function correlatedGroups(names: readonly string[], pairs: readonly CorrelationDef[]): InputGroup[] {
  const parent = names.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (const c of pairs) {
    const a = names.indexOf(c.a);
    const b = names.indexOf(c.b);
    if (a >= 0 && b >= 0) parent[Math.max(root(a), root(b))] = Math.min(root(a), root(b));
  }
  const groups = new Map<number, number[]>();
  names.forEach((_, i) => {
    const r = root(i);
    groups.set(r, [...(groups.get(r) ?? []), i]);
  });
  return [...groups.values()].map((members) => ({ members }));
}

/**
 * Replaces a group's columns of uniforms (in (0, 1)) by correlated values, row by row:
 * independent normals Φ⁻¹(u), times the copula's Cholesky factor, back to uniforms by Φ, then
 * each param's own quantile function — what the kernel does with its own draws.
 */
function correlate(
  M: Float64Array[],
  g: InputGroup,
  marginals: readonly Marginal[],
  pairs: readonly CorrelationDef[],
  names: readonly string[],
): void {
  const L = copulaFactor(
    g.members.map((c) => names[c]!),
    pairs,
  );
  // The scenario compiled, so its whole correlation matrix is positive definite, and so is every group's.
  if (L === undefined) throw new Error("internal: a correlated group's matrix is not positive definite");
  const k = g.members.length;
  const z = new Float64Array(k);
  for (let j = 0; j < M[0]!.length; j++) {
    for (let a = 0; a < k; a++) z[a] = normalQuantile(M[g.members[a]!]![j]!);
    for (let a = 0; a < k; a++) {
      let x = 0;
      for (let b = 0; b <= a; b++) x += L[a]![b]! * z[b]!;
      const u = Math.min(Math.max(normalCdf(x), 2 ** -53), 1 - 2 ** -53);
      M[g.members[a]!]![j] = marginals[g.members[a]!]!.quantile(u);
    }
  }
}

/**
 * Per-path values of the params correlated with `held`, drawn given `held` at its p-quantile:
 * their copula normals are N(r·s, R − r·rᵀ) with s = Φ⁻¹(p), r their correlations with `held`
 * and R their own matrix. The seeded normals behind them are made once and shared by every p
 * (both ends of a bar).
 */
function drawGiven(
  held: string,
  partners: readonly Marginal[],
  pairs: readonly CorrelationDef[],
  run: { paths: number; seed: number },
): (p: number) => Record<string, Float64Array> {
  const R = copulaCorrelation([held, ...partners.map((x) => x.param)], pairs);
  const r = R.slice(1).map((row) => row[0]!);
  const L = cholesky(R.slice(1).map((row, i) => row.slice(1).map((x, j) => x - r[i]! * r[j]!)));
  // A Schur complement of a positive definite matrix (the scenario compiled) is positive definite.
  if (L === undefined) throw new Error("internal: a conditional copula matrix is not positive definite");
  const [seedLo, seedHi] = seedWords(run.seed);
  const stream = new Stream();
  const z = partners.map((x) => {
    const site = siteId(`analysis/tornado/${x.param}`, 0);
    const col = new Float64Array(run.paths);
    for (let j = 0; j < run.paths; j++) {
      stream.reset(seedLo, seedHi, j, site, 0);
      col[j] = normalQuantile(stream.uniformOpen0() * (1 - 2 ** -53));
    }
    return col;
  });
  return (p) => {
    const s = normalQuantile(p);
    const out: Record<string, Float64Array> = {};
    partners.forEach((x, a) => {
      const col = new Float64Array(run.paths);
      for (let j = 0; j < run.paths; j++) {
        let v = r[a]! * s;
        for (let b = 0; b <= a; b++) v += L[a]![b]! * z[b]![j]!;
        col[j] = x.quantile(Math.min(Math.max(normalCdf(v), 2 ** -53), 1 - 2 ** -53));
      }
      out[x.param] = col;
    });
    return out;
  };
}

/** Tornado and Sobol indices for one output. */
export async function analyzeSensitivity(
  m: Model | CompiledModel,
  options: SensitivityOptions,
): Promise<SensitivityResult> {
  const compiled = compiledOf(m);
  const t = await tornado(compiled, options);
  const s = await sobolIndices(compiled, options);
  return {
    output: t.output,
    tornado: t.tornado,
    sobol: s.sobol,
    base: t.base,
    baseSe: t.baseSe,
    z95: t.z95,
    paths: t.paths,
    sobolPaths: s.n,
    seed: t.seed,
    confidence: s.confidence,
    skipped: t.skipped,
    summary: summarizeSensitivity(t, s),
  };
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

function summarizeSensitivity(t: TornadoResult, s: SobolResult): string[] {
  const out: string[] = [];
  const top = t.tornado.slice(0, 3).filter((b) => Math.abs(b.swing) > 2 * b.swingSe);
  if (top.length)
    out.push(
      `Largest swings of ${t.output} (10th → 90th percentile): ` +
        top.map((b) => `${b.param} ${formatAmount(b.low, 3)} → ${formatAmount(b.high, 3)}`).join("; ") +
        ".",
    );
  const byTotal = [...s.sobol].sort((a, b) => b.total - a.total);
  const firstSum = s.sobol.reduce((a, r) => a + r.first, 0);
  if (byTotal.length && s.variance > 0) {
    out.push(
      `Share of the variance of ${s.output} (total index, with interactions): ` +
        byTotal
          .slice(0, 5)
          .map((r) => `${r.param} ${pct(r.total)} [${pct(r.totalLow)}, ${pct(r.totalHigh)}]`)
          .join("; ") +
        ".",
    );
    out.push(
      `First-order indices add up to ${pct(firstSum)}: the rest is interactions between params` +
        (s.skipped.some((x) => !x.inert) ? ", the params not analysed," : "") +
        " and the month-to-month noise.",
    );
  } else if (s.variance === 0) out.push(`${s.output} does not vary: there is nothing to apportion.`);
  return out;
}
