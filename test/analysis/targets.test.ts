import assert from "node:assert/strict";
import { test } from "node:test";
import { AnalysisError } from "../../src/analysis/errors.js";
import { formatTarget, meets, parseAmount, parseOutput, parseTarget } from "../../src/analysis/targets.js";

function testTarget(text: string, expected: string): void {
  assert.equal(formatTarget(parseTarget(text)), expected, text);
}

function testFail(text: string, code: string, message: RegExp): void {
  assert.throws(
    () => parseTarget(text),
    (e: unknown) => e instanceof AnalysisError && e.code === code && message.test(e.message),
    text,
  );
}

test("targets parse with suffixes and all four operators", () => {
  testTarget("alive@24 >= 0.9", "alive@24 >= 0.9");
  testTarget("alive@24>=90%", "alive@24 >= 0.9");
  testTarget(" cash@12 > 2B ", "cash@12 > 2B");
  testTarget("shortfall <= 500M", "shortfall <= 500M");
  testTarget("runway < 18", "runway < 18");
  testTarget("cash@3 >= -1e9", "cash@3 >= -1B");
});

test("amounts take K M B T % and underscores", () => {
  assert.equal(parseAmount("1_200"), 1200);
  assert.equal(parseAmount("2.5k"), 2500);
  assert.equal(parseAmount("4%"), 0.04);
  assert.equal(parseAmount("1T"), 1e12);
  assert.equal(parseAmount("lots"), undefined);
});

test("meets compares in the target's direction", () => {
  assert.equal(meets(parseTarget("alive@24 >= 0.9"), 0.9), true);
  assert.equal(meets(parseTarget("alive@24 > 0.9"), 0.9), false);
  assert.equal(meets(parseTarget("shortfall < 5"), 4), true);
});

test("malformed targets name the problem and the valid forms", () => {
  testFail("alive@24 = 0.9", "bad_target", /expected OUTPUT OP NUMBER.*alive@T, runway, shortfall or SERIES@T/);
  testFail("alive@24 >= high", "bad_target", /expected a number after '>=' in target 'alive@24 >= high', got 'high'/);
  testFail("alive@24 >= 1.5", "bad_target", /probability; expected 0..1/);
  testFail("alive@0 >= 0.5", "bad_output", /whole month ≥ 1/);
  testFail("burn rate >= 3", "bad_output", /unknown output 'burn rate'/);
});

test("outputs are checked against the model's series and horizon", () => {
  const model = {
    series: [{ name: "cash" }, { name: "revenue" }],
    horizon: 36,
    shortfall: "cash",
  } as unknown as Parameters<typeof parseOutput>[1];
  assert.deepEqual(parseOutput("cash@36", model), { kind: "series", name: "cash", month: 36 });
  assert.throws(
    () => parseOutput("csh@3", model),
    /expected alive@T, runway, shortfall or one of the series cash@T or revenue@T/,
  );
  assert.throws(() => parseOutput("alive@37", model), /beyond the horizon; expected 1..36/);
});
