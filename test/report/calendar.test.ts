import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { checkText, constValue, type Model } from "../../src/lang/index.js";
import { calendarCheck, calendarSeries } from "../../src/report/calendar.js";
import { fixtureResult } from "./fixture.js";

function openai(): Model {
  const text = readFileSync(new URL("../../scenarios/openai-2024.yaml", import.meta.url), "utf8");
  const { model, diagnostics } = checkText(text, "openai-2024.yaml");
  assert.ok(model, diagnostics.map((d) => d.message).join("\n"));
  return model;
}

test("calendar: openai-2024 names its revenue and cost series", () => {
  assert.deepEqual(calendarSeries(openai()), ["revenue", "costs"]);
});

test("calendar: H1 params plus the sum of per-month means of months 1-6", () => {
  const result = fixtureResult();
  result.series["costs"] = result.series["cash"]!.map((p) => ({ ...p, mean: 0.8e9 }));
  result.series["revenue"] = result.series["revenue"]!.map((p) => ({ ...p, mean: p.month <= 6 ? 0.4e9 : 1e12 }));
  const model = openai();
  const h1 = (name: string) => constValue(model.params.find((p) => p.name === name)!.expr)!;
  const [h1Revenue, h1Costs] = [h1("h1_2024_revenue"), h1("h1_2024_costs")];
  const check = calendarCheck(model, result)!;
  assert.equal(check.year, 2024);
  assert.equal(check.reportedMonths, 6);
  assert.equal(check.simulatedMonths, 6);
  const [revenue, costs, loss] = check.lines;
  assert.equal(revenue!.reported, h1Revenue);
  assert.equal(revenue!.total, h1Revenue + 2.4e9);
  assert.equal(costs!.total, h1Costs + 4.8e9);
  assert.equal(loss!.total, h1Costs - h1Revenue + 2.4e9);
  assert.deepEqual([revenue!.expectedLow, revenue!.expectedHigh], [3.5e9, 4.5e9]);
  assert.deepEqual(check.notes, []);
});

test("calendar: a missing cost series is a note, not a crash", () => {
  const check = calendarCheck(openai(), fixtureResult())!;
  assert.ok(Number.isNaN(check.lines[1]!.simulated));
  assert.match(check.notes.join("\n"), /costs: the series .costs. was not summarised/);
});
