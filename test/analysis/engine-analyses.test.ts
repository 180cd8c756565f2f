// The analyses run end to end through the engine on scenarios whose answers are known exactly.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  AnalysisError,
  analyzeLevers,
  analyzeSensitivity,
  compareScenarios,
  drawOwners,
  goalSeek,
  hindsight,
  paramsReaching,
  sobolIndices,
  tornado,
} from "../../src/analysis/index.js";
import type { Capture } from "../../src/engine/index.js";
import { compileModel, simulate } from "../../src/engine/index.js";
import { checkText, type Model } from "../../src/lang/index.js";
import { expectInInterval, expectWithinSE } from "./helpers.js";

function load(name: string): Model {
  const file = `test/fixtures/analysis/${name}.yaml`;
  const { model, diagnostics } = checkText(readFileSync(file, "utf8"), file);
  if (!model) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  return model;
}

function rejects(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  return assert.rejects(
    promise,
    (e: unknown) => e instanceof AnalysisError && e.code === code && message.test(e.message),
  );
}

test("sensitivity recovers the Ishigami indices within their bootstrap intervals", async () => {
  // Closed form (Saltelli et al. 2008, §4.8). 99.9% intervals keep six checks' false-alarm rate near 0.6%.
  const { sobol } = await sobolIndices(load("ishigami"), {
    output: "y@1",
    sobolPaths: 16384,
    bootstrap: 4000,
    confidence: 0.999,
  });
  const expected: Record<string, [number, number]> = { x1: [0.3139, 0.5576], x2: [0.4424, 0.4424], x3: [0, 0.2437] };
  assert.deepEqual(
    sobol.map((r) => r.param),
    ["x1", "x2", "x3"],
  );
  for (const r of sobol) {
    const [s, st] = expected[r.param]!;
    expectInInterval(s, r.firstLow, r.firstHigh, `S(${r.param}) = ${r.first}`);
    expectInInterval(st, r.totalLow, r.totalHigh, `ST(${r.param}) = ${r.total}`);
  }
});

test("sensitivity on a linear model with noise: S_i = ST_i = a_i²/15, noise left out of the params", async () => {
  const result = await analyzeSensitivity(load("linear"), {
    output: "y@2",
    paths: 20000,
    sobolPaths: 16384,
    bootstrap: 4000,
    confidence: 0.999,
  });
  const a = { x1: 1, x2: 2, x3: 3 } as Record<string, number>;
  for (const r of result.sobol) {
    expectInInterval(a[r.param]! ** 2 / 15, r.firstLow, r.firstHigh, `S(${r.param}) = ${r.first}`);
    expectInInterval(a[r.param]! ** 2 / 15, r.totalLow, r.totalHigh, `ST(${r.param}) = ${r.total}`);
  }
  // Tornado: mean of y with x_i at its 10th/90th percentile = a_i·(∓1.2816); SE of a mean of y over n paths
  // with x_i held: √((15 − a_i²)/n). Sorted by swing: x3, x2, x1.
  assert.deepEqual(
    result.tornado.map((b) => b.param),
    ["x3", "x2", "x1"],
  );
  for (const bar of result.tornado) {
    const se = Math.sqrt((15 - a[bar.param]! ** 2) / 20000);
    expectWithinSE(bar.low, -1.2815516 * a[bar.param]!, se, { z: 5 }, `tornado low of ${bar.param}`);
    expectWithinSE(bar.high, 1.2815516 * a[bar.param]!, se, { z: 5 }, `tornado high of ${bar.param}`);
  }
});

