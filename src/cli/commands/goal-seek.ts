// `outlast goal-seek`: the least (or greatest) value of a param or a series multiplier that
// reaches a target, with the bracket the Monte Carlo error leaves.

import { goalSeek } from "../../analysis/index.js";
import { formatAmount } from "../../analysis/format.js";
import { UsageError } from "../errors.js";
import { prepareAnalysis, toJson, withAnalysis, type AnalysisFlags } from "./levers.js";

export interface GoalSeekFlags extends AnalysisFlags {
  target?: string;
  vary?: string;
  range?: string;
  z?: string;
}

export async function goalSeekCommand(scenario: string, flags: GoalSeekFlags): Promise<void> {
  if (flags.target === undefined) throw new UsageError('goal-seek needs --target, e.g. --target "alive@24 >= 0.9"');
  if (flags.vary === undefined)
    throw new UsageError("goal-seek needs --vary PARAM (or SERIES* for a multiplier on a series)");
  const z = flags.z === undefined ? undefined : Number(flags.z);
  if (z !== undefined && !(z > 0 && z <= 10))
    throw new UsageError(`expected a number in (0, 10] for --z, got '${flags.z}'`);
  const prepared = prepareAnalysis(scenario, flags, 20_000);
  const model = prepared.model;
  const { target, vary } = flags;
  const result = await withAnalysis(prepared, (options) =>
    goalSeek(model, {
      ...options,
      target,
      vary,
      ...(flags.range === undefined ? {} : { range: flags.range }),
      ...(z === undefined ? {} : { z }),
    }),
  );
  if (flags.json) {
    process.stdout.write(toJson(result) + "\n");
    return;
  }
  process.stdout.write(
    `${model.scenario.name}: goal seek on ${result.param} over ${formatAmount(result.range[0])}..${formatAmount(result.range[1])}, ` +
      `${result.paths.toLocaleString("en-US")} paths per evaluation, ${result.evaluations} evaluations, seed ${result.seed}\n` +
      result.summary +
      "\n",
  );
}
