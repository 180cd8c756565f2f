import assert from "node:assert/strict";
import { test } from "node:test";
import { formatRunJson, JSON_SIGNIFICANT_DIGITS } from "../../src/report/json.js";
import { fixtureResult } from "./fixture.js";

const documentedKeys = [
  "scenario",
  "file",
  "start",
  "paths",
  "seed",
  "sampling",
  "replicates",
  "horizon",
  "levers",
  "survival",
  "runway",
  "shortfall",
  "breakEven",
  "series",
  "quantileMethod",
];

test("json: keys in the documented order, captures dropped", () => {
  const withCaptures = { ...fixtureResult(), captures: [new Float64Array(3)] };
  const parsed = JSON.parse(formatRunJson(withCaptures)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), documentedKeys);
});

test("json: key order does not depend on the input's order", () => {
  const r = fixtureResult();
  const shuffled = Object.fromEntries(Object.entries(r).reverse()) as unknown as typeof r;
  assert.equal(formatRunJson(shuffled), formatRunJson(r));
});

test("json: non-integers rounded to the stated significant digits, non-finite to null", () => {
  const r = fixtureResult();
  r.runway.mean = 24.12345678901234;
  r.series["cash"]![0]!.mean = NaN;
  const parsed = JSON.parse(formatRunJson(r)) as ReturnType<typeof fixtureResult>;
  assert.equal(parsed.runway.mean, Number((24.12345678901234).toPrecision(JSON_SIGNIFICANT_DIGITS)));
  assert.equal(parsed.series["cash"]![0]!.mean, null);
  assert.equal(parsed.paths, 1000);
});

test("json: two-space indentation, as JSON.stringify(x, null, 2)", () => {
  const text = formatRunJson(fixtureResult());
  assert.equal(text, JSON.stringify(JSON.parse(text), null, 2));
});
