#!/usr/bin/env node
// `npm run bench`: outlast against the C yardsticks on the ailab-bench model
// (bench/MODEL.md), whole process against whole process, in the same run.
//
//   npm run bench                  main table (1M paths x 36 months), scaling tables, memory and
//                                  the analyses' wall times on openai-2024
//   npm run bench -- --quick       main table only, at 1M paths
//   npm run bench -- --full        also 10M paths and 240 months
//   npm run bench -- --precision   only the time-to-precision tables (sampling methods against C)
//
// Each row runs a fresh process and reports its wall seconds (measured here, around the whole
// process), path-months per second and peak RSS (from /usr/bin/time when it exists). The main
// table's rows are the median of three runs each (as MODEL.md's own figures are), the C and
// outlast runs interleaved so that a slow spell of the machine hits both. Ratios are path-months
// per second relative to the hand-tuned C on one thread; machines are noisy, so compare ratios
// measured in one run, never absolute times across runs.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/bin/main.js");
const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const full = args.has("--full");
const cores = availableParallelism();
const seed = 1;
const hasTime = existsSync("/usr/bin/time");

if (!existsSync(cli)) {
  console.error("dist/ is missing: run `npm install` (or `npm run build`) first");
  process.exit(2);
}

function timed(cmd, argv, env = {}, cwd = undefined) {
  const wrapped = hasTime ? ["/usr/bin/time", ["-f", "@@%M", cmd, ...argv]] : [cmd, argv];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(wrapped[0], wrapped[1], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, ...env },
    cwd,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} failed:\n${r.stderr}`);
  const m = /@@(\d+)/.exec(r.stderr ?? "");
  return { seconds, rssMB: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout };
}

function outlast(paths, months, threads, file = join(root, "bench/ailab-bench.yaml"), report, sampling = "mc") {
  const argv = [cli, "run", file, "--paths", String(paths), "--seed", String(seed), "--horizon", String(months)];
  // Throughput tables run plain Monte Carlo (the C yardsticks' method); the time-to-precision
  // tables compare the sampling methods.
  argv.push("--threads", String(threads), "--json", "--sampling", sampling);
  const r = timed(process.execPath, argv);
  const j = JSON.parse(r.stdout);
  const s = (t) => (t <= months ? j.survival[t - 1].alive : null);
  return {
    impl: report ?? "outlast",
    paths,
    months,
    threads,
    seconds: r.seconds,
    rssMB: r.rssMB,
    S12: s(12),
    S24: s(24),
    S36: s(36),
    medianRunway: j.runway.median,
    cashP50: j.series.cash?.[months - 1]?.p50,
    meanRevenueT: j.series.revenue?.[months - 1]?.mean,
  };
}

function buildC() {
  const build = join(root, "bench/build.sh");
  if (!existsSync(build)) return { error: "bench/build.sh not found" };
  const which = spawnSync("sh", ["-c", "command -v gcc"], { encoding: "utf8" });
  if (which.status !== 0) return { error: "gcc is missing: C yardsticks skipped" };
  const out = mkdtempSync(join(tmpdir(), "outlast-bench-"));
  const r = spawnSync("sh", [build, out], { encoding: "utf8" });
  if (r.status !== 0) return { error: `build.sh failed: ${r.stderr.trim()}` };
  return { dir: out };
}

function c(bin, paths, months, threads) {
  const env = bin === "ref_c_omp" ? { OMP_NUM_THREADS: String(threads) } : {};
  const r = timed(join(cdir, bin), [String(paths), String(months), String(seed)], env);
  const j = JSON.parse(r.stdout);
  return {
    impl: j.impl,
    paths,
    months,
    threads: j.threads,
    seconds: r.seconds,
    rssMB: r.rssMB,
    S12: j.S12,
    S24: j.S24,
    S36: j.S36,
    medianRunway: j.median_runway,
    cashP50: j.cash_p50,
    meanRevenueT: j.mean_revenue_T,
  };
}

const fmt = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? "-" : x.toFixed(d));
function table(title, rows, baseline) {
  console.log(`\n${title}`);
  const head = ["impl", "paths", "months", "threads", "seconds", "path-months/s", "peak RSS MB", "vs ref_c", "S24"];
  const lines = rows.map((r) => {
    const pms = (r.paths * r.months) / r.seconds;
    const base = baseline ? (baseline.paths * baseline.months) / baseline.seconds : NaN;
    return [
      r.impl,
      String(r.paths),
      String(r.months),
      String(r.threads),
      fmt(r.seconds, 3),
      (pms / 1e6).toFixed(1) + "M",
      fmt(r.rssMB, 0),
      baseline ? fmt(pms / base, 2) : "-",
      fmt(r.S24, 4),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) => cells.map((x, i) => x.padStart(widths[i])).join("  ");
  console.log(row(head));
  for (const l of lines) console.log(row(l));
}

const cb = buildC();
const cdir = cb.dir;
console.log(`outlast bench: ailab-bench (bench/MODEL.md), seed ${seed}, ${cores} cores, node ${process.version}`);
if (cb.error) console.log(`note: ${cb.error}`);

// Warm the file cache and V8's code cache so the first row is not penalised.
outlast(10_000, 36, 1);

if (args.has("--precision")) {
  timeToPrecision();
  process.exit(0);
}

const P = 1_000_000;
const rowsRun = [
  ...(cdir ? [() => c("ref_c", P, 36, 1), () => c("ref_c_naive", P, 36, 1), () => c("ref_c_omp", P, 36, cores)] : []),
  () => outlast(P, 36, 1),
  () => outlast(P, 36, cores),
];
const runs = rowsRun.map(() => []);
for (let round = 0; round < 3; round++) rowsRun.forEach((run, i) => runs[i].push(run()));
/** The run with the median wall time (its other figures are that run's own). */
const median = (rs) => rs.slice().sort((a, b) => a.seconds - b.seconds)[Math.floor(rs.length / 2)];
const main = runs.map(median);
const refC = cdir ? main[0] : undefined;
table(
  "1M paths x 36 months, whole process, median of 3 (ratio = path-months/s over hand-tuned C, 1 thread)",
  main,
  refC,
);

if (refC) {
  const ours = main.find((r) => r.impl === "outlast" && r.threads === 1);
  // Agreement: S(t) over 1M paths has SE √(S(1−S)/n) ≈ 0.0005; two independent runs differ by √2 of that.
  const se = Math.sqrt((2 * refC.S24 * (1 - refC.S24)) / P);
  console.log(
    `agreement: S24 outlast ${fmt(ours.S24, 4)} vs C ${fmt(refC.S24, 4)} (${fmt(Math.abs(ours.S24 - refC.S24) / se, 1)} SE); ` +
      `median runway ${ours.medianRunway} vs ${refC.medianRunway}; cash p50 ${(ours.cashP50 / 1e9).toFixed(2)}B vs ${(refC.cashP50 / 1e9).toFixed(2)}B`,
  );
}

if (!quick) {
  const paths = [10_000, 100_000, 1_000_000, ...(full ? [10_000_000] : [])];
  table(
    `scaling in paths (36 months, ${cores} threads)`,
    paths.map((p) => outlast(p, 36, cores)),
    refC,
  );
  const months = [12, 36, 120, ...(full ? [240] : [])];
  table(
    `scaling in months (1M paths, ${cores} threads)`,
    months.map((m) => outlast(P, m, cores)),
    refC,
  );
  const threads = Array.from({ length: cores }, (_, i) => i + 1);
  table(
    "scaling in threads (1M paths x 36 months)",
    threads.map((t) => outlast(P, 36, t)),
    refC,
  );

  // Memory: 1M paths x 120 months x 20 reported series must stay under 1 GB (statistics are streamed).
  const dir = mkdtempSync(join(tmpdir(), "outlast-wide-"));
  const wide = join(dir, "wide.yaml");
  const extra = Array.from({ length: 11 }, (_, i) => `  extra${i + 1}: "revenue * ${(i + 1) / 100} + t"`).join("\n");
  writeFileSync(
    wide,
    `name: wide
