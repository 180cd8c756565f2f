import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDifference, formatMoney, formatShare, monthLabel } from "../../src/report/format.js";
import { renderReport, renderRunSummary, renderTornado } from "../../src/report/terminal.js";
import { conditionsFromLevers } from "../../src/report/conditions.js";
import { intervalLabel, intervalZ, studentT } from "../../src/engine/stats/index.js";
import { fixtureFundingGoal, fixtureLeverDefs, fixtureLevers, fixtureResult, fixtureTornado } from "./fixture.js";

const testMoney = (x: number, text: string) =>
  test(`format: money ${x} → ${text}`, () => assert.equal(formatMoney(x), text));
testMoney(1.234e9, "$1.23B");
testMoney(-4.5e8, "-$450M");
testMoney(999.6e6, "$1B");
testMoney(12, "$12");
testMoney(NaN, "n/a");

test("format: a share with its 95% half-width (1.96 SE)", () =>
  assert.equal(formatShare(0.5, 0.01, 1.96), "50.0% ± 2.0%"));
test("format: a paired difference in percentage points", () =>
  assert.equal(formatDifference(-0.041, 0.001, 1.96), "−4.1 pp ± 0.2"));

test("a share every path agrees on (SE 0) shows Wilson's interval, never ± 0.00%", () => {
  const run = fixtureResult(36);
  run.survival = run.survival.map((p) => ({ ...p, alive: 1, se: 0, low: 0.9996, high: 1 }));
  const text = renderRunSummary(run);
  assert.match(text, /100% \(95%: 99\.96%–100\.00%\)/);
  assert.doesNotMatch(text, /± 0\.0+%/);
});

test("every ± of a run with replicates is Student's t with R − 1 df, and says so; mc keeps 1.96", () => {
  assert.equal(intervalZ(null), 1.96);
  assert.equal(intervalZ(16), studentT(15));
  assert.equal(intervalLabel(intervalZ(16)), "2.13 SE");
  // A run of 16 replicates: S(t) ± is 2.13 SE (an SE of 1% reads ± 2.1%, not 2.0%).
  const run = { ...fixtureResult(36), sampling: "rqmc" as const, replicates: 16 };
  run.survival = run.survival.map((p) => ({ ...p, se: 0.01 }));
  run.runway = { ...run.runway, aliveAtHorizonSe: 0.01 };
  assert.match(renderRunSummary(run), /± 2\.1%/);
  assert.doesNotMatch(renderRunSummary(run), /± 2\.0%/);
  // The analyses' tables carry their own z95 and name it.
  const t = { ...fixtureTornado(), z95: intervalZ(16) };
  assert.match(renderTornado(t), /± is 2\.13 SE \(paired\)/);
  const c = conditionsFromLevers({ ...fixtureLevers(), z95: intervalZ(16) }, fixtureLeverDefs);
  assert.equal(c.z95, intervalZ(16));
  assert.match(renderReport({ result: fixtureResult(36), conditions: c }), /± is 2\.13 SE \(paired\)/);
});
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

test("terminal: report adds the calendar check, the conditions, the funding goal and the tornado", () => {
  const text = renderReport({
    result: fixtureResult(),
    conditions: conditionsFromLevers(fixtureLevers(), fixtureLeverDefs),
    fundingGoal: fixtureFundingGoal(),
    tornado: fixtureTornado(),
    calendar: {
      year: 2024,
      reportedMonths: 6,
      simulatedMonths: 6,
      source: "test",
      notes: ["a note"],
      lines: [{ name: "loss", reported: 2.4e9, simulated: 2.6e9, total: 5e9, expectedLow: 5e9, expectedHigh: 5e9 }],
    },
    notes: ["a note"],
  });
  // Conditions: S(24) alone, the main effect ± 1.96 paired SE, all together, the interaction.
  assert.match(text, /Raise money \[funding\] +│ 30\.0% ± 1\.0% +│ \+29\.0 pp ± 0\.8/);
  assert.match(text, /New apps \[apps\] +│ 2\.1% ± 1\.0% +│ \+1\.1 pp ± 2\.0 +\(≈ 0\)/);
  assert.match(text, /none of them +│ 2\.0% ± 1\.0%/);
  assert.match(text, /all 2 together +│ 32\.0% ± 1\.0%/);
  assert.match(text, /funding × apps +│ \+1\.9 pp ± 0\.4/);
  assert.match(text, /No one condition is enough for a 90% chance of lasting 24 months/);
  // Funding goal: amount, bracket, S(24) there and with the close uncertain; the unreachable month.
  assert.match(text, /month 3 \(2024-09\) +│ \$12\.1B +│ \$11\.9B – \$12\.4B +│ 90\.1% ± 0\.8% +│ 72\.0% ± 1\.2%/);
  assert.match(text, /not reachable \(best S\(24\) 37\.0% at \$100B\)/);
  assert.match(text, /assume the round closes for certain \(raise_closes held at 1\)/);
  assert.match(text, /bernoulli\(0\.8\)/);
  assert.match(text, /short of 90%/);
  // Tornado: the param drawn with revenue_growth is named under the bars.
  assert.match(text, /^Correlated params are drawn given the one held: revenue_growth \(with price_erosion\)\.$/m);
  // Tornado: five bars, largest first, with their swing.
  const bars = text.split("\n").filter((l) => /swing [+−±]/.test(l));
  assert.deepEqual(
    bars.map((l) => l.trim().split(/\s+/)[0]),
    ["opening_cash", "revenue_growth", "inference_elasticity", "training_growth", "legal_size"],
  );
  assert.match(bars[0]!, /\$1 → \$2 .*█/);
  assert.match(bars[1]!, /100\.00% → 200\.00%/);
  assert.match(text, /calendar 2024/);
  assert.match(text, /≈ \$5B/);
  assert.match(text, /a note/);
});

test("conditions: the reading follows the numbers", () => {
  const t = conditionsFromLevers(fixtureLevers(), fixtureLeverDefs);
  assert.equal(t.month, 24);
  assert.deepEqual(
    t.rows.map((r) => [r.lever, r.alive, r.effect, r.clear]),
    [
      ["funding", 0.3, 0.29, true],
      ["apps", 0.021, 0.0105, false],
    ],
  );
  assert.match(t.reading, /^With none of the 2 conditions, S\(24\) is 2\.0% ± 1\.0%\./);
  assert.match(t.reading, /funding \(\+29\.0 pp ± 0\.8\) matters most/);
  assert.match(t.reading, /apps has no effect distinguishable from zero/);
  assert.match(t.reading, /the best alone, funding, gives 30\.0% ± 1\.0%/);
  assert.match(t.reading, /Even all 2 together give 32\.0% ± 1\.0%/);
  // When one lever reaches the target, the reading says so instead.
  const r = fixtureLevers();
  r.minimalSets = [{ levers: ["funding"], value: 0.93, se: 0.005, clear: true }];
  assert.match(conditionsFromLevers(r, fixtureLeverDefs).reading, /One condition is enough .*: funding alone \(93\.0%/);
});

test("terminal: the tornado's heading counts the params it shows and the params varied", () => {
  const t = fixtureTornado(); // 5 bars of 12 params varied
  assert.match(renderTornado(t), /^What moves S\(24\) most: the top 5 of 12 params, each held/);
  assert.match(renderTornado({ ...t, varied: 5 }), /^What moves S\(24\) most: the 5 params, each held/);
  assert.match(
    renderTornado({ ...t, varied: 1, bars: t.bars.slice(0, 1) }),
    /^What moves S\(24\) most: the 1 param, each/,
  );
});
