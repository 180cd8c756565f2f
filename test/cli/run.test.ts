// Commands that simulate: run (human, --json, --csv, --xlsx, --html, --precision), report, sensitivity, hindsight and compare.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import ExcelJS from "exceljs";
import { wilson } from "../../src/engine/index.js";
import type { RunResult } from "../../src/engine/result.js";
import { studentT } from "../../src/engine/stats/index.js";
import { assertClean, interruptCli, root, runCli } from "./run-cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "outlast-run-"));

test("run: the human summary has survival at 12/24/36, runway, shortfall and the charts", () => {
  const r = runCli(["run", "openai-2024", "--paths", "4096"]);
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  for (const month of ["2025-06", "2026-06", "2027-06"])
    assert.match(r.stdout, new RegExp(`│ ${month} │ \\d+\\.\\d+% ± `));
  assert.match(r.stdout, /│ median\s+│/);
  assert.match(r.stdout, /shortfall of cash, 90th percentile/);
  assert.match(r.stdout, /Fan of cash/);
  assert.match(r.stdout, /Survival curve/);
  // 4,096 paths (16 replicates of 256 points) × 36 months, below the pool's threshold: one thread.
  assert.match(r.stdout, /simulated 0\.1M path-months in \d+\.\d\d s on 1 thread \(\d+\.\dM a second\)/);
  assert.equal(r.stderr, "", "no progress bar off a TTY");
});