test("sensitivity varies correlated params together: one group's indices, and the correlated model's variance", async () => {
  // correlated-sum.yaml: y = a + b + c, a~b at rank correlation 0.8 (normal r = 2 sin(0.8π/6)), c independent.
  const r = 2 * Math.sin((0.8 * Math.PI) / 6);
  const variance = 3 + 2 * r;
  const n = 16384;
  const result = await sobolIndices(load("correlated-sum"), {
    output: "y@1",
    sobolPaths: n,
    bootstrap: 4000,
    confidence: 0.999,
  });
  assert.deepEqual(
    result.sobol.map((row) => row.params),
    [["a", "b"], ["c"]],
  );
  assert.equal(result.sobol[0]!.param, "a + b");
  const share: Record<string, number> = { "a + b": (2 + 2 * r) / variance, c: 1 / variance };
  for (const row of result.sobol) {
    expectInInterval(share[row.param]!, row.firstLow, row.firstHigh, `S(${row.param}) = ${row.first}`);
    expectInInterval(share[row.param]!, row.totalLow, row.totalHigh, `ST(${row.param}) = ${row.total}`);
  }
  // The A and B rows follow the correlated model: Var y = 4.63, not the independent model's 3.
  // SE of a normal sample's variance over 2N rows: Var·√(2/(2N − 1)).
  expectWithinSE(result.variance, variance, variance * Math.sqrt(2 / (2 * n - 1)), { z: 4 }, "Var y");
});

test("tornado draws correlated params given the held one: E[y | a at p10] = (1 + r)·q10", async () => {
  // correlated-sum.yaml: y = a + b + c, standard normals, a~b at normal correlation r, c independent.
  // Given a = q, b ~ N(r·q, 1 − r²), so E[y] = (1 + r)·q and Var y = 2 − r² per path; holding c moves only c.
  const r = 2 * Math.sin((0.8 * Math.PI) / 6);
  const q90 = 1.2815515655446004;
  const n = 20000;
  const result = await tornado(load("correlated-sum"), { output: "y@1", paths: n });
  const bars = Object.fromEntries(result.tornado.map((b) => [b.param, b]));
  assert.deepEqual(bars.a!.given, ["b"]);
  assert.deepEqual(bars.b!.given, ["a"]);
  assert.deepEqual(bars.c!.given, []);
  for (const p of ["a", "b"]) {
    const se = Math.sqrt((2 - r * r) / n);
    expectWithinSE(bars[p]!.low, -(1 + r) * q90, se, { z: 4 }, `low end of ${p}`);
    expectWithinSE(bars[p]!.high, (1 + r) * q90, se, { z: 4 }, `high end of ${p}`);
  }
  const se = Math.sqrt((2 + 2 * r) / n); // c held: Var(a + b)
  expectWithinSE(bars.c!.low, -q90, se, { z: 4 }, "low end of c");
  expectWithinSE(bars.c!.high, q90, se, { z: 4 }, "high end of c");
});

test("params that cannot move the output are found, and left out of the sensitivity with the reason", async () => {
  // inert.yaml: month matters only with the raise lever (amount is 0 without it), pilot_month only with the
  // pilot lever (a product with a 0 cost), switch_month never (both branches are 5M), noise only for side.
  const model = load("inert");
  const reach = (levers: string[], output: Capture) => [...paramsReaching(model, levers, output)].sort();
  const alive = { kind: "alive", month: 12 } as const;
  assert.deepEqual(reach([], alive), ["burn"]);
  assert.deepEqual(reach(["raise"], alive), ["burn", "month"]); // amount is a constant (1B): not listed
  assert.deepEqual(reach(["raise", "pilot"], { kind: "runway" }), ["burn", "month", "pilot_month"]);
  assert.deepEqual(reach([], { kind: "series", name: "side", month: 1 }), ["noise"]);
  assert.deepEqual(reach([], { kind: "shortfall" }), ["burn"]); // the shortfall series defaults to cash

  const result = await analyzeSensitivity(model, { output: "alive@12", paths: 200, sobolPaths: 64, bootstrap: 100 });
  assert.deepEqual(
    result.tornado.map((b) => b.param),
    ["burn"],
  );
  assert.deepEqual(
    result.sobol.map((r) => r.param),
    ["burn"],
  );
  assert.deepEqual(
    result.skipped.filter((x) => x.inert).map((x) => [x.param, x.reason]),
    ["month", "pilot_month", "switch_month", "noise"].map((p) => [p, "cannot move alive@12 with no lever on"]),
  );
  const raised = await analyzeSensitivity(model, {
    output: "alive@12",
    levers: ["raise"],
    paths: 200,
    sobolPaths: 64,
    bootstrap: 100,
  });
  assert.deepEqual(raised.tornado.map((b) => b.param).sort(), ["burn", "month"]);
});

