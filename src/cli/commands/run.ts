// `outlast run`: one simulation, summarised for people (default) or as JSON (--json), with
// optional CSV, XLSX and HTML files. --precision adds paths in rounds (same seed: a path's draws
// do not depend on the total; precision.ts sizes the rounds) until the 95% interval of
// S(horizon) is narrow enough: Wilson's for mc, Student's t over the replicates for rqmc and lhs.

import { writeFileSync } from "node:fs";
import { achievedCorrelations } from "../../analysis/spearman.js";
import type { Sampling } from "../../engine/options.js";
import type { RunResult } from "../../engine/result.js";
import { compileModel, fullResult } from "../../engine/index.js";
import { qmcDimensions, samplingPlan } from "../../engine/simulate.js";
import { intervalZ } from "../../engine/stats/index.js";
import { formatRunJson, roundDeep, stableRunResult } from "../../report/json.js";
import { renderRounds, roundSeries, roundSummaries } from "../../report/rounds.js";
import { AnalysisError, withView } from "../../analysis/index.js";
import type { Model } from "../../lang/model.js";
import { defaultRunThreads, precisionRoundThreads, prewarm } from "../../node/install.js";
import type { RunSoFar } from "../../engine/simulate.js";
import { nextPrecisionRound, precisionHalfWidth, type PrecisionRound } from "./precision.js";
import {
  MAX_PRECISION_PATHS,
  maybeHorizon,
  maybeLevers,
  maybeReport,
  maybePaths,
  maybePrecision,
  maybeReplicates,
  maybeSampling,
  maybeSeed,
  maybeThreads,
  capThreads,
  precisionOnWorkers,
} from "../options.js";
import { ExitError, UsageError } from "../errors.js";
import { maybeRedisUrl } from "./serve.js";
import { loadOrExit, Runner, seriesUnits, type SimulateResult } from "./shared.js";

export interface RunFlags {
  paths?: string;
  seed?: string;
  horizon?: string;
  json?: boolean;
  csv?: string;
  xlsx?: string;
  html?: string;
  svg?: string;
  precision?: string;
  threads?: string;
  levers?: string;
  report?: string;
  sampling?: string;
  replicates?: string;
  redis?: string;
  verbose?: boolean;
  view?: string;
}

