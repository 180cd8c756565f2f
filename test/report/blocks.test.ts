// The report reads the scenario: `checks:` drive the calendar check and `goals:` the goal-seek;
// a scenario with neither gets neither section. Both blocks are validated with positions.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { checkText, type Model } from "../../src/lang/index.js";
import { calendarChecks, calendarSeries } from "../../src/report/calendar.js";
import { assertClean, root, runCli } from "../cli/run-cli.js";
import { fixtureResult } from "./fixture.js";

const read = (name: string) => readFileSync(join(root, "scenarios", name), "utf8");

function codes(text: string): string[] {
  return checkText(text, "x.yaml").diagnostics.map(
    (d) => `${d.severity} ${d.code} ${d.span.start.line}:${d.span.start.column}`,
  );
}

const base = `name: blocks
start: 2024-07
horizon: 24
params:
  h1: 100
series:
  revenue: 10
  costs: 30
  cash: { start: 1000, change: revenue - costs }
alive: cash >= 0
`;

test("checks: read into series terms, years, ranges and the months before the start", () => {
  const { model } = checkText(read("openai-2024.yaml"), "openai-2024.yaml");
  const checks = model!.scenario.checks!;
  assert.deepEqual(
    checks.map((c) => [c.label, c.series, c.from.year, c.low, c.high]),
    [
      ["revenue", "revenue", 2024, 3.5e9, 4.5e9],
      ["costs", "costs", 2024, 8.5e9, 8.5e9],
      ["loss", "costs - revenue", 2024, 5e9, 5e9],
    ],
  );
  assert.deepEqual(
    checks[2]!.terms.map((t) => [t.name, t.sign]),
    [
      ["costs", 1],
      ["revenue", -1],
    ],
  );
});

test("checks: each year is a table; the sum of the simulated months plus `before`", () => {
  const text =
    base +
    `checks:
  - { name: revenue, series: revenue, period: 2024, value: 100 to 200, before: h1, source: A }
  - { name: loss, series: costs - revenue, period: 2024, value: 300, before: 2 * h1, source: B }
  - { series: revenue, period: 2025, value: 120, source: A }
`;
  const { model, diagnostics } = checkText(text, "x.yaml");
  assert.deepEqual(diagnostics, []);
  const result = fixtureResult();
  const flat = (v: number) => result.series["cash"]!.map((p) => ({ ...p, mean: v }));
  result.series["revenue"] = flat(10);
  result.series["costs"] = flat(30);
  const [y2024, y2025] = calendarChecks(model as Model, result);
  assert.deepEqual(calendarSeries(model as Model), ["revenue", "costs"]);
  assert.equal(y2024!.reportedMonths, 6);
  assert.equal(y2024!.simulatedMonths, 6);
  assert.equal(y2024!.source, "A; B");
  assert.deepEqual(
    y2024!.lines.map((l) => [l.name, l.reported, l.simulated, l.total]),
    [
      ["revenue", 100, 60, 160],
      ["loss", 200, 120, 320],
    ],
  );
  assert.equal(y2025!.reportedMonths, 0);
  assert.equal(y2025!.simulatedMonths, Math.min(12, result.horizon - 6));
  assert.equal(y2025!.lines[0]!.name, "revenue");
});

test("checks and goals: misuse is reported at its place", () => {
  const text =
    base +
    `checks:
  - { name: r, series: revnue, period: 2024, value: 1, source: A }
  - { series: revenue * 2, period: 24, value: 1 to x, source: A }
  - { series: revenue, period: 2024, value: 1, before: cash, source: A, extra: 1 }
  - { series: revenue, period: 2024 }
goals:
  target: alive@24 > 90%
  vary: raise
  month: h1
`;
  assert.deepEqual(codes(text), [
    "error bad_check 13:15",
    "error bad_period 13:36",
    "error bad_check_value 13:47",
    "error unknown_key 14:73",
    "error missing_key 15:5",
    "error missing_key 15:5",
    "error bad_goal 17:11",
    "error bad_goal 19:10",
    "error unknown_series 12:24",
    "error bad_check 14:56",
    "error unknown_name 18:9",
  ]);
  assert.deepEqual(codes(base + "goals:\n  target: alive@24 >= 0.9\n  vary: h\n  month: h1\n  months: [3]\n"), [
    "error unknown_name 13:9",
  ]);
  assert.deepEqual(codes(base + "checks: 2024\n"), ["error bad_check 11:9", "warning unused_param 5:3"]);
});

test("report: a scenario without checks or goals gets neither section; the startup template's goals give one", () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-blocks-"));
  const plain = read("startup.yaml").replace(/\n# What `outlast report` seeks[\s\S]*$/, "\n");
  assert.doesNotMatch(plain, /goals:/);
  writeFileSync(join(dir, "plain.yaml"), plain);
  const r = runCli(["report", "plain.yaml", "--paths", "2000", "--no-html"], dir);
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  assert.doesNotMatch(r.stdout, /Calendar|How much must be raised/);
  assert.match(r.stdout, /The 1 condition/);
  const s = runCli(["report", "startup", "--paths", "2000", "--no-html"], dir);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /How much must be raised, and by when, for alive@24 >= 0\.9/);
  assert.doesNotMatch(s.stdout, /Calendar/);
});

test("report: the conditions are read at the goal's month (alive@30 gives S(30)); with no goal at 24", () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-blocks-"));
  const startup = read("startup.yaml");
  assert.match(startup, /target: alive@24 >= 0\.9/);
  writeFileSync(join(dir, "thirty.yaml"), startup.replace("target: alive@24 >= 0.9", "target: alive@30 >= 0.9"));
  const r = runCli(["report", "thirty.yaml", "--paths", "2000", "--no-html"], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /│ condition +│ S\(30\) alone \(95%\) +│/);
  assert.doesNotMatch(r.stdout, /S\(24\) alone/);
  const plain = startup.replace(/\n# What `outlast report` seeks[\s\S]*$/, "\n");
  writeFileSync(join(dir, "plain.yaml"), plain);
  const p = runCli(["report", "plain.yaml", "--paths", "2000", "--no-html"], dir);
  assert.equal(p.code, 0, p.stderr);
  assert.match(p.stdout, /│ condition +│ S\(24\) alone \(95%\) +│/);
});