test("compare: two versions of a scenario share their draws, so the difference is paired path by path", async () => {
  // inert.yaml: 1B of cash, burn ~ uniform(50M, 150M) plus a 5M fee a month; alive at 12 needs burn ≤ 78.3M.
  // With 1.2B it needs burn ≤ 95M: S(12) rises by exactly (95 − 78.3)/100 = 1/6, and no path does worse.
  const text = readFileSync("test/fixtures/analysis/inert.yaml", "utf8");
  const more = text.replace("cash: { start: 1B,", "cash: { start: 1.2B,");
  assert.notEqual(more, text);
  const other = checkText(more, "more.yaml").model!;
  const n = 20000;
  // Plain Monte Carlo: the per-path pairing against the per-path error of independent runs (rqmc's
  // replicate errors are tested in test/engine/rqmc.test.ts).
  const r = await compareScenarios([load("inert"), other], { paths: n, sampling: "mc" });
  const d = r.differences[0]!;
  const at12 = d.months[11]!;
  expectWithinSE(at12.diff, 1 / 6, Math.sqrt(((1 / 6) * (5 / 6)) / n), { z: 4 }, "S(12) difference");
  assert.deepEqual(
    d.shared,
    ["burn", "month", "noise", "pilot_month", "switch_month"],
    "every draw site is named alike",
  );
  assert.equal(d.shorter, 0, "more cash never shortens a path");
  // Every path alive at 12 in the base is alive in the other; a path that gained, or died later, lasts longer.
  assert.ok(d.longer >= at12.diff && Math.abs(d.longer + d.same - 1) < 1e-12, `longer ${d.longer}, same ${d.same}`);
  // Paired: the burn is the same draw on each path of both runs, so only the paths that change count.
  assert.ok(at12.se < at12.unpairedSe / 1.5, `paired ${at12.se} vs independent ${at12.unpairedSe}`);
  const same = await compareScenarios([load("inert"), load("inert")], { paths: 2000 });
  assert.ok(same.differences[0]!.months.every((m) => m.diff === 0 && m.se === 0));
  assert.equal(same.differences[0]!.same, 1);
  await rejects(
    compareScenarios([load("inert"), load("linear")], { levers: ["raise"] }),
    "unknown_lever",
    /^test\/fixtures\/analysis\/linear\.yaml: unknown lever 'raise'/,
  );
});

test("compare: three or more scenarios, each against the base; a scenario with no draw in common is independent", async () => {
  // 1B of cash and a burn ~ uniform(50M, 150M): alive at 12 needs burn ≤ 83.3M, S(12) = 1/3.
  const text = `name: Burn
start: 2024-01
horizon: 12
params:
  burn: uniform(50M, 150M)
series:
  cash: { start: 1B, change: -burn }
alive: cash >= 0
`;
  const base = checkText(text, "burn.yaml").model!;
  const more = checkText(text.replace("start: 1B", "start: 1.2B"), "more.yaml").model!;
  // The same model with its draw renamed: no draw site in common with the base, nothing is paired.
  const renamed = checkText(text.replaceAll("burn", "spend"), "spend.yaml").model!;
  assert.deepEqual([...drawOwners(renamed)], ["spend"]);
  const n = 20000;
  const r = await compareScenarios([base, more, renamed], { paths: n, sampling: "mc" });
  assert.equal(r.scenarios.length, 3);
  assert.deepEqual(
    r.differences.map((d) => [d.other, d.shared]),
    [
      [1, ["burn"]],
      [2, []],
    ],
  );
  // More cash: alive at 12 needs burn ≤ 100M, S(12) = 1/2, so the paired difference is exactly 1/6 in law.
  expectWithinSE(r.differences[0]!.months[11]!.diff, 1 / 6, Math.sqrt(((1 / 6) * (5 / 6)) / n), { z: 4 }, "paired");
  // Same model, independent draws: the difference is noise around 0, its error that of two independent runs.
  const indep = r.differences[1]!.months[11]!;
  expectWithinSE(indep.diff, 0, indep.unpairedSe, { z: 4 }, "S(12) difference of independent copies");
  assert.ok(Math.abs(indep.se / indep.unpairedSe - 1) < 0.1, `se ${indep.se} vs ${indep.unpairedSe}`);
  for (const s of r.scenarios.filter((_, k) => k !== 1)) {
    const at12 = s.survival[11]!;
    expectWithinSE(at12.alive, 1 / 3, Math.sqrt(((1 / 3) * (2 / 3)) / n), { z: 4 }, `S(12) of ${s.file}`);
  }
  assert.match(r.summary.join("\n"), /share no draws, so this is the error of independent runs/);
});

