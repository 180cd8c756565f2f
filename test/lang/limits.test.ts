// The size bounds (src/lang/limits.ts): every stage works on a formula exactly at the depth
// bound (parser, checker, compiler, compiled kernel, interpreter, both printers), one level
// more is `too_deep` at the first token past the bound, and the file size, param and series
// bounds are diagnostics at the first thing past them. The inputs that used to crash live in
// the broken corpus (test/fixtures/broken/too-*.yaml).

import assert from "node:assert/strict";
import { test } from "node:test";
import { compileModel, interpret, simulateInProcess } from "../../src/engine/index.js";
import { checkText, formatExpr, parseFormula, printExpr } from "../../src/lang/index.js";
import {
  MAX_FORMULA_DEPTH,
  MAX_PARAMS,
  MAX_SCHEDULE_ENTRIES,
  MAX_SERIES,
  MAX_SOURCE_BYTES,
} from "../../src/lang/limits.js";

const D = MAX_FORMULA_DEPTH;

/** Formulas of exactly `levels` levels, one shape per way of nesting. */
const SHAPES: Record<string, (levels: number) => string> = {
  parentheses: (n) => "(".repeat(n) + "t" + ")".repeat(n),
  sum: (n) =>
    Array(n + 1)
      .fill("t")
      .join(" + "),
  negation: (n) => "-".repeat(n) + "t",
  power: (n) => ["t", ...Array(n).fill("1")].join("^"),
  calls: (n) => "abs(".repeat(n) + "t" + ")".repeat(n),
  product: (n) => Array(n).fill("prev(x)").join(" * "),
  // Two levels a step: a sign or an operator, and a parenthesis.
  mixed: (n) =>
    Array.from({ length: n / 2 }, (_, i) => (i % 2 === 0 ? "-(" : "1 + (")).join("") + "t" + ")".repeat(n / 2),
};

function scenario(formula: string): string {
  return `name: deep\nstart: 2024-01\nhorizon: 3\nseries:\n  x: { start: 1, next: "${formula}" }\n  cash: { start: 1B, change: x - x }\nalive: cash >= 0\n`;
}

for (const [shape, make] of Object.entries(SHAPES)) {
  test(`a ${shape} formula at the depth bound passes every stage; one level more is too_deep`, () => {
    const r = checkText(scenario(make(D)), "deep.yaml");
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message),
      [],
    );
    const m = r.model!;
    const x = m.series.find((s) => s.name === "x")!;
    assert.equal(x.kind, "next");
    if (x.kind !== "next") return;
    const expr = x.next;
    // Both printers, and the infix printer parses back to the same tree.
    const printed = printExpr(expr);
    assert.equal(printExpr(parseFormula(formatExpr(expr)).expr!), printed);
    const c = compileModel(m, { exact: true });
    assert.deepEqual(c.diagnostics, []);
    const run = simulateInProcess(c, {
      paths: 4,
      seed: 1,
      report: [],
      capture: [{ kind: "series", name: "x", month: 3 }],
    });
    const slow = interpret(m, { seed: 1, firstPath: 0, paths: 4 });
    const k = m.series.indexOf(x);
    for (let p = 0; p < 4; p++) assert.equal(run.captures![0]![p], slow.values[k]![p * 3 + 2]);

    const deeper = checkText(scenario(make(D + (shape === "mixed" ? 2 : 1))), "deep.yaml");
    assert.equal(deeper.model, undefined);
    assert.deepEqual(
      deeper.diagnostics.map((d) => d.code),
      ["too_deep"],
    );
  });
}

test("the caret of too_deep is on the first token past the bound", () => {
  const sum = Array(D + 5)
    .fill("t")
    .join("+");
  const d = parseFormula(sum).diagnostics[0]!;
  assert.equal(d.code, "too_deep");
  // t+t+…: the (D+1)th '+' makes the (D+1)th level.
  assert.equal(d.span.start.column, 2 * (D + 1));
  const parens = "(".repeat(D + 5) + "t" + ")".repeat(D + 5);
  assert.equal(parseFormula(parens).diagnostics[0]!.span.start.column, D + 1);
});

