import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDifference, formatMoney, formatShare, monthLabel } from "../../src/report/format.js";
import { renderReport, renderRunSummary } from "../../src/report/terminal.js";
import { fixtureResult } from "./fixture.js";

const testMoney = (x: number, text: string) =>
  test(`format: money ${x} → ${text}`, () => assert.equal(formatMoney(x), text));
testMoney(1.234e9, "$1.23B");
testMoney(-4.5e8, "-$450M");
testMoney(999.6e6, "$1B");
testMoney(12, "$12");
testMoney(NaN, "n/a");

test("format: a share with its 95% half-width (1.96 SE)", () => assert.equal(formatShare(0.5, 0.01), "50.0% ± 2.0%"));
test("format: a paired difference in percentage points", () =>
  assert.equal(formatDifference(-0.041, 0.001), "−4.1 pp ± 0.2"));
test("format: calendar month of simulated month t", () => {
  assert.equal(monthLabel("2024-07", 1), "2024-07");
  assert.equal(monthLabel("2024-07", 7), "2025-01");
  assert.equal(monthLabel("2024-07", 36), "2027-06");
});

test("terminal: survival at 12, 24 and 36, runway, shortfall, both charts, no colour codes", () => {
  const text = renderRunSummary(fixtureResult(36));
  for (const month of ["2025-06", "2026-06", "2027-06"]) assert.match(text, new RegExp(month));
  assert.match(text, /median\s*│?\s*22\.5/);
  assert.match(text, /90th percentile\s*│?\s*\$9\.88B/);
  assert.match(text, /Fan of cash/);
  assert.match(text, /Survival curve S\(t\)/);
  // eslint-disable-next-line no-control-regex -- looking for ANSI escapes on purpose
  assert.doesNotMatch(text, /\u001b\[/);
});

test("terminal: a short horizon shows only the months within it", () => {
  const text = renderRunSummary(fixtureResult(18));
  assert.match(text, /│ 12 /);
  assert.match(text, /│ 18 /);
  assert.doesNotMatch(text, /│ 24 /);
});

test("terminal: a long horizon is thinned to fit the width", () => {
  const text = renderRunSummary(fixtureResult(600));
  const widest = Math.max(...text.split("\n").map((l) => l.length));
  assert.ok(widest < 120, `widest line ${widest}`);
});

test("terminal: report adds the calendar check and the conditions table", () => {
  const text = renderReport({
    result: fixtureResult(),
    conditions: {
      month: 24,
      baseline: { alive: 0.3, se: 0.01 },
      rows: [{ lever: "microsoft", label: "Reshape Microsoft", alive: 0.35, se: 0.01, diff: 0.05, diffSe: 0.002 }],
    },
    calendar: {
      year: 2024,
      reportedMonths: 6,
      simulatedMonths: 6,
      source: "test",
      notes: ["a note"],
      lines: [{ name: "loss", reported: 2.4e9, simulated: 2.6e9, total: 5e9, expectedLow: 5e9, expectedHigh: 5e9 }],
    },
  });
  assert.match(text, /Reshape Microsoft \[microsoft\]/);
  assert.match(text, /\+5\.0 pp ± 0\.4/);
  assert.match(text, /calendar 2024/);
  assert.match(text, /≈ \$5B/);
  assert.match(text, /a note/);
});
