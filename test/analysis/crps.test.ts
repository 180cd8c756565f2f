import assert from "node:assert/strict";
import { test } from "node:test";
import { crpsSorted, percentileOf, quantileSorted, sortedSample } from "../../src/analysis/crps.js";

function naiveCrps(xs: number[], y: number): number {
  const n = xs.length;
  let a = 0;
  let b = 0;
  for (const x of xs) a += Math.abs(x - y);
  for (const x of xs) for (const z of xs) b += Math.abs(x - z);
  return a / n - b / (2 * n * n);
}

test("sorted CRPS equals the O(n²) energy form", () => {
  const xs = Array.from(
    { length: 200 },
    (_, i) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453),
  );
  const s = sortedSample(xs);
  for (const y of [-1, 0, 0.37, 0.5, 2]) {
    const want = naiveCrps(xs, y);
    assert.ok(Math.abs(crpsSorted(s, y) - want) < 1e-12, `y = ${y}: ${crpsSorted(s, y)} vs ${want}`);
  }
});

test("CRPS of a point forecast is the absolute error", () => {
  assert.equal(crpsSorted(sortedSample([5, 5, 5]), 7), 2);
  assert.equal(crpsSorted(sortedSample([5]), 5), 0);
});

test("CRPS of a uniform sample matches the closed form", () => {
  // F = U(0, 1), y inside: CRPS = y² − y + 1/3 (integral of (F − 1{x ≥ y})²). The sample is the n-point
  // grid (i + ½)/n, whose CRPS differs from the continuous one by O(1/n²).
  const n = 1000;
  const s = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);
  for (const y of [0.1, 0.5, 0.8]) assert.ok(Math.abs(crpsSorted(s, y) - (y * y - y + 1 / 3)) < 1e-6);
});

test("percentiles are mid-ranks; NaN is dropped", () => {
  const s = sortedSample([1, 2, 2, 3, NaN]);
  assert.equal(s.length, 4);
  assert.equal(percentileOf(s, 0), 0);
  assert.equal(percentileOf(s, 2), 0.5);
  assert.equal(percentileOf(s, 2.5), 0.75);
  assert.equal(percentileOf(s, 9), 1);
  assert.equal(quantileSorted(s, 0.5), 2);
  assert.equal(quantileSorted(sortedSample([0, 10]), 0.25), 2.5);
});
