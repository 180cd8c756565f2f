import assert from "node:assert/strict";
import { test } from "node:test";
import { estimateSobol, sampleSaltelli } from "../../src/analysis/sobol.js";
import { Stream, seedWords, siteId } from "../../src/engine/rng.js";
import { expectInInterval } from "./helpers.js";

// Ishigami (a = 7, b = 0.1) on x ∈ U(−π, π)³; closed-form indices from Saltelli et al. (2008),
// "Global Sensitivity Analysis: The Primer", §4.8 (V = a²/8 + bπ⁴/5 + b²π⁸/18 + ½ = 13.8446).
const ISHIGAMI = { S: [0.3139, 0.4424, 0], ST: [0.5576, 0.4424, 0.2437] };
const ishigami = (x1: number, x2: number, x3: number): number =>
  Math.sin(x1) + 7 * Math.sin(x2) ** 2 + 0.1 * x3 ** 4 * Math.sin(x1);

test("Saltelli/Jansen estimators recover the Ishigami indices within their bootstrap intervals", () => {
  // A 99.9% interval (4000 replicates) keeps the false-alarm rate of six checks near 0.6%.
  const n = 20000;
  const u = (p: number): number => -Math.PI + 2 * Math.PI * p;
  const { A, B } = sampleSaltelli([u, u, u], ["x1", "x2", "x3"], n, 7);
  const f = (cols: Float64Array[]): Float64Array =>
    Float64Array.from({ length: n }, (_, j) => ishigami(cols[0]![j]!, cols[1]![j]!, cols[2]![j]!));
  const fAB = [0, 1, 2].map((i) => f(A.map((col, c) => (c === i ? B[i]! : col))));
  const est = estimateSobol(f(A), f(B), fAB, { bootstrap: 4000, confidence: 0.999, seed: 1 });
  est.forEach((e, i) => {
    expectInInterval(ISHIGAMI.S[i]!, e.firstLow, e.firstHigh, `S${i + 1} = ${e.first}`);
    expectInInterval(ISHIGAMI.ST[i]!, e.totalLow, e.totalHigh, `ST${i + 1} = ${e.total}`);
  });
});

test("the bootstrap weights rows by their draw counts: the same intervals as resampling the rows", () => {
  // Reference: each replicate resamples rows by index (the same seeded draws the estimator
  // makes) and sums the estimators' terms row by row. The estimator instead sums each row's
  // term once, weighted by its count, in another order: equal to rounding (1e-9 relative).
  const n = 500;
  const replicates = 200;
  let s = 11;
  const rnd = (): number => ((s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 0) / 4294967296;
  const fA = Float64Array.from({ length: n }, () => rnd() * 3);
  const fB = Float64Array.from({ length: n }, () => rnd() * 3);
  // One input changes every row, one some rows, one none: the three ways rows are summed.
  const fAB = [fA.map((x) => x + rnd()), fA.map((x) => (rnd() < 0.2 ? x + 1 : x)), fA.slice()];
  const est = estimateSobol(fA, fB, fAB, { bootstrap: replicates, confidence: 0.9, seed: 3 });

  let center = 0;
  for (let j = 0; j < n; j++) center += fA[j]! + fB[j]!;
  center /= 2 * n;
  const indices = (rows: number[]): { first: number[]; total: number[] } => {
    let sum = 0;
    let sq = 0;
    for (const j of rows) {
      sum += fA[j]! - center + (fB[j]! - center);
      sq += (fA[j]! - center) ** 2 + (fB[j]! - center) ** 2;
    }
    const mean = sum / (2 * n);
    const variance = sq / (2 * n) - mean * mean;
    const first: number[] = [];
    const total: number[] = [];
    for (const f of fAB) {
      let v = 0;
      let vt = 0;
      for (const j of rows) {
        v += (fB[j]! - center) * (f[j]! - fA[j]!);
        vt += (f[j]! - fA[j]!) ** 2;
      }
      first.push(v / n / variance);
      total.push(vt / (2 * n) / variance);
    }
    return { first, total };
  };
  const point = indices(Array.from({ length: n }, (_, j) => j));
  const [seedLo, seedHi] = seedWords(3);
  const site = siteId("analysis/sobol-bootstrap", 0);
  const stream = new Stream();
  const reps = Array.from({ length: replicates }, (_, b) => {
    stream.reset(seedLo, seedHi, b, site, 0);
    return indices(Array.from({ length: n }, () => Math.floor(stream.uniform() * n)));
  });
  const quantile = (xs: number[], p: number): number => {
    const sorted = [...xs].sort((a, b) => a - b);
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo]! + (h - lo) * (sorted[Math.min(sorted.length - 1, lo + 1)]! - sorted[lo]!);
  };
  const close = (a: number, b: number, what: string): void =>
    assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
  est.forEach((e, i) => {
    const firsts = reps.map((r) => r.first[i]!);
    const totals = reps.map((r) => r.total[i]!);
    close(e.first, point.first[i]!, `S${i}`);
    close(e.total, point.total[i]!, `ST${i}`);
    close(e.firstLow, quantile(firsts, 0.05), `S${i} low`);
    close(e.firstHigh, quantile(firsts, 0.95), `S${i} high`);
    close(e.totalLow, quantile(totals, 0.05), `ST${i} low`);
    close(e.totalHigh, quantile(totals, 0.95), `ST${i} high`);
  });
  assert.equal(est[2]!.total, 0);
  assert.ok(est[0]!.totalHigh > est[0]!.totalLow, "a varying input has an interval of some width");
});
