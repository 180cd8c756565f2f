// Hindsight on every built-in scenario that lists actuals: every actual of a series gets a
// percentile and a forecast band, every event a probability (the analysis, in process), and the
// `outlast hindsight` command prints a table row for each (the CLI, once per scenario). Small
// runs (2,000 paths): this tests the command and the scenarios' actuals, not the forecasts' quality.
import assert from "node:assert/strict";
import { test } from "node:test";
import { hindsight } from "../../src/analysis/index.js";
import { assertClean, runCli } from "../cli/run-cli.js";
import { builtinNames, loadBuiltin } from "./helpers.js";

const withActuals = builtinNames().filter((name) => loadBuiltin(name).scenario.actuals.length > 0);

test("hindsight: the library's real-company scenarios carry actuals and a forecast view", () => {
  for (const name of ["anthropic-2024", "openai-2024", "openai-2026"]) {
    assert.ok(withActuals.includes(name), name);
    assert.ok(
      (loadBuiltin(name).scenario.views ?? []).some((v) => v.name === "forecast"),
      `${name} has a forecast view`,
    );
  }
});

for (const name of withActuals) {
  test(`hindsight ${name}: a percentile and a 5–50–95% band for each actual, a probability for each event`, async () => {
    const model = loadBuiltin(name);
    const result = await hindsight(model, { paths: 2000, seed: 1, threads: 1 });
    assert.equal(result.actuals.length, model.scenario.actuals.length, "every actual is listed");
    for (const a of result.actuals) {
      const what = `${name}: ${a.series ?? a.event} ${a.month}`;
      assert.ok(a.t !== null && a.t >= 1, `${what} is inside the simulated months`);
      if (a.series !== undefined) {
        assert.ok(
          a.percentile !== null && a.percentile >= 0 && a.percentile <= 1,
          `${what}: percentile ${a.percentile}`,
        );
        assert.ok(a.forecast, `${what}: forecast band`);
        const { p5, p50, p95 } = a.forecast;
        assert.ok(Number.isFinite(p5) && p5 <= p50 && p50 <= p95, `${what}: ${p5} ≤ ${p50} ≤ ${p95}`);
        assert.ok(a.crps !== null && a.crps >= 0, `${what}: CRPS ${a.crps}`);
      } else {
        assert.ok(a.probability !== null && a.probability >= 0 && a.probability <= 1, `${what}: P = ${a.probability}`);
        assert.ok(a.brier !== null && a.brier >= 0 && a.brier <= 1, `${what}: Brier ${a.brier}`);
      }
    }
    const text = runCli(["hindsight", name, "--paths", "2000"]);
    assert.equal(text.code, 0, text.stderr);
    assertClean(text);
    // A scenario's views are scored beside it, each in its own paragraph.
    for (const view of model.scenario.views ?? [])
      assert.match(text.stdout, new RegExp(`^View '${view.name}' `, "m"), `${name}: the view ${view.name} is scored`);
    for (const a of model.scenario.actuals) {
      const month = `${a.month.year}-${String(a.month.month).padStart(2, "0")}`;
      const label = a.series ?? `event: ${a.event}`;
      assert.match(
        text.stdout,
        new RegExp(`│ ${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} +│ ${month} +│`),
        `${name}: a row for ${label} ${month}`,
      );
    }
  });
}

test("hindsight anthropic-2024 with the forecast view: the funding levers put the Nov-2024 Amazon round inside the forecast", async () => {
  // Without levers no Amazon money exists in the forecast (percentile 1: above every path); with the
  // forecast view some paths carry a round in Nov 2024, so the actual falls inside the sample.
  const model = loadBuiltin("anthropic-2024");
  const score = async (levers: string[]) => {
    const r = await hindsight(model, { paths: 2000, seed: 1, threads: 1, levers });
    const a = r.actuals.find((x) => x.series === "funding" && x.month === "2024-11");
    assert.ok(a && a.percentile !== null);
    return a.percentile;
  };
  assert.equal(await score([]), 1);
  assert.ok((await score(["amazon", "google", "venture"])) < 1);
});
