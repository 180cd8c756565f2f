// The compiler's lever pass: variants chosen by the mask, edits, and lever-free params.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chooseCode, editCode, editsOf, leverFreeParams, variantsOf } from "../../../src/engine/compile/levers.js";
import { model } from "../model.js";

const M = model(`name: x
start: 2024-07
horizon: 3
params:
  a: normal(1, 0.1)
  b: a * 2
  c: uniform(0, 1)
  d: c + 1
  e: 5
series:
  cash: { start: 1, change: a + b + c + d + e }
alive: cash >= 0
levers:
  one:
    label: One
    set: { c: 0.5, cash: { start: 2, change: 1 } }
  two:
    label: Two
    set: { c: 0.7 }
    add: { e: 1, cash: 3 }
`);

test("variantsOf: the latest lever first, the base last; editsOf: in lever order", () => {
  const c = M.params.find((p) => p.name === "c")!;
  assert.deepEqual(
    variantsOf(M, "c", { kind: "formula", expr: c.expr }).map((v) => v.bit),
    [1, 0, -1],
  );
  assert.deepEqual(
    variantsOf(M, "a", { kind: "formula", expr: M.params[0]!.expr }).map((v) => v.bit),
    [-1],
  );
  assert.deepEqual(
    editsOf(M, "cash").map((e) => [e.lever, e.op, e.bit]),
    [["two", "add", 1]],
  );
});

test("chooseCode tests each lever's bit in turn and falls back to the base", () => {
  assert.equal(chooseCode([{ bit: -1 }], ["B"]), "B");
  assert.equal(
    chooseCode([{ bit: 2 }, { bit: 0 }, { bit: -1 }], ["X", "Y", "B"]),
    "((mask & 4) !== 0 ? X : ((mask & 1) !== 0 ? Y : B))",
  );
  // The code runs: under mask 5, lever 2 wins; under 1, lever 0; under 0, the base.
  const f = new Function("mask", `return ${chooseCode([{ bit: 2 }, { bit: 0 }, { bit: -1 }], ["'X'", "'Y'", "'B'"])};`);
  assert.deepEqual([f(5), f(1), f(0)], ["X", "Y", "B"]);
  assert.equal(
    editCode({ bit: 3, op: "scale", expr: M.params[0]!.expr, lever: "l" }, "e0", "2"),
    "if ((mask & 8) !== 0) e0 = e0 * (2);",
  );
});

test("leverFreeParams: not set, not edited, reading only lever-free params", () => {
  // c is set by levers, d reads c, e is edited: a and b are drawn alike under every combination.
  assert.deepEqual(leverFreeParams(M), ["a", "b"]);
});