test("goal-seek is exact on a deterministic scenario: least raise 1.9B, greatest cost multiplier 0.625", async () => {
  const model = compileModel(load("deterministic"));
  const raise = await goalSeek(model, { target: "alive@24 >= 0.9", vary: "raise", range: "0..5B", paths: 64 });
  assert.equal(raise.reached, true);
  assert.equal(raise.direction, "least");
  // The bisection stops within range × 1e-4 = 0.5M of the boundary, on the side that reaches.
  assert.ok(raise.value >= 1.9e9 && raise.value - 1.9e9 <= 5e5, `value ${raise.value}`);
  assert.equal(raise.low, raise.value); // no randomness: SE 0, so no bracket
  assert.equal(raise.high, raise.value);
  const costs = await goalSeek(model, { target: "alive@24 >= 0.9", vary: "costs*", paths: 64 });
  assert.equal(costs.direction, "greatest");
  assert.ok(costs.value <= 0.625 && 0.625 - costs.value <= 2e-4, `value ${costs.value}`);
});

test("goal-seek varies a lever's setting LEVER.PARAM with the lever on: the least raise of the round is 1.9B", async () => {
  const model = compileModel(load("lever-setting"));
  const target = "alive@24 >= 0.9";
  const r = await goalSeek(model, { target, vary: "round.raise", range: "0..5B", paths: 64 });
  assert.equal(r.reached, true);
  assert.equal(r.param, "round.raise");
  assert.ok(r.value >= 1.9e9 && r.value - 1.9e9 <= 5e5, `value ${r.value}`);
  // The same param without the lever: the round's month stays after the horizon, so no amount is enough.
  const off = await goalSeek(model, { target, vary: "raise", range: "0..5B", paths: 64 });
  assert.equal(off.reached, false);
  await rejects(
    goalSeek(model, { target, vary: "round.amount" }),
    "unknown_vary",
    /lever 'round' does not set a param 'amount'; it sets raise or raise_month, e\.g\. --vary round\.raise/,
  );
  // A unique ending after an underscore names the param: round.month is raise_month (a whole number).
  const month = await goalSeek(model, { target: "alive@24 >= 0.9", vary: "round.month", range: "1..30", paths: 8 });
  assert.equal(month.param, "round.month");
  assert.equal(month.reached, false); // the lever's 1B is not enough whatever the month
  await rejects(
    goalSeek(model, { target, vary: "rund.raise" }),
    "unknown_lever",
    /unknown lever 'rund'.*round or leaner/,
  );
});

test("goal-seek holds other params fixed: with costs of 50M the least raise is 700M", async () => {
  const r = await goalSeek(load("deterministic"), {
    target: "alive@24 >= 0.9",
    vary: "raise",
    range: "0..5B",
    fixed: { base_cost: 50e6 },
    paths: 64,
  });
  assert.ok(r.value >= 7e8 && r.value - 7e8 <= 5e5, `value ${r.value}`);
});

