import { test } from "node:test";
import { estimateSobol, sampleSaltelli } from "../../src/analysis/sobol.js";
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
