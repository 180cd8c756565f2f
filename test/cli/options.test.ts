import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../../src/cli/errors.js";
import { maybeHorizon, maybeLevers, maybePaths, maybePrecision, maybeSeed, parseCount } from "../../src/cli/options.js";

const testCount = (text: string, expected: number | undefined) =>
  test(`options: parseCount('${text}') = ${expected}`, () => assert.equal(parseCount(text), expected));
testCount("1000", 1000);
testCount("1e6", 1e6);
testCount("1_000_000", 1e6);
testCount("100k", 1e5);
testCount("2.5M", 2.5e6);
testCount("1B", 1e9);
testCount("1__0", undefined);
testCount("_1", undefined);
testCount("-5", undefined);
testCount("ten", undefined);
testCount("", undefined);

const testUsage = (name: string, f: () => unknown, message: RegExp) =>
  test(`options: ${name}`, () => assert.throws(f, (e: unknown) => e instanceof UsageError && message.test(e.message)));
testUsage("paths must be whole", () => maybePaths("1.5"), /whole number of paths.*got '1\.5'/);
testUsage("paths must be positive", () => maybePaths("0"), /got '0'/);
testUsage("paths above the engine's limit", () => maybePaths("2e9"), /from 1 to 100,000,000/);
testUsage("seed not negative", () => maybeSeed("-1"), /--seed, got '-1'/);
testUsage("seed below 2^53", () => maybeSeed("1e16"), /below 2\^53/);
testUsage("horizon within 1..1200", () => maybeHorizon("1201"), /1 to 1200/);
testUsage("precision in (0, 0.5)", () => maybePrecision("0"), /between 0 and 0\.5/);
testUsage(
  "unknown lever lists the choices",
  () => maybeLevers("a,zz", ["a", "b"]),
  /unknown lever 'zz'; expected one of a, b/,
);

test("options: defaults and accepted forms", () => {
  assert.equal(maybePaths(undefined), 100_000);
  assert.equal(maybePaths("100k"), 100_000);
  assert.equal(maybeSeed("0"), 0);
  assert.equal(maybePrecision("0.2%"), 0.002);
  assert.deepEqual(maybeLevers(" a , b,a", ["a", "b"]), ["a", "b"]);
});
