import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  checkText,
  closestNames,
  editDistance,
  loadScenarioText,
  printExpr,
  type Diagnostic,
  type Expr,
  type Model,
} from "../../src/lang/index.js";

const HEAD = "name: t\nstart: 2024-07\nhorizon: 12\n";

function modelOf(text: string): Model {
  const r = checkText(text, "x.yaml");
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  assert.deepEqual(
    errors.map((d) => d.message),
    [],
  );
  return r.model!;
}

function diagnosticsOf(text: string): Diagnostic[] {
  return checkText(text, "x.yaml").diagnostics;
}

/** Asserts one diagnostic with this code, its line:column, message fragment and hint fragment. */
function testDiagnostic(text: string, code: string, at: string, message: string, hint?: string): void {
  const d = diagnosticsOf(text).find((x) => x.code === code);
  assert.ok(d, `no ${code} in ${JSON.stringify(diagnosticsOf(text).map((x) => x.code))}`);
  assert.equal(`${d.span.start.line}:${d.span.start.column}`, at, d.message);
  assert.ok(d.message.includes(message), d.message);
  if (hint !== undefined) assert.ok(d.hint?.includes(hint), `hint '${d.hint}' lacks '${hint}'`);
}

test("the ok fixture loads into a model", () => {
  const text = readFileSync(new URL("../fixtures/ok/openai-mini.yaml", import.meta.url), "utf8");
  const r = checkText(text, "openai-mini.yaml");
  assert.ok(r.model, r.diagnostics.map((d) => d.message).join("; "));
  const m = r.model;
  assert.equal(m.horizon, 36);
  assert.deepEqual(m.scenario.start, { year: 2024, month: 7 });
  assert.deepEqual(m.reported, ["cash", "revenue"]);
  assert.equal(m.shortfall, "cash");
  assert.deepEqual(
    m.series.map((s) => s.name),
    ["revenue", "inference", "funding", "cash"],
  );
  assert.deepEqual(
    m.levers.map((l) => [l.name, l.set.map((s) => s.name)]),
    [
      ["cheaper_compute", ["inference"]],
      ["big_raise", ["raise"]],
    ],
  );
  assert.deepEqual(
    m.scenario.correlations.map((c) => [c.a, c.b, c.rho]),
    [
      ["growth", "cost_decline", -0.3],
      ["growth", "raise", 0.2],
    ],
  );
  const raise = m.params.find((p) => p.name === "raise")!;
  assert.equal(raise.source, "info");
  assert.equal(raise.unit, "USD");
  assert.equal(printExpr(raise.expr), "(to 2e9 1e10)");
  assert.deepEqual(
    m.scenario.actuals.map((a) => [a.series ?? a.event, a.value]),
    [
      ["revenue", 3.7e9],
      ["alive", 1],
    ],
  );
  assert.equal(m.scenario.sources[0]!.id, "info");
  // Only the builtin-shadowing warning for `growth`.
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ["shadows_builtin"],
  );
});

test("series are ordered by same-month dependencies, prev adds none", () => {
  const m = modelOf(
    HEAD + "series:\n  c: { start: 0, next: a + b }\n  b: a * 2\n  a: { start: 1, next: prev(c) + 1 }\nalive: c > 0\n",
  );
  assert.deepEqual(
    m.series.map((s) => s.name),
    ["a", "b", "c"],
  );
  assert.deepEqual(m.reported, ["c", "b", "a"]);
  assert.equal(m.shortfall, undefined);
});

test("params are ordered by dependencies", () => {
  const m = modelOf(HEAD + "params:\n  b: a * 2\n  a: normal(0, 1)\nseries:\n  cash: b + t\nalive: cash > 0\n");
  assert.deepEqual(
    m.params.map((p) => p.name),
    ["a", "b"],
  );
});

test("the order is valid with every lever on", () => {
  // Base: y reads x. With the lever on, x reads z; z must come before x in the one order.
  const m = modelOf(
    HEAD + "series:\n  y: x + 1\n  x: 5\n  z: 3\nalive: y > 0\nlevers:\n  l:\n    label: L\n    set: { x: z * 2 }\n",
  );
  const order = m.series.map((s) => s.name);
  assert.ok(order.indexOf("z") < order.indexOf("x") && order.indexOf("x") < order.indexOf("y"), order.join(" "));
});