test("goal-seek reports an unreachable target with the best achieved", async () => {
  const r = await goalSeek(load("deterministic"), {
    target: "alive@36 >= 0.9",
    vary: "raise",
    range: "0..2B",
    paths: 64,
  });
  assert.equal(r.reached, false);
  assert.equal(r.value, 2e9);
  assert.equal(r.achieved, 0);
  assert.match(r.summary, /No raise in 0..2B reaches alive@36 >= 0.9; the best, at 2B, gives 0/);
});

test("goal-seek brackets the exact hazard for S(12) = 0.5 under constant hazard", async () => {
  // S(12) = (1 − h)^12 ≥ 0.5 ⇔ h ≤ 1 − 0.5^(1/12). The bracket at ±4 SE must contain it.
  const exact = 1 - 0.5 ** (1 / 12);
  const r = await goalSeek(load("hazard"), {
    target: "alive@12 >= 0.5",
    vary: "h",
    range: "0..0.2",
    paths: 20000,
    z: 4,
  });
  assert.equal(r.direction, "greatest");
  assert.ok(r.low !== null && r.high !== null);
  expectInInterval(exact, r.low, r.high, `h* (found ${r.value})`);
  assert.ok(r.high - r.low < 0.01, `bracket too wide: ${r.low}..${r.high}`);
});

test("constant hazard: S(t) = (1 − h)^t within 4 SE at every month", async () => {
  const n = 100_000;
  const run = await simulate(load("hazard"), { paths: n, seed: 3, report: [] });
  for (const p of run.survival) {
    const s = 0.95 ** p.month;
    expectWithinSE(p.alive, s, Math.sqrt((s * (1 - s)) / n), { z: 4 }, `S(${p.month})`);
  }
});

test("levers: every combination, paired effects and minimal sets on a deterministic scenario", async () => {
  const r = await analyzeLevers(load("deterministic"), { paths: 64, target: "alive@24 >= 0.9" });
  assert.deepEqual(
    r.combinations.map((c) => [c.levers.join("+"), c.value, c.runway]),
    [
      ["", 0, 16], // 500M + 1B lasts 15 months at 100M
      ["raise_more", 1, 26],
      ["cut_costs", 0, 21], // 1.5B / 75M = 20 months
      ["raise_more+cut_costs", 1, 34],
    ],
  );
  const main = r.effects.filter((e) => e.kind === "main").map((e) => [e.levers[0], e.effect, e.se]);
  assert.deepEqual(main, [
    ["raise_more", 1, 0],
    ["cut_costs", 0, 0],
  ]);
  assert.deepEqual(
    r.minimalSets.map((s) => s.levers),
    [["raise_more"]],
  );
  assert.match(r.summary.join(" "), /One lever is enough for alive@24 >= 0.9: raise_more/);
});

test("levers: a target no combination reaches is said plainly", async () => {
  // cash@36 = 500M + raise − 36·cost: −2.1B with no lever, −0.2B with both.
  const r = await analyzeLevers(load("deterministic"), { paths: 64, target: "cash@36 >= 0" });
  assert.deepEqual(r.minimalSets, []);
  assert.match(
    r.summary.join(" "),
    /No combination reaches cash@36 >= 0; the best, \{raise_more, cut_costs\}, reaches -200M/,
  );
});

