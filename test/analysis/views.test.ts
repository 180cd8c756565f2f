// Views: another reading of the same model, run on the baseline's draws and scored beside it
// by hindsight, never combined in the `levers` analyses.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  AnalysisError,
  analyzeLevers,
  hindsight,
  hindsightWithViews,
  viewsOf,
  withView,
} from "../../src/analysis/index.js";
import { simulate } from "../../src/engine/index.js";
import { checkText, type Model } from "../../src/lang/index.js";

function openai(): Model {
  const text = readFileSync(new URL("../../scenarios/openai-2024.yaml", import.meta.url), "utf8");
  const { model, diagnostics } = checkText(text, "openai-2024.yaml");
  assert.ok(model, diagnostics.map((d) => d.message).join("\n"));
  return model;
}

test("views: openai-2024 has a forecast view; the levers analysis sees only the five levers", async () => {
  const model = openai();
  assert.deepEqual(
    viewsOf(model).map((v) => v.name),
    ["forecast"],
  );
  const r = await analyzeLevers(model, { paths: 500, seed: 1, target: "alive@24 >= 0.9" });
  assert.equal(r.combinations.length, 32);
  assert.ok(r.combinations.every((c) => !c.levers.includes("forecast")));
  assert.throws(() => withView(model, "nope"), AnalysisError);
});

test("views: a view shares the baseline's draws (what it does not touch is identical, path by path)", async () => {
  const model = openai();
  const capture = [
    { kind: "series" as const, name: "revenue", month: 24 },
    { kind: "series" as const, name: "burn", month: 30 },
    { kind: "series" as const, name: "round_1_month", month: 36 },
  ];
  const base = await simulate(model, { paths: 3000, seed: 4, report: [], capture, threads: 1 });
  const view = await simulate(withView(model, "forecast"), {
    paths: 3000,
    seed: 4,
    levers: ["forecast"],
    report: [],
    capture,
    threads: 2,
  });
  // Revenue and burn do not read funding; the rounds' bookkeeping reads prev(cash), which the
  // view's money changes only after the first round has closed.
  assert.deepEqual(view.captures![0], base.captures![0]);
  assert.deepEqual(view.captures![1], base.captures![1]);
  assert.deepEqual(view.captures![2], base.captures![2]);
  assert.ok(view.survival[23]!.alive > base.survival[23]!.alive + 0.5, "the forecast's money keeps paths alive");
});

test("hindsight: the forecast view scored beside the baseline on the same paths", async () => {
  const model = openai();
  const options = { paths: 4000, seed: 2, threads: 1 };
  const both = await hindsightWithViews(model, options);
  const alone = await hindsight(model, options);
  const { views, ...baseline } = both;
  assert.deepEqual(baseline, alone, "the baseline's score is the plain hindsight's");
  assert.equal(views!.length, 1);
  const forecast = views![0]!.result;
  assert.equal(views![0]!.view, "forecast");
  // Revenue does not depend on funding: the same percentiles and CRPS in both.
  both.actuals.forEach((a, i) => {
    if (a.series === "revenue") assert.deepEqual(forecast.actuals[i], a);
  });
  // Funding: the baseline forecasts none at all, the view forecasts rounds.
  const funding = (r: typeof both) => r.actuals.filter((a) => a.series === "funding");
  assert.ok(funding(both).every((a) => a.forecast!.p95 === 0 && a.percentile === 1));
  assert.ok(funding(forecast).some((a) => a.forecast!.p95 > 0));
  const alive = (r: typeof both) => r.survival[0]!.probability;
  assert.ok(alive(forecast) > alive(both));
});
