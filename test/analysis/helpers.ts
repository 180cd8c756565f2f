// Shared by the analysis tests: statistical checks state their standard error and multiplier.
import assert from "node:assert/strict";

/** Asserts |actual − expected| ≤ z·se and says how many SEs off the value was. */
export function expectWithinSE(
  actual: number,
  expected: number,
  se: number,
  { z }: { z: number },
  what = "value",
): void {
  const off = Math.abs(actual - expected) / se;
  assert.ok(
    off <= z || (se === 0 && actual === expected),
    `${what}: ${actual} is ${off.toFixed(2)} SE from ${expected} (se ${se}, allowed z = ${z})`,
  );
}

/** Asserts lo ≤ expected ≤ hi. */
export function expectInInterval(expected: number, lo: number, hi: number, what = "value"): void {
  assert.ok(lo <= expected && expected <= hi, `${what}: expected ${expected} in [${lo}, ${hi}]`);
}
