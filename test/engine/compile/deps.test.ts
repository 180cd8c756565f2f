// Pass 1 of the compiler: dependency analysis and where each subexpression is computed.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  carriedSeries,
  carries,
  DEP_FIXED,
  DEP_P,
  DEP_T,
  dependsOn,
  placement,
} from "../../../src/engine/compile/deps.js";
import { parseFormula } from "../../../src/lang/index.js";
import { model } from "../model.js";

const names = {
  paramIndex: new Map([["a", 0]]),
  seriesIndex: new Map([
    ["s", 0],
    ["cash", 1],
  ]),
};
const expr = (text: string) => parseFormula(text).expr!;
const flags = (text: string) => dependsOn(expr(text), names);

test("dependsOn: constants, the month, the path, and what is never hoisted", () => {
  assert.equal(flags("2 * pi + 3"), 0);
  assert.equal(flags("1.03 ^ t"), DEP_T);
  assert.equal(flags("month"), DEP_T);
  assert.equal(flags("log(1 - a)"), DEP_P);
  assert.equal(flags("a * t"), DEP_T | DEP_P);
  // Series, draws and stateful calls are fixed where they stand.
  for (const text of ["s + 1", "normal(0, 1)", "2M to 3M", "decay(0.1)", "event(0.1, 5)", "prev(s)"])
    assert.equal(flags(text) & DEP_FIXED, DEP_FIXED, text);
});

test("placement: folded, a table by month, once per path, or in the month loop", () => {
  const at = (text: string, inMonth = true) => placement(expr(text), flags(text), inMonth);
  assert.equal(at("2 * 3"), "fold");
  assert.equal(at("2"), "inline"); // a literal is already as cheap as it gets
  assert.equal(at("1.03 ^ t"), "month-table");
  assert.equal(at("1 - a"), "path");
  assert.equal(at("a"), "inline"); // a leaf is not worth a variable
  assert.equal(at("a * t"), "inline");
  assert.equal(at("s * 2"), "inline");
  // Outside the month loop nothing is hoisted, but constants still fold.
  assert.equal(at("1.03 ^ t", false), "inline");
  assert.equal(at("2 * 3", false), "fold");
});

test("carries: the series whose non-finite value makes the expression's non-finite", () => {
  const c = (text: string) => [...carries(expr(text), names.seriesIndex)].sort();
  assert.deepEqual(c("s - cash * 2"), [0, 1]);
  assert.deepEqual(c("-s"), [0]);
  assert.deepEqual(c("s / cash"), [0]); // x / ∞ is 0
  assert.deepEqual(c("exp(s) + (s > 1)"), []); // exp(−∞) is 0; comparisons are 0 or 1
});

test("carriedSeries: a series carried by another under every lever", () => {
  const m = model(`name: x
start: 2024-07
horizon: 3
series:
  rev: 10
  cost: 4
  other: 1
  cash: { start: 1, change: rev - cost }
  ratio: other / rev
alive: cash >= 0
levers:
  l:
    label: L
    set: { cash: { start: 1, change: rev } }
`);
  const idx = new Map(m.series.map((s, k) => [s.name, k]));
  // rev is carried by cash under both bodies, other by ratio (its numerator);
  // cost is carried only when the lever is off, so it stays tested.
  assert.deepEqual([...carriedSeries(m, idx, new Map())].sort(), [idx.get("other"), idx.get("rev")].sort());
  // A series whose log is tracked carries nothing.
  assert.deepEqual([...carriedSeries(m, idx, new Map([[idx.get("ratio")!, 0]]))], [idx.get("rev")]);
});