export async function runCommand(scenario: string, flags: RunFlags): Promise<void> {
  // Validate every flag before loading, so a typo costs nothing.
  let paths = maybePaths(flags.paths);
  const seed = maybeSeed(flags.seed);
  const horizon = maybeHorizon(flags.horizon);
  const precision = maybePrecision(flags.precision);
  const asked = capThreads(maybeThreads(flags.threads), precision === undefined ? paths : MAX_PRECISION_PATHS);
  const sampling = maybeSampling(flags.sampling);
  const replicates = maybeReplicates(flags.replicates);
  if (flags.csv === "" || flags.xlsx === "" || flags.html === "" || flags.svg === "")
    throw new UsageError("an output path must not be empty");

  const redisUrl = flags.redis === undefined ? undefined : maybeRedisUrl(flags.redis);

  // --precision without --threads: the workers of the later rounds (started as the command was
  // parsed; the same pool) load while the scenario is read.
  const laterRounds = precisionOnWorkers(flags) ? precisionRoundThreads() : undefined;
  const loaded = loadOrExit(scenario);
  const source = loaded.source;
  let model = loaded.model;
  if (flags.view !== undefined) {
    try {
      model = withView(model, flags.view);
    } catch (e) {
      if (e instanceof AnalysisError) throw new UsageError(e.hint ? `${e.message} (${e.hint})` : e.message);
      throw e;
    }
  }
  // One compilation for every round (and the dimension count of --verbose).
  const compiled = compileModel(model);
  // The paths each round really takes (rqmc and lhs: whole replicates of a power of two).
  paths = samplingPlan(paths, sampling, replicates).paths;
  const months = horizon ?? model.scenario.horizon;
  const threads = asked ?? defaultRunThreads(paths, months);
  if (redisUrl === undefined) prewarm(paths, threads);
  const levers = [
    ...maybeLevers(
      flags.levers,
      model.levers.filter((l) => l.name !== flags.view).map((l) => l.name),
    ),
    ...(flags.view === undefined ? [] : [flags.view]),
  ];
  const reported = maybeReport(
    flags.report,
    model.series.map((s) => s.name),
  );
  // Each round's NAME_closed series is summarised too, for the rounds' closing months.
  const extra = roundSeries(model, levers).filter((n) => !(reported ?? model.reported).includes(n));
  const json = flags.json === true;
  const base = {
    seed,
    levers,
    ...(sampling === undefined ? {} : { sampling }),
    ...(replicates === undefined ? {} : { replicates }),
    ...(extra.length > 0 || reported !== undefined ? { report: [...(reported ?? model.reported), ...extra] } : {}),
    ...(horizon === undefined ? {} : { horizon }),
    threads,
  };

  const notes: string[] = [];
  const started = performance.now();
  let pathMonths = 0; // over every round of --precision
  let mostThreads = threads;
  let result: SimulateResult;
  // With --redis, every round's chunks go to the workers, planned there from the round's own options.
  const remote = redisUrl === undefined ? undefined : await openRemote(redisUrl, source, loaded.file, flags.view);
  try {
    if (precision === undefined) {
      const runner = new Runner(paths, !json, source);
      try {
        const options = { ...base, paths };
        result = await runner.run(compiled, options, remote?.forRun(options));
      } finally {
        runner.close();
      }
      pathMonths = result.paths * result.horizon;
    } else {
      // Each round re-runs from path 0: the first n paths of a 2n-path run are the n-path run,
      // so doubling refines the same estimate rather than starting a new one.
      result = await runToPrecision(precision);
    }
  } catch (err) {
    // A worker that could not run a chunk (another outlast version, say): its reason, exit 1.
    if (err instanceof Error && err.name === "RemoteChunkError") {
      process.stderr.write(`error: ${err.message}\n`);
      throw new ExitError(1);
    }
    throw err;
  } finally {
    await remote?.close();
  }

  async function runToPrecision(precision: number): Promise<SimulateResult> {
    let result: SimulateResult;
    // Each round adds paths to the last (simulateExtending): more points per replicate, or (rqmc,
    // replicates not asked for) more replicates, so no path is simulated twice (lhs, whose points
    // depend on the count, re-runs).
    let soFar: RunSoFar | undefined;
    let round: PrecisionRound = replicates === undefined ? { paths } : { paths, replicates };
    let rounds = 0;
    for (;;) {
      paths = round.paths;
      const runner = new Runner(paths - (soFar?.paths ?? 0), !json, source);
      try {
        // The first round on this thread (unless it is large enough for the workers anyway), the
        // later ones on the workers started for them (precisionRoundThreads).
        const roundThreads =
          asked ??
          (soFar !== undefined && laterRounds !== undefined
            ? laterRounds
            : defaultRunThreads(paths - (soFar?.paths ?? 0), months));
        mostThreads = Math.max(mostThreads, roundThreads);
        const options = { ...base, threads: roundThreads, ...round };
        // Only survival until a round is the last: the series' quantiles are read once, at the end.
        const ran = await runner.runMore(compiled, options, soFar, paths, remote?.forRun(options), "survival");
        result = ran.result;
        soFar = ran.soFar;
        pathMonths += ran.ran * result.horizon;
      } finally {
        runner.close();
      }
      const halfWidth = precisionHalfWidth(result);
      const took =
        result.replicates === null
          ? `${paths.toLocaleString("en-US")} paths`
          : `${paths.toLocaleString("en-US")} paths (${result.replicates} replicates of ${(paths / result.replicates).toLocaleString("en-US")})`;
      if (flags.verbose === true)
        notes.push(
          `precision: round ${++rounds}: ±${halfWidth.toPrecision(3)} with ${took}, ${((performance.now() - started) / 1000).toFixed(2)} s in`,
        );
      if (result.partial || halfWidth <= precision) {
        notes.push(`precision: ±${halfWidth.toPrecision(2)} (95%) on S(${result.horizon}) with ${took}`);
        break;
      }
      if (paths >= MAX_PRECISION_PATHS) {
        notes.push(
          `precision: stopped at the cap of ${MAX_PRECISION_PATHS.toLocaleString("en-US")} paths with ±${halfWidth.toPrecision(2)} (95%) on S(${result.horizon}), above the ${precision} asked for`,
        );
        break;
      }
      round = nextPrecisionRound(
        {
          paths,
          points: result.replicates === null ? paths : paths / result.replicates,
          replicates: result.replicates,
        },
        halfWidth,
        precision,
        (n, r) => samplingPlan(n, sampling, r),
        {
          falls: result.runway.aliveAtHorizonSe === 0 ? "linear" : "sqrt",
          growReplicates: replicates === undefined && result.sampling === "rqmc",
          extends: soFar !== undefined,
        },
      );
    }
    return soFar === undefined || result.partial ? result : fullResult(soFar);
  }

  const { captures: _captures, ...withExtra } = result;
  const rounds = roundSummaries(model, withExtra);
  // The rounds' bookkeeping series are read here, not shown among the scenario's series.
  const run: RunResult = { ...withExtra, series: { ...withExtra.series } };
  for (const n of extra) delete run.series[n];
  if (flags.verbose === true) notes.push(samplingNote(compiled, run));
  const written = await writeOutputs(run, flags, model);
  if (json) {
    const text =
      rounds.length === 0
        ? formatRunJson(run)
        : JSON.stringify({ ...stableRunResult(run), rounds: roundDeep(rounds) }, null, 2);
    process.stdout.write(text + "\n");
    for (const note of [...notes, ...written]) process.stderr.write(note + "\n");
  } else {
    const { renderRunSummary } = await import("../../report/terminal.js");
    process.stdout.write(renderRunSummary(run, { color: process.stdout.isTTY === true }) + "\n");
    if (rounds.length > 0) process.stdout.write(renderRounds(rounds, run.start, intervalZ(run.replicates)) + "\n");
    // Timing only in the human summary: the JSON stays the same bytes for the same seed.
    const seconds = (performance.now() - started) / 1000;
    const used = redisUrl ? `the workers on ${redisUrl}` : mostThreads === 1 ? "1 thread" : `${mostThreads} threads`;
    notes.push(
      `simulated ${(pathMonths / 1e6).toFixed(1)}M path-months in ${seconds.toFixed(2)} s on ${used} ` +
        `(${(pathMonths / seconds / 1e6).toFixed(1)}M a second)`,
    );
    if (flags.verbose === true) notes.push(...correlationNotes(model, seed, paths, levers, base));
    for (const note of [...notes, ...written]) process.stdout.write(note + "\n");
  }
}