function many(kind: "params" | "series", n: number): string {
  const lines = [`name: many\nstart: 2024-01\nhorizon: 2\n${kind}:`];
  for (let i = 0; i < n; i++) lines.push(kind === "params" ? `  p${i}: ${i}` : `  s${i}: t`);
  if (kind === "params") lines.push("series:");
  lines.push("  cash: { start: 1, change: 0 }\nalive: cash >= 0\n");
  return lines.join("\n");
}

test("one param past MAX_PARAMS is too_many_params on the first one past", () => {
  const r = checkText(many("params", MAX_PARAMS + 1), "many.yaml");
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  assert.deepEqual(
    errors.map((d) => [d.code, d.span.start.line]),
    [["too_many_params", MAX_PARAMS + 5]],
  );
});

test("one series past MAX_SERIES is too_many_series on the first one past", () => {
  const r = checkText(many("series", MAX_SERIES), "many.yaml"); // cash is number MAX_SERIES + 1
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  assert.deepEqual(errors.map((d) => [d.code, d.span.start.line]).slice(0, 1), [["too_many_series", MAX_SERIES + 5]]);
});

test("a text larger than MAX_SOURCE_BYTES is too_large, pointing at the first character past it", () => {
  const text = "name: big\n#" + "x".repeat(MAX_SOURCE_BYTES);
  const r = checkText(text, "big.yaml");
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.span.start.offset]),
    [["too_large", MAX_SOURCE_BYTES]],
  );
});

test("a report list naming one series 50,000 times reports it once, with one warning", () => {
  const text = `name: r\nstart: 2024-01\nhorizon: 2\nseries:\n  cash: { start: 1, change: 0 }\nalive: cash >= 0\nreport: [${Array(50_000).fill("cash").join(", ")}]\n`;
  const r = checkText(text, "r.yaml");
  assert.deepEqual(r.model!.reported, ["cash"]);
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ["duplicate_report"],
  );
});

function scheduleScenario(entries: number, value: string): string {
  const lines = [`name: s\nstart: 2024-01\nhorizon: 3\nseries:\n  x:\n    between: linear\n    schedule:`];
  for (let i = 1; i <= entries; i++) lines.push(`      ${i}: "${value}"`);
  lines.push("  cash: { start: 1B, change: x - x }\nalive: cash >= 0\n");
  return lines.join("\n");
}

test("a schedule of MAX_SCHEDULE_ENTRIES entries of the deepest values passes every stage; one more is too_deep", () => {
  const deep = SHAPES.sum!(D);
  const r = checkText(scheduleScenario(MAX_SCHEDULE_ENTRIES, deep), "s.yaml");
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message),
    [],
  );
  const m = r.model!;
  const c = compileModel(m, { exact: true });
  const run = simulateInProcess(c, {
    paths: 2,
    seed: 1,
    report: [],
    capture: [{ kind: "series", name: "x", month: 2 }],
  });
  const slow = interpret(m, { seed: 1, firstPath: 0, paths: 2 });
  // Month 2 is entry 2's value, (D + 1)·t = 2(D + 1).
  assert.equal(run.captures![0]![0], 2 * (D + 1));
  assert.equal(slow.values[0]![1], 2 * (D + 1));
  const x = m.series.find((s) => s.name === "x")!;
  if (x.kind === "formula") assert.ok(printExpr(x.expr).length > 0);
  const more = checkText(scheduleScenario(MAX_SCHEDULE_ENTRIES + 1, "t"), "s.yaml");
  assert.deepEqual(
    more.diagnostics.map((d) => [d.code, d.span.start.line]),
    [["too_deep", 8 + MAX_SCHEDULE_ENTRIES]],
  );
});