test("hindsight: percentiles, CRPS and survival events against known forecasts", async () => {
  const n = 100_000;
  const r = await hindsight(load("hazard"), { paths: n, seed: 5 });
  const [mid, high, alive12, alive40, before] = r.actuals;
  // x ~ N(100, 10) each month: 100 is the median; 125 sits at Φ(2.5) = 0.99379 (SE √(p(1 − p)/n)).
  expectWithinSE(mid!.percentile!, 0.5, Math.sqrt(0.25 / n), { z: 5 }, "percentile of the median");
  expectWithinSE(high!.percentile!, 0.99379, Math.sqrt((0.99379 * 0.00621) / n), { z: 5 }, "percentile at +2.5 sd");
  // CRPS of N(μ, σ) at y: σ[z(2Φ(z) − 1) + 2φ(z) − 1/√π] (Gneiting & Raftery 2007); at z = 0: 2.33695.
  // Its sampling SE is about sd(|X − y|)/√n ≤ 10/√n.
  expectWithinSE(mid!.crps!, 2.33695, 10 / Math.sqrt(n), { z: 5 }, "CRPS at the median");
  expectWithinSE(alive12!.probability!, 0.95 ** 12, Math.sqrt((0.54 * 0.46) / n), { z: 5 }, "S(12)");
  assert.equal(alive12!.happened, true);
  // Month 40 lies past the horizon (36): the run is extended to score it.
  assert.equal(r.horizon, 40);
  expectWithinSE(alive40!.probability!, 0.95 ** 40, Math.sqrt((0.13 * 0.87) / n), { z: 5 }, "S(40)");
  assert.equal(alive40!.happened, false);
  assert.equal(before!.t, null);
  assert.match(before!.reading, /not scored, before the forecast starts \(2024-01\)/);
  assert.deepEqual(
    r.scores.map((s) => [s.series, s.actuals, s.inside90]),
    [["x", 2, 1]],
  );
});

test("analyses reject unknown names, bad targets and senseless ranges with the valid choices", async () => {
  const model = load("deterministic");
  await rejects(
    goalSeek(model, { target: "alive@24 >= 0.9", vary: "rase" }),
    "unknown_vary",
    /unknown param 'rase' in --vary; expected a param \(raise or base_cost\), a lever's setting LEVER\.PARAM, or a series multiplier \(costs\*, funding\* or cash\*\)/,
  );
  await rejects(goalSeek(model, { target: "alive@24 >= 0.9", vary: "cash" }), "unknown_vary", /write 'cash\*'/);
  await rejects(goalSeek(model, { target: "alive@24 >= 0.9", vary: "raise", range: "5B..1B" }), "bad_range", /LO < HI/);
  await rejects(
    goalSeek(model, { target: "alive@24 >= 0.9", vary: "raise", range: "lots" }),
    "bad_range",
    /expected LO..HI/,
  );
  await rejects(goalSeek(model, { target: "alive@99 >= 0.9", vary: "raise" }), "month_out_of_range", /expected 1..36/);
  await rejects(
    goalSeek(model, { target: "cash@3 >= 0", vary: "raise", levers: ["nope"] }),
    "unknown_lever",
    /expected one of raise_more or cut_costs/,
  );
  await rejects(analyzeSensitivity(model, { output: "cash@12" }), "no_random_params", /no param .* has a distribution/);
  await rejects(analyzeSensitivity(load("linear"), { output: "z@1" }), "unknown_series", /one of the series y@T/);
});

test("levers: reusing the lever-free params' draws gives the same result as drawing them in every combination", async () => {
  // openai-2024: five levers, some setting params of their own, most params untouched by any.
  const text = readFileSync("scenarios/openai-2024.yaml", "utf8");
  const model = compileModel(checkText(text, "scenarios/openai-2024.yaml").model!);
  assert.ok(model.leverFreeParams.length > 20, `${model.leverFreeParams.length} lever-free params`);
  const options = { paths: 3000, seed: 4, threads: 1 } as const;
  const reused = await analyzeLevers(model, options);
  const drawn = await analyzeLevers(model, { ...options, reuseDraws: false });
  assert.equal(JSON.stringify(reused), JSON.stringify(drawn));
  // A held param is not reused: it keeps its held value in every combination.
  const held = { ...options, fixed: { [model.leverFreeParams[0]!]: 0 } };
  assert.equal(
    JSON.stringify(await analyzeLevers(model, held)),
    JSON.stringify(await analyzeLevers(model, { ...held, reuseDraws: false })),
  );
});