/** The sampling, its replicates and how many draw dimensions are QMC (run --verbose). */
function samplingNote(compiled: ReturnType<typeof compileModel>, run: RunResult): string {
  if (run.sampling === "mc") return "sampling: mc (counter-based streams, plain Monte Carlo)";
  const d = qmcDimensions(compiled, run.horizon);
  return (
    `sampling: ${run.sampling}, ${run.replicates} replicates of ${(run.paths / run.replicates!).toLocaleString("en-US")} points; ` +
    `${d.qmc.toLocaleString("en-US")} draw dimensions are ${run.sampling === "rqmc" ? "Sobol'" : "Latin hypercube"} coordinates, ` +
    `${d.fallback.toLocaleString("en-US")} fall back to the counter streams`
  );
}

/** The workers of `--redis`: a clear error (exit 1) when Redis or its workers are missing. */
async function openRemote(url: string, text: string, file: string, view: string | undefined) {
  const { RedisChunkRunner, NoWorkersError } = await import("../../node/redis-runner.js");
  const { RedisUnavailableError } = await import("../../node/redis.js");
  try {
    return await RedisChunkRunner.open(url, text, file, view);
  } catch (err) {
    if (err instanceof RedisUnavailableError || err instanceof NoWorkersError) {
      process.stderr.write(`error: ${err.message}\n`);
      throw new ExitError(1);
    }
    throw err;
  }
}

async function writeOutputs(run: RunResult, flags: RunFlags, model: Model | undefined): Promise<string[]> {
  const written: string[] = [];
  // Writers are loaded only when asked for: exceljs alone adds a few hundred ms to every start.
  try {
    if (flags.csv !== undefined) {
      const { writeCsv } = await import("../../report/csv.js");
      written.push(`wrote ${writeCsv(flags.csv, run).join(", ")}`);
    }
    if (flags.xlsx !== undefined) {
      const { writeXlsx } = await import("../../report/xlsx.js");
      await writeXlsx(flags.xlsx, run, model);
      written.push(`wrote ${flags.xlsx}`);
    }
    if (flags.svg !== undefined) {
      const { writeChartSvgs } = await import("../../report/svg-files.js");
      written.push(`wrote ${writeChartSvgs(flags.svg, run, model ? seriesUnits(model) : {}).join(", ")}`);
    }
    if (flags.html !== undefined) {
      const { renderHtml } = await import("../../report/html.js");
      writeFileSync(flags.html, renderHtml({ result: run, ...(model ? { units: seriesUnits(model) } : {}) }));
      written.push(`wrote ${flags.html}`);
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof err.code === "string" && typeof err.path === "string") {
      throw new UsageError(`cannot write '${err.path}' (${err.code})`);
    }
    throw e;
  }
  return written;
}

/** `--verbose`: the Spearman correlations achieved between correlated params (on ≤ 20k paths). */
function correlationNotes(
  model: Model,
  seed: number,
  paths: number,
  levers: readonly string[],
  draws: { sampling?: Sampling; replicates?: number },
): string[] {
  const achieved = achievedCorrelations(model, { seed, paths: Math.min(paths, 20_000), levers, ...draws });
  if (achieved.length === 0) return [];
  const n = achieved[0]!.paths;
  return [
    `rank correlations achieved (Spearman, mid-ranks, first ${n.toLocaleString("en-US")} paths):`,
    ...achieved.map((c) => `  ${c.a} ~ ${c.b}: asked ${c.asked}, achieved ${c.achieved.toFixed(3)}`),
  ];
}
