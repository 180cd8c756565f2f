// `outlast report NAME` (what `npm start` runs): the baseline run, the calendar-year check
// against reported figures, and three analyses on the same compiled model and seed (common
// random numbers, so differences between variants are the variants' doing, not noise):
//   - the conditions: all 2^k lever combinations (analyzeLevers), S(24) alone and together,
//     main effects and interactions with paired standard errors, and a plain reading;
//   - the funding goal-seek: the least raise that gives S(24) ≥ 90% for a few closing months;
//   - a tornado of the params that move S(24) most.
// The analyses run fewer paths per variant than the baseline (printed with each section).

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  AnalysisError,
  analyzeLevers,
  goalSeek,
  MAX_LEVERS,
  paramMarginals,
  paramsReaching,
  tornado,
  type AnalysisRunOptions,
} from "../../analysis/index.js";
import { compileModel, simulate, type CompiledModel, type SimulateOptions } from "../../engine/index.js";
import { samplingPlan } from "../../engine/simulate.js";
import { intervalZ } from "../../engine/stats/index.js";
import type { Model } from "../../lang/model.js";
import { calendarChecks, calendarSeries } from "../../report/calendar.js";
import { conditionsFromLevers, fundingRow, tornadoChart } from "../../report/conditions.js";
import { renderHtml } from "../../report/html.js";
import type { FullReport, FundingGoal } from "../../report/report-data.js";
import { renderReport } from "../../report/terminal.js";
import { UsageError } from "../errors.js";
import { capThreads, maybePaths, maybeReplicates, maybeSampling, maybeSeed, maybeThreads } from "../options.js";
import { loadOrExit, Runner, seriesUnits } from "./shared.js";

export interface ReportFlags {
  paths?: string;
  seed?: string;
  /** A path, or false for --no-html. */
  html?: string | boolean;
  threads?: string;
  sampling?: string;
  replicates?: string;
}

/**
 * The month the conditions are compared at when the scenario states no goal: 24 (the essay's
 * "beyond two years"), or the horizon if shorter.
 */
export const CONDITIONS_MONTH = 24;
/** The survival the conditions table asks for ("enough"). */
export const GOAL = 0.9;
/** The goal-seek's upper bound for the raise, as a multiple of the scenario's money scale (raiseScale). */
export const RAISE_SPAN = 10;

/**
 * Paths per variant of each analysis, as shares of the baseline's (100k by default → 20k for
 * each of the 32 lever combinations, 5k per goal-seek evaluation and tornado end), and never
 * fewer than min(paths, 1000).
 */
export function analysisPaths(paths: number): { levers: number; goalSeek: number; tornado: number } {
  const scaled = (share: number) => Math.max(Math.min(paths, 1000), Math.round(paths * share));
  return { levers: scaled(0.2), goalSeek: scaled(0.05), tornado: scaled(0.05) };
}

/**
 * The scale of money a scenario deals in, for the raise's goal-seek: the largest of the raise's
 * own 99.9th percentile (or its value, if constant) with the goal's levers on, and the
 * baseline's 90th-percentile shortfall. A fixed range would not do: $0–$100B suits a lab
 * burning billions, but its bisection tolerance (1/10,000 of the range, $10M) swamps a startup's
 * $200K answer.
 */
export function raiseScale(
  model: Model,
  goalLevers: readonly string[],
  shortfallP90: number | undefined,
  amount: string,
): number {
  const { marginals, constants } = paramMarginals(model, goalLevers);
  const own = marginals.find((m) => m.param === amount)?.quantile(0.999) ?? Math.abs(constants.get(amount) ?? 0);
  const scale = Math.max(Number.isFinite(own) ? own : 0, shortfallP90 ?? 0);
  return scale > 0 ? scale : 1;
}