start: 2024-07
horizon: 120
params:
  g: normal(0.045, 0.02)
  d: uniform(0.01, 0.04)
series:
  e: normal(0, 1)
  revenue: { start: 340M, next: "prev(revenue) * exp(g + 0.05 * e)" }
  inference: "330M * (revenue / 340M) ^ 0.9 * (1 - d) ^ t"
  training: "250M * 1.03 ^ t"
  staff: "125M * 1.02 ^ t"
  partner: 0.2 * revenue
  shock: "event(0.02, 100M to 1B)"
  cash: { start: 6B, change: revenue - inference - training - staff - partner - shock }
  burn: inference + training + staff - revenue
${extra}
alive: cash >= 0
`,
  );
  table(
    "memory: 1M paths x 120 months x 20 reported series (limit 1 GB)",
    [outlast(P, 120, cores, wide, "outlast-wide")],
    undefined,
  );

  // Analyses on the flagship scenario, whole process: each compiles the scenario once and runs
  // every variant on that kernel and the pool.
  console.log(`\nanalyses on openai-2024 (${cores} threads, whole process)`);
  const analyses = [
    ["levers, 32 combinations x 100k paths", ["levers", "openai-2024", "--paths", "100000"]],
    ["sensitivity alive@24, tornado + Sobol", ["sensitivity", "openai-2024", "--output", "alive@24"]],
    ["report (npm start)", ["report", "openai-2024"]],
  ];
  const scratch = mkdtempSync(join(tmpdir(), "outlast-analyses-")); // the report writes report.html there
  for (const [what, argv] of analyses) {
    const r = timed(process.execPath, [cli, ...argv], {}, scratch);
    console.log(
      `  ${what.padEnd(40)} ${r.seconds.toFixed(2).padStart(6)} s  ${fmt(r.rssMB, 0).padStart(5)} MB peak RSS`,
    );
  }
}

if (!quick) timeToPrecision();

/**
 * Time to precision: the whole-process seconds to reach a standard error on S(24) of ailab-bench
 * (24 months simulated, by outlast and the C alike).
 * Each sampling method runs `outlast run --precision H` from 16,384 paths with the threads outlast
 * chooses (workers for rounds of 16M path-months or more; rqmc with five seeds, the median-time
 * run shown), H the 95% half-width that stands for the SE (1.96·SE for mc's Wilson interval,
 * t(15)·SE for the 16 replicates of rqmc and lhs), so it stops at the first round whose SE is
 * about the target. Beside them, the hand-tuned C on one thread with plain Monte Carlo at
 * n = S(1 − S)/SE² paths; when replicates added by the rounds leave an SE a little above the
 * target (t(R − 1) < t(15)), the C's time on that row is the C's at that SE, so the two reach the
 * same precision (never a smaller one for outlast than the C's).
 * The variance ratio is mc's variance per path over the method's, (SE²·n)_mc / (SE²·n)_method.
 * Then openai-2024: the variance over 16 seeds of S(24), the median runway and the median cash
 * at month 24, for each method at 16,384 paths (ratios to mc only).
 */
function timeToPrecision() {
  const T15 = 2.131449545559323;
  const file = join(root, "bench/ailab-bench.yaml");
  // --precision stops on S(horizon): every run here (the C too) simulates 24 months.
  const precise = (sampling, se, runSeed = seed) => {
    const half = sampling === "mc" ? 1.959963984540054 * se : T15 * se;
    const argv = [cli, "run", file, "--paths", "16384", "--seed", String(runSeed), "--precision", String(half)];
    argv.push("--horizon", "24", "--json", "--sampling", sampling);
    const r = timed(process.execPath, argv);
    const j = JSON.parse(r.stdout);
    const s = j.survival[23];
    return { sampling, paths: j.paths, replicates: j.replicates, seconds: r.seconds, S24: s.alive, se: s.se };
  };
  // rqmc's stopping point depends on how its 16 replicates happen to estimate the standard
  // error (about ±18%), so it runs with seeds 1..5 and the row gives the run of median time;
  // mc's Wilson interval is steady, and lhs is slow, so one seed each.
  const SEEDS = [1, 2, 3, 4, 5];
  for (const target of [0.0005, 0.0002]) {
    const mc = precise("mc", target);
    const lhs = precise("lhs", target);
    const runs = SEEDS.map((s) => precise("rqmc", target, s)).sort((a, b) => a.seconds - b.seconds);
    const rqmc = runs[Math.floor(runs.length / 2)];
    const rows = [mc, lhs, rqmc];
    console.log(
      `\ntime to precision: ailab-bench S(24) to SE ${target} (outlast --precision, its own choice of threads up to ${cores}; C on 1 thread)`,
    );
    const line = (a, b, c, d, e, f) =>
      console.log(
        `  ${a.padEnd(28)} ${b.padStart(10)} ${c.padStart(9)} ${d.padStart(9)} ${e.padStart(14)} ${f.padStart(12)}`,
      );
    line("method", "paths", "seconds", "S(24)", "var ratio/mc", "vs C (time)");
    // The C at the paths an SE needs (S from mc's run); one run per SE, shared by rows that reach it.
    const cAt = new Map();
    const cFor = (se) => {
      const n = Math.ceil((mc.S24 * (1 - mc.S24)) / (se * se));
      if (!cAt.has(n)) cAt.set(n, { n, se, ...c("ref_c", n, 24, 1) });
      return cAt.get(n);
    };
    const cRow = cdir ? cFor(target) : undefined;
    if (cRow) line("C hand-tuned, plain MC", String(cRow.n), fmt(cRow.seconds, 2), fmt(cRow.S24, 4), "1.00", "1.00");
    const versusC = (r) => (cdir ? cFor(Math.max(target, r.se)).seconds / r.seconds : NaN);
    for (const r of rows) {
      const ratio = (mc.se * mc.se * mc.paths) / (r.se * r.se * r.paths);
      const reps = r.replicates && r.replicates !== 16 ? `, ${r.replicates} replicates` : "";
      line(
        `outlast --sampling ${r.sampling}${r === rqmc ? " (median)" : ""}${reps}`,
        String(r.paths),
        fmt(r.seconds, 2),
        fmt(r.S24, 4),
        fmt(ratio, 2),
        cdir ? fmt(versusC(r), 2) + "x" : "-",
      );
    }
    console.log(
      `  rqmc over seeds ${SEEDS.join(", ")}: ` +
        runs
          .map(
            (r) =>
              `${fmt(r.seconds, 2)} s at ${r.paths} (SE ${r.se.toPrecision(3)}${cdir ? `, ${fmt(versusC(r), 2)}x C` : ""})`,
          )
          .join(", "),
    );
    for (const x of cAt.values())
      if (x !== cRow) console.log(`  C at SE ${x.se.toPrecision(3)}: ${x.n} paths, ${fmt(x.seconds, 2)} s`);
  }
  // openai-2024: variance over seeds of three statistics, per method.
  const stats = (sampling, s) => {
    const argv = [cli, "run", "openai-2024", "--paths", "16384", "--seed", String(s), "--json", "--sampling", sampling];
    argv.push("--threads", String(cores));
    const j = JSON.parse(timed(process.execPath, argv).stdout);
    return [j.survival[23].alive, j.runway.median, j.series.cash[23].p50];
  };
  const variance = (xs) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
  };
  const seeds = Array.from({ length: 16 }, (_, i) => 100 + i);
  const byMethod = Object.fromEntries(
    ["mc", "lhs", "rqmc"].map((m) => {
      const runs = seeds.map((s) => stats(m, s));
      return [m, [0, 1, 2].map((k) => variance(runs.map((r) => r[k])))];
    }),
  );
  console.log(`\nopenai-2024, 16,384 paths: variance over 16 seeds, ratio mc / method (higher is better)`);
  for (const [k, what] of ["S(24)", "median runway", "median cash at 24"].entries()) {
    const cells = ["lhs", "rqmc"].map(
      (m) => `${m} ${byMethod[m][k] > 0 ? fmt(byMethod.mc[k] / byMethod[m][k], 1) : "-"}`,
    );
    console.log(`  ${what.padEnd(20)} ${cells.join("   ")}`);
  }
}

// `check` on scenarios of 1k, 10k and 100k params (each reads the one before it, so the
// dependency order and the cycle search see a chain 100k long), whole process, and the slope of
// log time against log size between 10k and 100k: 1 is linear. The 1k row is mostly start-up.
if (!quick) {
  console.log("\ncheck on generated scenarios (whole process; slope = log(t100k / t10k) / log 10)");
  const scratch = mkdtempSync(join(tmpdir(), "outlast-check-"));
  const times = {};
  for (const n of [1000, 10_000, 100_000]) {
    const lines = ["name: params chain", "start: 2024-01", "horizon: 12", "params:", "  p0: normal(0, 1)"];
    for (let i = 1; i < n; i++) lines.push(`  p${i}: p${i - 1} + uniform(0, ${(i % 7) + 1})`);
    lines.push("series:", `  cash: { start: 1B, change: p${n - 1} - 1M }`, "alive: cash >= 0", "");
    const file = join(scratch, `params-${n}.yaml`);
    writeFileSync(file, lines.join("\n"));
    const r = timed(process.execPath, [cli, "check", file]);
    times[n] = r.seconds;
    console.log(
      `  ${`${n.toLocaleString("en-US")} params`.padEnd(16)} ${r.seconds.toFixed(2).padStart(6)} s  ${fmt(r.rssMB, 0).padStart(5)} MB peak RSS`,
    );
  }
  console.log(`  slope 10k → 100k: ${(Math.log(times[100_000] / times[10_000]) / Math.log(10)).toFixed(2)}`);
}

// A big model: 4,000 chained series (s0 a draw, s_i = s_{i−1} + 1, cash changed by the last),
// 2,000 paths x 36 months on one thread, whole process. Its kernel is split into functions V8
// optimises (src/engine/compile/split.ts); "beyond check" is the run's seconds less `check`'s
// (load, check, compile) per series-month. Reporting every series adds a sketch per series.
if (!quick) {
  console.log("\nbig model: 4,000 chained series, 2,000 paths x 36 months, 1 thread (whole process)");
  const scratch = mkdtempSync(join(tmpdir(), "outlast-big-"));
  const n = 4000;
  const lines = ["name: chain", "start: 2024-01", "horizon: 36", "series:", "  s0: normal(1, 0.1)"];
  for (let i = 1; i < n; i++) lines.push(`  s${i}: s${i - 1} + 1`);
  lines.push(`  cash: { start: 1B, change: s${n - 1} - 1000 }`, "alive: cash >= 0");
  const every = join(scratch, "chain.yaml");
  const cash = join(scratch, "chain-cash.yaml");
  writeFileSync(every, lines.join("\n") + "\n");
  writeFileSync(cash, [...lines, "report: [cash]"].join("\n") + "\n");
  const check = timed(process.execPath, [cli, "check", cash]).seconds;
  const rows = [
    ["report: [cash], mc", cash, "mc"],
    ["report: [cash], rqmc", cash, "rqmc"],
    ["every series reported, mc", every, "mc"],
  ];
  for (const [what, file, sampling] of rows) {
    const argv = [cli, "run", file, "--paths", "2000", "--threads", "1", "--json", "--sampling", sampling];
    const r = timed(process.execPath, argv);
    const ns = ((r.seconds - check) * 1e9) / (2000 * 36 * (n + 1));
    console.log(
      `  ${what.padEnd(28)} ${r.seconds.toFixed(2).padStart(6)} s  ${fmt(r.rssMB, 0).padStart(5)} MB peak RSS  ${ns.toFixed(0).padStart(4)} ns a series-month beyond check (${check.toFixed(2)} s)`,
    );
  }
}
