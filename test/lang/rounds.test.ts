// Rounds that depend on performance: each rule of the README's "Rounds" section on a
// deterministic oracle (p = 0 or 1, constant burn), plus the random draws' common random numbers
// and the diagnostics for misuse.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../src/engine/index.js";
import { checkText, type Model } from "../../src/lang/index.js";
import { formatRunJson } from "../../src/report/json.js";
import { expectWithinSE } from "../analysis/helpers.js";

function model(text: string): Model {
  const { model, diagnostics } = checkText(text, "rounds.yaml");
  assert.ok(model, diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.message}`).join("\n"));
  return model;
}

function diagnostics(text: string): string[] {
  return checkText(text, "rounds.yaml").diagnostics.map(
    (d) => `${d.severity} ${d.code} ${d.span.start.line}:${d.span.start.column}`,
  );
}

/** $1,000 of cash burning $100 a month: dead in month 11 (cash −100) without new money. */
const scenario = (round: string, cash = "seed - burn") => `
name: round oracle
start: 2025-01
horizon: 30
params:
  burn0: 100
series:
  burn: burn0
  cash: { start: 1000, change: "${cash}" }
alive: cash >= 0
rounds:
  seed:
${round
  .trim()
  .split("\n")
  .map((l) => `    ${l}`)
  .join("\n")}
`;

async function series(m: Model, names: string[], paths = 1) {
  const r = await simulate(m, { paths, seed: 7, report: names, threads: 1 });
  return { run: r, of: (n: string) => r.series[n]!.map((p) => p.mean) };
}

test("rounds: a round tried when runway < 6 months, p = 1, moves the death month by size / burn", async () => {
  const m = model(scenario("earliest: 2025-01\nwhen: prev(cash) < 6 * burn\np: 1\nsize: 500"));
  const { run, of } = await series(m, ["cash", "seed"]);
  // prev(cash) = 1000 − 100 (t − 1) < 600 first at t = 6: the round closes in June 2025.
  assert.deepEqual(
    of("seed"),
    Array.from({ length: 30 }, (_, i) => (i + 1 === 6 ? 500 : 0)),
  );
  assert.equal(of("cash")[5], 1000 - 600 + 500);
  // Without it the path dies in month 11; with it, 500 / 100 = 5 months later.
  assert.equal(run.runway.median, 16);
});

test("rounds: money closing in month m counts in month m (it can save the path that month)", async () => {
  const m = model(scenario("earliest: 2025-01\np: 1\nsize: 200", "seed - if(t == 1, 1100, burn)"));
  const { run, of } = await series(m, ["cash"]);
  assert.equal(of("cash")[0], 1000 + 200 - 1100);
  assert.equal(run.survival[0]!.alive, 1);
});

test("rounds: earliest is a calendar month turned into t from the scenario's start", async () => {
  const m = model(scenario("earliest: 2025-04\np: 1\nsize: 50"));
  const { of } = await series(m, ["seed"]);
  assert.equal(of("seed").indexOf(50), 3); // April 2025 is t = 4
  // An earliest before the start means from month 1.
  const early = model(scenario("earliest: 2024-06\np: 1\nsize: 50"));
  assert.equal((await series(early, ["seed"])).of("seed").indexOf(50), 0);
});

test("rounds: p = 0 changes nothing (byte-identical survival, runway and series)", async () => {
  const noisy = (round: string, cash: string) =>
    scenario(round, cash).replace("burn: burn0", "burn: burn0 * exp(0.3 * normal(0, 1))");
  const withRound = model(noisy("earliest: 2025-01\nwhen: prev(cash) < 6 * burn\np: 0\nsize: 500", "seed - burn"));
  const without = model(noisy("earliest: 2025-01\np: 0\nsize: 1", "0 - burn").replace(/rounds:[\s\S]*$/, ""));
  // Byte-identical needs the counter streams (mc): under rqmc the round's own draw sites take
  // dimensions of their own, which moves the later sites' Sobol' dimensions.
  const run = (m: Model) => simulate(m, { paths: 2000, seed: 3, report: ["cash", "burn"], sampling: "mc" });
  const [a, b] = await Promise.all([run(withRound), run(without)]);
  const strip = (r: Awaited<ReturnType<typeof run>>) => formatRunJson({ ...r, scenario: "", file: "" });
  assert.equal(strip(a), strip(b));
});

test("rounds: attempts and cooldown are counted exactly; nothing happens after the last attempt", async () => {
  const m = model(scenario("earliest: 2025-03\np: 0\nsize: 500\nattempts: 3\ncooldown: 4"));
  const { of } = await series(m, ["seed_try", "seed_tries", "seed"]);
  const tries = of("seed_try");
  assert.deepEqual(
    tries.flatMap((x, i) => (x ? [i + 1] : [])),
    [3, 7, 11],
  );
  assert.equal(of("seed_tries").at(-1), 3);
  assert.ok(of("seed").every((x) => x === 0));
});

test("rounds: when gates each attempt; a failed when does not use up an attempt", async () => {
  // when holds only in months 5 and 9 onwards; cooldown 1 (default), 2 attempts, p = 0.
  const m = model(scenario("earliest: 2025-01\nwhen: t == 5 or t >= 9\np: 0\nsize: 1\nattempts: 2"));
  const { of } = await series(m, ["seed_try"]);
  assert.deepEqual(
    of("seed_try").flatMap((x, i) => (x ? [i + 1] : [])),
    [5, 9],
  );
});

test("rounds: a round closes once; size is evaluated in the closing month", async () => {
  const m = model(scenario("earliest: 2025-05\np: 1\nsize: 10 * t\nattempts: 5"));
  const { of } = await series(m, ["seed", "seed_closed", "seed_month"]);
  assert.deepEqual(
    of("seed").flatMap((x, i) => (x ? [[i + 1, x]] : [])),
    [[5, 50]],
  );
  assert.deepEqual(
    of("seed_closed"),
    Array.from({ length: 30 }, (_, i) => (i + 1 >= 5 ? 1 : 0)),
  );
  assert.equal(of("seed_month").at(-1), 5);
});

test("rounds: tranches pay their share of the closing size after their delay, if their condition holds then", async () => {
  const round = `earliest: 2025-02
p: 1
size: 10 * t
tranches:
  - { share: 25%, delay: 0 }
  - { share: 50%, delay: 3, when: t == 5 }
  - { share: 25%, delay: 4, when: t == 99 }`;
  const m = model(scenario(round));
  const { of } = await series(m, ["seed"]);
  // Closes at t = 2 with size 20: 5 at t = 2, 10 at t = 5; the last tranche's condition fails at t = 6: never paid.
  assert.deepEqual(
    of("seed").flatMap((x, i) => (x ? [[i + 1, x]] : [])),
    [
      [2, 5],
      [5, 10],
    ],
  );
});

test("rounds: P(closed by month m) follows 1 − (1 − p)^attempts (seeded, within 4 SE)", async () => {
  const m = model(scenario("earliest: 2025-01\np: 0.5\nsize: 1\nattempts: 3"));
  const paths = 20_000;
  const { of } = await series(m, ["seed_closed"], paths);
  const closed = of("seed_closed");
  [0.5, 0.75, 0.875, 0.875].forEach((p, i) =>
    expectWithinSE(closed[i]!, p, Math.sqrt((p * (1 - p)) / paths), { z: 4 }, `P(closed by ${i + 1})`),
  );
});

test("rounds: attempt outcomes keep common random numbers across a lever on size, and repeat for the seed", async () => {
  const text =
    scenario(
      "earliest: 2025-01\nwhen: prev(cash) < 8 * burn\np: 0.3\nsize: big * 100\nattempts: 6\ncooldown: 2",
    ).replace("burn0: 100", "burn0: 80 to 120\n  big: 5") +
    `levers:
  bigger:
    label: A bigger round
    set: { big: 9 }
`;
  const m = model(text);
  const capture = [{ kind: "series" as const, name: "seed_month", month: 30 }];
  const run = (levers: string[], threads: number) =>
    simulate(m, { paths: 4000, seed: 11, levers, report: [], capture, threads });
  const [off, on, again] = await Promise.all([run([], 1), run(["bigger"], 2), run([], 2)]);
  assert.deepEqual(off.captures![0], again.captures![0]);
  // Before a round closes, size changes nothing, so the same attempts see the same draws.
  assert.deepEqual(on.captures![0], off.captures![0]);
  const closed = off.captures![0]!.filter((x) => x > 0).length;
  assert.ok(closed > 1000 && closed < 4000, `some but not all paths close (${closed})`);
});

test("rounds: diagnostics for misuse", () => {
  const bad = scenario(
    `earliest: 2025-13
p: 1.5
size: 1
atempts: 2
tranches:
  - { share: 50%, delay: -1 }`,
  );
  assert.deepEqual(diagnostics(bad), [
    "error unknown_key 16:5",
    "error bad_date 13:15",
    "error bad_probability 14:8",
    "error bad_delay 18:30",
    "warning tranche_shares 18:7",
  ]);
  assert.deepEqual(diagnostics(scenario("earliest: 2025-01\nsize: 1", "0 - burn")), ["warning round_unused 12:3"]);
  // The condition reads this month's cash, which the round's money feeds: a cycle, shown at the condition.
  const cycle = checkText(scenario("earliest: 2025-01\nwhen: cash < 600\nsize: 1"), "rounds.yaml").diagnostics;
  assert.equal(cycle.length, 1);
  assert.equal(cycle[0]!.code, "cycle");
  assert.equal(`${cycle[0]!.span.start.line}:${cycle[0]!.span.start.column}`, "14:11");
  assert.deepEqual(diagnostics(scenario("size: 1\nearliest: 2027-12")), ["warning round_after_horizon 14:15"]);
  assert.deepEqual(diagnostics(scenario("earliest: 2025-01")), ["error missing_key 12:3"]);
});

test("rounds: money paid by a view's add: counts as used, and is reported only where it is paid", async () => {
  const text = `${scenario("earliest: 2025-01\nwhen: prev(cash) < 6 * burn\np: 1\nsize: 500", "0 - burn")}views:
  more:
    label: The round's money
    add: { cash: seed }
`;
  assert.deepEqual(diagnostics(text), []);
  const m = model(text);
  const { withView } = await import("../../src/analysis/index.js");
  const { roundsInPlay } = await import("../../src/report/rounds.js");
  assert.deepEqual(roundsInPlay(m, []), []);
  const viewed = withView(m, "more");
  assert.deepEqual(roundsInPlay(viewed, ["more"]), ["seed"]);
  const r = await simulate(viewed, { paths: 1, seed: 1, levers: ["more"], report: [], threads: 1 });
  assert.equal(r.runway.median, 16);
});
