import assert from "node:assert/strict";
import { test } from "node:test";
import { FactorialAccumulator, meanWithSe, pairedDifference } from "../../src/analysis/paired.js";

test("meanWithSe on a 0/1 sample gives √(S(1 − S)/n)", () => {
  const xs = [1, 1, 1, 0];
  const e = meanWithSe(xs);
  assert.equal(e.value, 0.75);
  assert.ok(Math.abs(e.se - Math.sqrt((0.75 * 0.25) / 4)) < 1e-15);
});

test("paired differences cancel what the variants share", () => {
  // Each path has its own level; variant b adds exactly 2: the paired SE is 0.
  const a = Float64Array.from([3, 10, -4, 7]);
  const b = a.map((x) => x + 2);
  assert.deepEqual(pairedDifference(a, b), { value: 2, se: 0 });
});

test("factorial effects recover main effects and the interaction of a known response", () => {
  // y = 1 + 2a + 3b + 4ab + c·0 + e_i, a, b, c ∈ {0, 1}: main effect of a is 2 + 4·½ = 4 (averaged over
  // b), of b is 3 + 2 = 5, of c is 0; interaction ab = y11 − y10 − y01 + y00 = 4, the others 0. The
  // per-path noise e_i is common to every combination, so all SEs are 0.
  const n = 5;
  const acc = new FactorialAccumulator(3, n);
  for (let mask = 0; mask < 8; mask++) {
    const a = mask & 1;
    const b = (mask >> 1) & 1;
    acc.add(
      mask,
      Float64Array.from({ length: n }, (_, i) => 1 + 2 * a + 3 * b + 4 * a * b + Math.sin(i)),
    );
  }
  const got = acc.finish().map((e) => [e.factors.join(""), +e.value.toFixed(12), +e.se.toFixed(12)]);
  assert.deepEqual(got, [
    ["0", 4, 0],
    ["1", 5, 0],
    ["2", 0, 0],
    ["01", 4, 0],
    ["02", 0, 0],
    ["12", 0, 0],
  ]);
});

test("a factorial needs every combination", () => {
  const acc = new FactorialAccumulator(2, 1);
  acc.add(0, [1]);
  assert.throws(() => acc.finish(), /internal: 1 of 4 combinations/);
});