export async function reportCommand(scenario: string, flags: ReportFlags): Promise<void> {
  const paths = maybePaths(flags.paths);
  const seed = maybeSeed(flags.seed);
  const threads = capThreads(maybeThreads(flags.threads), paths);
  const sampling = maybeSampling(flags.sampling);
  const replicates = maybeReplicates(flags.replicates);
  if (flags.html === "") throw new UsageError("--html needs a file name");

  const { model, source } = loadOrExit(scenario);
  const compiled: CompiledModel = compileModel(model);
  // The goal-seek comes from the scenario's `goals:` block (none: no such section).
  const goals = model.scenario.goals;
  const goalTarget = goals ? /^alive@(\d+)\s*>=?\s*([0-9.eE+-]+)$/.exec(goals.target) : null;
  // The conditions and the tornado are read at the month the scenario's question is about: its
  // goal's month where it states one (openai-2026 asks about 2030), else 24 or the horizon.
  const month = Math.min(goalTarget ? Number(goalTarget[1]) : CONDITIONS_MONTH, model.horizon);
  const alive = `alive@${month}`;
  const target = `${alive} >= ${GOAL}`;
  const report = [...new Set([...model.reported, ...calendarSeries(model)])];
  const counts = analysisPaths(paths);
  const threading = {
    ...(threads === undefined ? {} : { threads }),
    ...(sampling === undefined ? {} : { sampling }),
    ...(replicates === undefined ? {} : { replicates }),
  };

  // What runs, and roughly how many paths each stage costs (for the progress bar).
  const k = model.levers.length;
  const runLevers = k > 0 && k <= MAX_LEVERS;
  const goalMonth = month;
  const goalShare = goalTarget ? Number(goalTarget[2]) : GOAL;
  const RAISE = { amount: goals?.vary ?? "", month: goals?.month ?? "", closes: goals?.closes };
  const runGoal = goals !== undefined && goals.month !== undefined;
  const months = (goals?.months ?? []).filter((m) => m <= model.horizon);
  const reach = paramsReaching(model, [], { kind: "alive", month });
  const randomParams = paramMarginals(model).marginals.filter((m) => reach.has(m.param)).length;
  const seekEvaluations = 3 * Math.ceil(Math.log2(1e4)) + 3; // bisections at the default tolerance, plus one check
  const planned = {
    levers: runLevers ? counts.levers * 2 ** k : 0,
    goal: runGoal ? months.length * seekEvaluations * counts.goalSeek : 0,
    tornado: randomParams > 0 ? (2 * randomParams + 1) * counts.tornado : 0,
  };

  const stages = new Runner(paths + planned.levers + planned.goal + planned.tornado, true, source);
  const full: FullReport = { result: undefined as never, units: seriesUnits(model) };
  const notes: string[] = [];
  const analysis = (tick: (f: number) => void): AnalysisRunOptions => ({
    seed,
    ...threading,
    signal: stages.signal,
    onProgress: (done, total) => tick(done / total),
  });
  const skipped = (what: string) => notes.push(`stopped by Ctrl-C: ${what} was not run`);
  try {
    const base = await stages.stage(paths, (tick) => {
      const options: SimulateOptions = {
        paths,
        seed,
        report,
        ...threading,
        signal: stages.signal,
        onProgress: (done: number) => tick(done / paths),
      };
      return simulate(compiled, options);
    });
    const { captures: _unused, ...result } = base;
    full.result = result;

    // 1. The conditions: every combination of the levers.
    if (runLevers && !stages.stopped) {
      const levers = await stages.stage(planned.levers, (tick) =>
        analyzeLevers(compiled, { ...analysis(tick), paths: counts.levers, target }),
      );
      if (!stages.stopped) full.conditions = conditionsFromLevers(levers, model);
    } else if (k > MAX_LEVERS) notes.push(`${k} levers: the conditions table runs at most ${MAX_LEVERS} (2^k runs)`);
    if (runLevers && !full.conditions) skipped("the conditions table");

    // 2. How much must be raised, and by when.
    if (runGoal && !stages.stopped) {
      const goalLevers =
        goals?.levers?.map((l) => l.name) ??
        model.levers.filter((l) => l.set.some((s) => s.name === RAISE.amount)).map((l) => l.name);
      const closes = RAISE.closes;
      const closesDistribution = closes
        ? paramMarginals(model, goalLevers).marginals.find((m) => m.param === closes)?.distribution
        : undefined;
      const outer: [number, number] = [
        0,
        RAISE_SPAN * raiseScale(model, goalLevers, full.result.shortfall?.p90, RAISE.amount),
      ];
      const goal: FundingGoal = {
        target: goals!.target,
        param: RAISE.amount,
        monthParam: RAISE.month,
        ...(closes === undefined ? {} : { closesParam: closes }),
        ...(closesDistribution === undefined ? {} : { closesDistribution }),
        levers: goalLevers,
        range: outer,
        z: 2,
        z95: intervalZ(samplingPlan(counts.goalSeek, sampling, replicates).replicates),
        // The paths each evaluation really takes (rqmc and lhs: whole replicates).
        paths: samplingPlan(counts.goalSeek, sampling, replicates).paths,
        seed,
        rows: [],
      };
      for (const m of months) {
        if (stages.stopped) break;
        const row = await stages.stage(seekEvaluations * counts.goalSeek, async (tick) => {
          const fixed: Record<string, number> = { [RAISE.month]: m, ...(closes ? { [closes]: 1 } : {}) };
          // Check runs ask for a per-path output, like the goal-seek's own, so they share its
          // compiled kernel: a kernel of its own cost every thread a few unoptimised blocks.
          const aliveWith = async (amount: number, held: Record<string, number>) => {
            const run = await simulate(compiled, {
              paths: counts.goalSeek,
              seed,
              ...threading,
              levers: goalLevers,
              fixed: { ...held, [RAISE.amount]: amount },
              report: [],
              capture: [{ kind: "alive", month: goalMonth }],
              signal: stages.signal,
            });
            return run.survival[goalMonth - 1]!;
          };
          // Down from the outer bound by factors of 10 while the target still holds, then bisect
          // up to twice the last amount that held: the bracket's tolerance (1/10,000 of the
          // range) is then at most 0.2% of the answer. The tenfold steps use the goal-seek's
          // paths and seed, so they agree with its own evaluations.
          let top = outer[1];
          if ((await aliveWith(top, fixed)).alive >= goalShare)
            while (top > outer[1] * 1e-9 && (await aliveWith(top / 10, fixed)).alive >= goalShare) top /= 10;
          const seek = (range: [number, number]) =>
            goalSeek(compiled, {
              ...analysis((f) => tick(f * 0.95)),
              paths: counts.goalSeek,
              target: goals!.target,
              vary: RAISE.amount,
              levers: goalLevers,
              fixed,
              range,
              z: goal.z,
            });
          let g = await seek(top < outer[1] ? [0, Math.min(outer[1], 2 * top)] : outer);
          // The pessimistic end of the bracket beyond twice the amount: search the whole range.
          if (g.reached && g.high === null && top < outer[1]) g = await seek(outer);
          goal.z = g.z;
          if (!g.reached || closes === undefined) return fundingRow(m, g);
          // The same amount and month with the close left as uncertain as the scenario says.
          const s = await aliveWith(g.value, { [RAISE.month]: m });
          return fundingRow(m, g, { alive: s.alive, se: s.se });
        });
        if (!stages.stopped) goal.rows.push(row);
      }
      if (goal.rows.length > 0) full.fundingGoal = goal;
      if (stages.stopped) skipped(goal.rows.length ? "part of the funding goal-seek" : "the funding goal-seek");
    }

    // 3. What drives S(24): the tornado.
    if (randomParams > 0 && !stages.stopped) {
      const t = await stages.stage(planned.tornado, (tick) =>
        tornado(compiled, { ...analysis(tick), paths: counts.tornado, output: alive }),
      );
      if (!stages.stopped) full.tornado = tornadoChart(t, model, month);
    }
    if (randomParams > 0 && !full.tornado && stages.stopped) skipped("the tornado");
  } catch (e) {
    if (e instanceof AnalysisError) throw new UsageError(e.hint ? `${e.message} (${e.hint})` : e.message);
    throw e;
  } finally {
    stages.close();
  }
  const calendars = calendarChecks(model, full.result);
  if (calendars.length > 0) {
    full.calendar = calendars[0]!;
    full.calendars = calendars;
  }
  if (full.result.partial) notes.unshift("stopped by Ctrl-C: figures cover the paths finished");
  if (notes.length) full.notes = notes;

  process.stdout.write(renderReport(full, { color: process.stdout.isTTY === true }) + "\n");
  if (flags.html !== false) {
    const file = typeof flags.html === "string" ? flags.html : "report.html";
    try {
      writeFileSync(file, renderHtml(full));
    } catch (e) {
      throw new UsageError(`cannot write '${file}' (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    process.stdout.write(`\nwrote the HTML report to ${resolve(file)}\n`);
  }
}