test("formula spans point into the file, quoted or not, YAML numbers too", () => {
  const text = HEAD + 'params:\n  a: "normal(1, 2)"\n  b: 0.5\n  c: -3\nseries:\n  cash: a + b + c\nalive: cash > 0\n';
  const m = modelOf(text);
  const a = m.scenario.params[0]!.expr as Extract<Expr, { kind: "call" }>;
  assert.deepEqual([a.args[1]!.span.start.line, a.args[1]!.span.start.column], [5, 17]);
  const b = m.scenario.params[1]!.expr;
  assert.deepEqual([b.kind, b.span.start.line, b.span.start.column, b.span.end.column], ["number", 6, 6, 9]);
  assert.equal(printExpr(m.scenario.params[2]!.expr), "(- 3)");
});

test("loadScenarioText returns no scenario when a file has errors", () => {
  const r = loadScenarioText(HEAD + "series:\n  cash: (1 +\nalive: cash > 0\n", "x.yaml");
  assert.equal(r.scenario, undefined);
  assert.equal(r.diagnostics[0]!.code, "unexpected_end");
  const ok = loadScenarioText(HEAD + "series:\n  cash: 1\nalive: cash > 0\n", "x.yaml");
  assert.ok(ok.scenario);
});

test("every problem is reported, not just the first", () => {
  const codes = diagnosticsOf(
    HEAD + "params:\n  p: normal(0, -1)\nseries:\n  cash: revnue + nromal(1) + p\nalive: cash > 0\nreport: [nope]\n",
  ).map((d) => d.code);
  assert.deepEqual(codes, ["bad_argument", "unknown_name", "unknown_function", "unknown_series"]);
});

test("checker examples", () => {
  const base = HEAD + "params:\n  g: normal(0, 1)\nseries:\n  revenue: { start: 1, next: prev(revenue) * (1 + g) }\n";
  testDiagnostic(
    base + "  cash: revnue\nalive: cash > 0\n",
    "unknown_name",
    "8:9",
    "unknown name 'revnue'",
    "did you mean 'revenue'?",
  );
  testDiagnostic(base + "  cash: pii * g\nalive: cash > 0\n", "unknown_name", "8:9", "'pii'", "'pi'");
  testDiagnostic(base + "  cash: maxx(1, 2)\nalive: cash > 0\n", "unknown_function", "8:9", "'maxx'", "'max'");
  testDiagnostic(base + "  cash: min(1)\nalive: cash > 0\n", "wrong_arity", "8:9", "min expects at least 2 arguments");
  testDiagnostic(
    base + "  cash: exp(1, 2)\nalive: cash > 0\n",
    "wrong_arity",
    "8:9",
    "exp expects 1 argument (exp(x)), got 2",
  );
  testDiagnostic(
    base + "  cash: normal * 2\nalive: cash > 0\n",
    "function_as_value",
    "8:9",
    "call it as normal(mean, sd)",
  );
  testDiagnostic(base + "  cash: revenue(1)\nalive: cash > 0\n", "not_a_function", "8:9", "'revenue' is a series");
  testDiagnostic(
    base + "  cash: { start: revenue, change: 1 }\nalive: cash > 0\n",
    "start_uses_series",
    "8:18",
    "uses series 'revenue'",
  );
  testDiagnostic(
    base + "  cash: event(2, 1M)\nalive: cash > 0\n",
    "bad_argument",
    "8:15",
    "probability p must be in [0, 1], got 2",
  );
  testDiagnostic(base + "  cash: pert(1, 5 - 1, 3)\nalive: cash > 0\n", "bad_argument", "8:9", "mode 4 is above hi 3");
  testDiagnostic(base + "  cash: 5 to 5\nalive: cash > 0\n", "bad_range", "8:9", "got 5 to 5");
  testDiagnostic(HEAD + "params:\n  h: 1\nseries:\n  cash: 1\nalive: cash > 0\n", "unused_param", "5:3", "never used");
  testDiagnostic(
    HEAD + "params:\n  a: b\n  b: a\nseries:\n  cash: a\nalive: cash > 0\n",
    "cycle",
    "6:6",
    "cycle: a -> b -> a",
  );
});

test("a negative-to-positive interval is fine (normal)", () => {
  modelOf(HEAD + "series:\n  cash: -1 to 5\nalive: cash > 0\n");
});

test("did-you-mean distance", () => {
  assert.equal(editDistance("revnue", "revenue"), 1);
  assert.equal(editDistance("cahs", "cash"), 1);
  assert.equal(editDistance("", "abc"), 3);
  assert.deepEqual(closestNames("revnue", ["cash", "revenue", "revenues"]), ["revenue", "revenues"]);
  assert.deepEqual(closestNames("Cash", ["cash"]), ["cash"]);
  assert.deepEqual(closestNames("zzz", ["cash"]), []);
});