test("run --json: exactly the RunResult, with the documented keys", () => {
  const r = runCli(["run", "openai-2024", "--paths", "2048", "--seed", "5", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  assert.deepEqual(Object.keys(result), [
    "scenario",
    "file",
    "start",
    "paths",
    "seed",
    "sampling",
    "replicates",
    "horizon",
    "levers",
    "survival",
    "runway",
    "shortfall",
    "breakEven",
    "series",
    "quantileMethod",
  ]);
  assert.equal(r.stdout, JSON.stringify(result, null, 2) + "\n");
  assert.equal(result.paths, 2048);
  assert.equal(result.sampling, "rqmc");
  assert.equal(result.replicates, 16);
  assert.equal(result.seed, 5);
  assert.equal(result.survival.length, result.horizon);
  assert.deepEqual(Object.keys(result.survival[0]!), ["month", "alive", "low", "high", "se"]);
  assert.ok(result.series["cash"], "cash is reported");
});

test("run --json: the same seed gives the same bytes with 1 and 2 threads", () => {
  const args = ["run", "openai-2024", "--paths", "20k", "--seed", "3", "--json"];
  const one = runCli([...args, "--threads", "1"]);
  const two = runCli([...args, "--threads", "2"]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.stdout, one.stdout);
});

test("run: node flags a worker thread refuses (heap size, V8 flags) still give the same bytes on 2 threads", () => {
  const args = ["run", "openai-2024", "--paths", "20k", "--seed", "3", "--json"];
  const plain = runCli([...args, "--threads", "1"]);
  const flagged = runCli([...args, "--threads", "2"], root, [
    "--max-old-space-size=3000",
    "--no-concurrent-recompilation",
  ]);
  assert.equal(flagged.code, 0, flagged.stderr);
  assert.equal(flagged.stdout, plain.stdout);
});

test("run --levers and --horizon reach the result", () => {
  const r = runCli([
    "run",
    "openai-2024",
    "--paths",
    "1000",
    "--horizon",
    "12",
    "--levers",
    "funding,microsoft",
    "--json",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  assert.equal(result.horizon, 12);
  assert.deepEqual([...result.levers].sort(), ["funding", "microsoft"]);
});

test("run --csv, --xlsx and --html write their files", async () => {
  const dir = tmp();
  const r = runCli(
    ["run", "openai-2024", "--paths", "2000", "--csv", "out", "--xlsx", "run.xlsx", "--html", "run.html"],
    dir,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(dir, "out/survival.csv"), "utf8").split("\n")[0], "month,date,alive,low,high,se");
  assert.equal(
    readFileSync(join(dir, "out/series.csv"), "utf8").split("\n")[0],
    "series,month,date,mean,p5,p25,p50,p75,p95",
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(dir, "run.xlsx"));
  const names = wb.worksheets.map((s) => s.name);
  for (const name of ["Summary", "Survival", "Runway", "series cash", "Assumptions"])
    assert.ok(names.includes(name), names.join(", "));
  assert.equal(wb.getWorksheet("Survival")!.getCell("B2").value, "2024-07");
  const html = readFileSync(join(dir, "run.html"), "utf8");
  assert.match(html, /<svg /);
  assert.doesNotMatch(html, /<script|(src|href)="https?:/i);
});

test("run --precision doubles the paths until the half-width is reached (mc: Wilson's interval)", () => {
  const r = runCli(["run", "openai-2024", "--paths", "1000", "--precision", "0.004", "--json", "--sampling", "mc"]);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  // 1000 · 2^k paths; stops at the first k where the 95% Wilson interval reaches at most 0.004 from S.
  assert.equal(Math.log2(result.paths / 1000) % 1, 0);
  const reach = (n: number) => {
    const s = result.runway.aliveAtHorizon;
    const w = wilson(Math.round(s * n), n);
    return Math.max(s - w.low, w.high - s);
  };
  assert.ok(reach(result.paths) <= 0.004 && reach(result.paths / 2) > 0.004, `stopped at ${result.paths}`);
  assert.match(r.stderr, /precision: ±/);
});

test("run --precision with rqmc: rounds double the points per replicate or add replicates until Student's t over the replicates is within H", () => {
  const r = runCli(["run", "openai-2024", "--paths", "1024", "--precision", "0.002", "--json", "--verbose"]);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  assert.equal(result.sampling, "rqmc");
  // R replicates (16 or more) of a power of two of points each; t(R − 1) times their standard error.
  const R = result.replicates!;
  assert.ok(R >= 16, `${R} replicates`);
  assert.equal(Math.log2(result.paths / R) % 1, 0);
  const half = (x: RunResult) => studentT(x.replicates! - 1) * x.runway.aliveAtHorizonSe;
  assert.ok(half(result) <= 0.002, `±${half(result)} at ${result.paths}`);
  // --verbose lists the rounds: every one but the last was short of H.
  const rounds = [...r.stderr.matchAll(/precision: round \d+: ±([0-9.e-]+) with ([0-9,]+) paths/g)];
  assert.ok(rounds.length >= 2, r.stderr);
  for (const m of rounds.slice(0, -1)) assert.ok(Number(m[1]) > 0.002, m[0]);
  assert.equal(rounds.at(-1)![2], result.paths.toLocaleString("en-US"));
  // The rounds ran the paths of one run of the final points and replicates: the same S(t).
  const direct = runCli(["run", "openai-2024", "--paths", String(result.paths), "--replicates", String(R), "--json"]);
  assert.deepEqual((JSON.parse(direct.stdout) as RunResult).survival, result.survival);
  assert.match(
    r.stderr,
    new RegExp(`precision: ±0\\.00\\d+ \\(95%\\) on S\\(36\\) with ${result.paths.toLocaleString("en-US")} paths`),
  );
});

test("run --precision without --threads: the later rounds run on every core, with the bytes of one thread", () => {
  // Three rounds (4,096, 8,192 and 16,384 paths): the first on this thread, then the workers
  // started for the later ones while the scenario was read (precisionRoundThreads).
  const args = ["run", "bench/ailab-bench.yaml", "--paths", "4096", "--precision", "0.003", "--horizon", "24"];
  const human = runCli(args);
  assert.equal(human.code, 0, human.stderr);
  const cores = availableParallelism();
  assert.match(human.stdout, cores > 1 ? new RegExp(`path-months in [0-9.]+ s on ${cores} threads`) : / on 1 thread /);
  const json = runCli([...args, "--json", "--verbose"]);
  assert.match(json.stderr, /precision: round 3: .* 16,384 paths/);
  const one = runCli([...args, "--json", "--threads", "1"]);
  assert.equal(json.stdout, one.stdout);
});

test("run --precision: a survival of 100% still needs paths (its standard error is 0, its interval is not)", () => {
  const dir = tmp();
  writeFileSync(
    join(dir, "sure.yaml"),
    [
      "name: sure",
      "start: 2024-07",
      "horizon: 12",
      "series:",
      "  cash: { start: 1B, change: -10M }",
      "alive: cash >= 0",
      "",
    ].join("\n"),
  );
  const r = runCli(["run", "sure.yaml", "--paths", "1000", "--precision", "0.001", "--json", "--sampling", "mc"], dir);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  // Every path lives: the Wilson interval is [n/(n + 1.96²), 1], within 0.001 of 1 from n = 3,838; so 4,000.
  assert.equal(result.runway.aliveAtHorizon, 1);
  assert.equal(result.paths, 4000);
  assert.match(r.stderr, /precision: ±0\.00096 \(95%\) on S\(12\) with 4,000 paths/);
  // rqmc: every replicate gives 1, so their spread is 0 too; Wilson's interval on all the paths
  // then decides: 1,024 → 2,048 → 4,096 paths.
  const q = runCli(["run", "sure.yaml", "--paths", "1000", "--precision", "0.001", "--json"], dir);
  assert.equal(q.code, 0, q.stderr);
  assert.equal((JSON.parse(q.stdout) as RunResult).paths, 4096);
  assert.match(q.stderr, /precision: ±0\.00094 \(95%\) on S\(12\) with 4,096 paths/);
});

test("run: a formula that fails at run time names series, month and path; exit 1", () => {
  const dir = tmp();
  writeFileSync(
    join(dir, "nan.yaml"),
    [
      "name: nan",
      "start: 2024-07",
      "horizon: 12",
      "series:",
      "  cash: { start: 1B, change: log(0 - t) }",
      "alive: cash >= 0",
      "",
    ].join("\n"),
  );
  const r = runCli(["run", "nan.yaml", "--paths", "100"], dir);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assertClean(r);
  assert.match(r.stderr, /cash/);
  assert.match(r.stderr, /month/);
});

test("report: conditions table and calendar 2024; writes report.html in the working directory", () => {
  const dir = tmp();
  const r = runCli(["report", "openai-2024", "--paths", "4000"], dir);
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  assert.match(r.stdout, /calendar 2024/);
  for (const lever of ["microsoft", "funding", "breakthrough", "applications", "automation"])
    assert.match(r.stdout, new RegExp(`\\[${lever}\\] +│ [0-9.]+% ± [0-9.]+% +│ [+−±][0-9.]+ pp ± `));
  assert.match(r.stdout, /wrote the HTML report to .*report\.html/);
  const html = readFileSync(join(dir, "report.html"), "utf8");
  assert.match(html, /<svg /);
  assert.match(html, /The conditions/);
  assert.doesNotMatch(html, /<script|(src|href)="https?:/i);
});

test("report --no-html writes nothing", () => {
  const dir = tmp();
  const r = runCli(["report", "openai-2024", "--paths", "1000", "--no-html"], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(join(dir, "report.html")));
});

test("run --svg: each chart as a standalone SVG file", () => {
  const dir = join(tmp(), "charts");
  const r = runCli(["run", "bench/ailab-bench.yaml", "--paths", "3000", "--svg", dir]);
  assert.equal(r.code, 0, r.stderr);
  for (const file of ["survival.svg", "runway.svg", "fan-cash.svg", "fan-revenue.svg"]) {
    const svg = readFileSync(join(dir, file), "utf8");
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/, file);
    assert.match(svg, /<\/svg>\n$/, file);
  }
  // The survival curve starts at 100% (top of the chart) and falls: its polyline has one point a month.
  const points = /<polyline points="([^"]+)"/.exec(readFileSync(join(dir, "survival.svg"), "utf8"))![1]!.split(" ");
  assert.equal(points.length, 36);
  const ys = points.map((p) => Number(p.split(",")[1]));
  assert.ok(ys[35]! > ys[0]!, "S(36) is drawn below S(1)");
});

test("run: Ctrl-C stops after the chunks in flight and prints the partial result with its larger error", async () => {
  // 20M paths on one thread take about 25 s here; Ctrl-C comes once the first chunk has finished.
  const total = 20_000_000;
  const r = await interruptCli([
    "run",
    "bench/ailab-bench.yaml",
    "--paths",
    String(total),
    "--threads",
    "1",
    "--json",
    "--sampling",
    "mc",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /stopping after the chunks in flight/);
  const j = JSON.parse(r.stdout) as RunResult;
  assert.equal(j.partial, true);
  assert.ok(j.paths > 0 && j.paths < total, `paths ${j.paths}`);
  assert.match(r.stderr, /^progress: [\d,]+\/20,000,000 paths \(\d+%\)$/m);
  // The error is that of the paths that ran, larger than a full run's would be.
  const s24 = j.survival[23]!;
  assert.ok(Math.abs(s24.se - Math.sqrt((s24.alive * (1 - s24.alive)) / j.paths)) < 1e-12, `se ${s24.se}`);
  assert.ok(s24.se > Math.sqrt((s24.alive * (1 - s24.alive)) / total));
});

test("an analysis stopped by Ctrl-C prints no result and exits 130", async () => {
  const r = await interruptCli(["levers", "openai-2024", "--paths", "400000"]);
  assert.equal(r.code, 130, r.stderr);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /stopped by Ctrl-C before the analysis finished/);
  assertClean(r);
});

test("sensitivity: correlated params share one Sobol row and move with the held one in the tornado, said in the text and the JSON", () => {
  const args = ["sensitivity", "test/fixtures/analysis/correlated-sum.yaml", "--output", "y@1"];
  const small = ["--paths", "1000", "--sobol-paths", "1024", "--bootstrap", "200"];
  const text = runCli([...args, ...small]);
  assert.equal(text.code, 0, text.stderr);
  assertClean(text);
  assert.match(text.stdout, /│ a \+ b\s+│/);
  // y = a + b + c has no noise of its own and c's ends are set: the swing of c is the same on every path.
  assert.match(text.stdout, /│ c +│ -1\.282 +│ 1\.282 +│ [-0-9.]+ +│ [-0-9.]+ +│ [0-9.]+ ± 0 +│/);
  assert.match(text.stdout, /correlated params are sampled together and share one row .*: a \+ b$/m);
  assert.match(text.stdout, /^Correlated params are drawn given the one held: a \(with b\); b \(with a\)\.$/m);
  const json = runCli([...args, ...small, "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const rows = (JSON.parse(json.stdout) as { sobol: { param: string; params: string[] }[] }).sobol;
  assert.deepEqual(
    rows.map((r) => [r.param, r.params]),
    [
      ["a + b", ["a", "b"]],
      ["c", ["c"]],
    ],
  );
  const bars = (JSON.parse(json.stdout) as { tornado: { param: string; given: string[] }[] }).tornado;
  assert.deepEqual(Object.fromEntries(bars.map((b) => [b.param, b.given])), { a: ["b"], b: ["a"], c: [] });
});

test("hindsight: a table of actuals against the forecast, or one sentence when the scenario lists none", () => {
  const scored = runCli(["hindsight", "openai-2024", "--paths", "2000"]);
  assert.equal(scored.code, 0, scored.stderr);
  assertClean(scored);
  assert.match(scored.stdout, /│ revenue +│ 2024-08 +│ 300M +│ [0-9.]+M – [0-9.]+M – [0-9.]+M +│ [0-9.]+% +│/);
  const none = runCli(["hindsight", "startup", "--paths", "1000"]);
  assert.equal(none.code, 0, none.stderr);
  assert.doesNotMatch(none.stdout, /┌/, "no empty table");
  assert.match(none.stdout, /^The scenario lists no actuals \(add an `actuals:` section to score it\)\.$/m);
});

test("hindsight and run --view: the forecast view beside the baseline; each round's closing month", () => {
  const text = runCli(["hindsight", "openai-2024", "--paths", "2000"]);
  assert.equal(text.code, 0, text.stderr);
  assertClean(text);
  assert.match(text.stdout, /the scenario as written and its view 'forecast'/);
  assert.match(text.stdout, /as written: 5–50–95% .* forecast: 5–50–95%/);
  assert.match(text.stdout, /^View 'forecast' \(Forecast \(rounds as a process\)\):$/m);
  const json = runCli(["hindsight", "openai-2024", "--paths", "2000", "--json"]);
  const r = JSON.parse(json.stdout) as { views: { view: string; result: { survival: unknown[] } }[] };
  assert.equal(r.views[0]!.view, "forecast");
  assert.equal(r.views[0]!.result.survival.length, 1);

  const run = runCli(["run", "openai-2024", "--view", "forecast", "--paths", "2000", "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as {
    levers: string[];
    series: Record<string, unknown>;
    rounds: { round: string; closed: number; median: number | null; closedBy: { p: number }[] }[];
  };
  assert.deepEqual(result.levers, ["forecast"]);
  assert.deepEqual(
    result.rounds.map((x) => x.round),
    ["round_1", "round_2", "round_3"],
  );
  const first = result.rounds[0]!;
  assert.equal(first.closedBy[2]!.p, 0, "round_1 cannot close before its earliest month (2024-10, t = 4)");
  assert.ok(first.closed > 0.5 && first.median !== null && first.median >= 4);
  assert.equal(result.series["round_1_closed"], undefined, "bookkeeping series stay out of the series");
  const bad = runCli(["run", "openai-2024", "--view", "nope", "--paths", "100"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown view 'nope' \(the scenario's views are forecast\)/);
});

test("compare: two versions of the startup template, S(t) of each and the paired difference", () => {
  const dir = tmp();
  const text = readFileSync(join(root, "scenarios", "startup.yaml"), "utf8");
  const more = text.replace("opening_cash: { value: 2.5M,", "opening_cash: { value: 3.5M,");
  assert.notEqual(more, text);
  writeFileSync(join(dir, "more.yaml"), more);
  const r = runCli(["compare", "startup", "more.yaml", "--paths", "20000"], dir);
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  assert.match(r.stdout, /^other: My SaaS startup \(more\.yaml\)$/m);
  assert.match(r.stdout, /as the base does \(.*\): its difference is paired path by path$/m);
  assert.match(
    r.stdout,
    /│ My SaaS startup \(more\.yaml\) − base \(paired\) +│ [−+±][0-9.]+ pp ± [0-9.]+ +│ \+[0-9.]+ pp ± [0-9.]+ +│ \+[0-9.]+ pp ± [0-9.]+ +│/,
  );
  assert.match(r.stdout, /lasts longer on [0-9.]+% of paths, shorter on 0\.0%/);
  assert.match(r.stdout, /^ +A {2}My SaaS startup \(.*startup\.yaml\)$/m, "the chart's legend");
  // Plain Monte Carlo: per-path pairing against independent runs' per-path errors (under rqmc the
  // replicates' errors of the two runs are already small and need not be correlated).
  const json = runCli(["compare", "startup", "more.yaml", "--paths", "20000", "--json", "--sampling", "mc"], dir);
  assert.equal(json.code, 0, json.stderr);
  const result = JSON.parse(json.stdout) as {
    differences: { shared: string[]; months: { diff: number; se: number; unpairedSe: number }[] }[];
  };
  const months = result.differences[0]!.months;
  assert.equal(months.length, 36);
  const m36 = months[35]!;
  assert.ok(m36.diff > 4 * m36.se, `more cash helps: ${m36.diff} ± ${m36.se}`);
  // At 36 months both runs have paths dying; the shared draws cancel (at 24 the other has none, so no gain there).
  assert.ok(m36.se < m36.unpairedSe / 1.5, `paired ${m36.se} vs independent ${m36.unpairedSe}`);
  const missing = runCli(["compare", "startup", "openai-2024", "--levers", "no_raise", "--paths", "1000"], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /openai-2024\.yaml: unknown lever 'no_raise'; expected one of microsoft/);
});

test("compare: three scenarios on one chart, in the terminal, as SVG and as HTML; unshared draws are not called paired", () => {
  const dir = tmp();
  const args = ["compare", "startup", "openai-2024", join(root, "bench", "ailab-bench.yaml"), "--paths", "4000"];
  const r = runCli([...args, "--svg", "s.svg", "--html", "c.html"], dir);
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  assert.match(
    r.stdout,
    /^ailab-bench shares no draws|^ +ailab-bench shares no draws with the base: its difference is between independent runs$/m,
  );
  assert.match(r.stdout, /│ ailab-bench − base +│/, "no '(paired)' for independent runs");
  for (const [k, name] of ["My SaaS startup", "OpenAI, mid-2024", "ailab-bench"].entries())
    assert.match(r.stdout, new RegExp(`^ +${"ABC"[k]} {2}${name.replace(/[.,()]/g, "\\$&")}$`, "m"));
  const svgText = readFileSync(join(dir, "s.svg"), "utf8");
  assert.match(svgText, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal(svgText.match(/<polyline /g)?.length, 3, "one curve a scenario");
  const html = readFileSync(join(dir, "c.html"), "utf8");
  assert.match(html, /<h1>Compared: My SaaS startup, OpenAI, mid-2024, ailab-bench<\/h1>/);
  assert.match(html, /ailab-bench − My SaaS startup \(independent\)/);
  const one = runCli(["compare", "startup"], dir);
  assert.equal(one.code, 2, "a usage error: compare needs two scenarios at least");
});
