// The analysis commands' flags and help, registered on the program by main.ts. Each command's
// code is imported only when it runs, so `outlast list` or a usage error never loads the engine.

import type { Command } from "commander";

const SCENARIO = "a scenario file, or a built-in name such as openai-2024";

function common(cmd: Command, defaultPaths: string): Command {
  return cmd
    .option("-n, --paths <n>", `paths per variant (default ${defaultPaths})`)
    .option("-s, --seed <s>", "random seed shared by every variant (default 1)")
    .option("--horizon <months>", "months to simulate (default: the scenario's horizon)")
    .option("--threads <n>", "worker threads")
    .option("--sampling <method>", "rqmc (scrambled Sobol' points), lhs (Latin hypercube) or mc (plain Monte Carlo)")
    .option("--replicates <r>", "independent replicates of an rqmc or lhs run, at least 8 (default 16)")
    .option("--fix <name=value,…>", "hold params at these values in every variant, e.g. raise_closes=1,raise_month=6")
    .option("--json", "print the result as JSON on stdout");
}

export function registerLevers(program: Command): void {
  common(program.command("levers"), "100k")
    .description(
      "all 2^k combinations of the levers: S(t), main effects, interactions, smallest sets reaching a target",
    )
    .argument("<scenario>", SCENARIO)
    .option("--target <target>", 'e.g. "alive@24 >= 0.9" (the default)')
    .action(async (scenario: string, opts: Record<string, string | boolean | undefined>) => {
      const { leversCommand } = await import("./levers.js");
      await leversCommand(scenario, opts);
    });
}

export function registerSensitivity(program: Command): void {
  common(program.command("sensitivity"), "20k")
    .description("tornado (params at their 10th/90th percentiles) and Sobol first-order and total indices")
    .argument("<scenario>", SCENARIO)
    .option("--output <out>", "alive@T, runway, shortfall or SERIES@T such as cash@24 (default alive@24)")
    .option("--params <a,b>", "only these params (default: every param with a distribution of its own)")
    .option(
      "--sobol-paths <n>",
      "rows of each Sobol sample matrix; the run costs (params + 2) × N paths (default 8192)",
    )
    .option("--bootstrap <n>", "bootstrap replicates for the Sobol intervals (default 1000)")
    .option("--levers <a,b>", "switch on these levers")
    .action(async (scenario: string, opts: Record<string, string | boolean | undefined>) => {
      const { sensitivityCommand } = await import("./sensitivity.js");
      await sensitivityCommand(scenario, opts);
    });
}

export function registerGoalSeek(program: Command): void {
  common(program.command("goal-seek"), "20k")
    .description("the least (or greatest) value of a param or series multiplier that reaches a target")
    .argument("<scenario>", SCENARIO)
    .option("--target <target>", 'e.g. "alive@24 >= 0.9"')
    .option(
      "--vary <param>",
      "a param, LEVER.PARAM for a lever's setting (e.g. funding.raise_amount), or SERIES* for a multiplier on a series",
    )
    .option("--range <lo..hi>", "values to search, e.g. 1B..40B (default: the param's 0.1–99.9th percentiles)")
    .option("--z <z>", "standard errors either side for the bracket (default 2)")
    .option("--levers <a,b>", "switch on these levers")
    .action(async (scenario: string, opts: Record<string, string | boolean | undefined>) => {
      const { goalSeekCommand } = await import("./goal-seek.js");
      await goalSeekCommand(scenario, opts);
    });
}

export function registerHindsight(program: Command): void {
  common(program.command("hindsight"), "100k")
    .description("the forecast against the scenario's actuals: percentiles, CRPS, survival events")
    .argument("<scenario>", SCENARIO)
    .option("--levers <a,b>", "switch on these levers")
    .action(async (scenario: string, opts: Record<string, string | boolean | undefined>) => {
      const { hindsightCommand } = await import("./hindsight.js");
      await hindsightCommand(scenario, opts);
    });
}

export function registerCompare(program: Command): void {
  common(program.command("compare"), "100k")
    .description(
      "scenarios (versions of one, or different companies) on the same draws: S(t) of each on one chart, and each one's difference from the first",
    )
    .argument("<base>", SCENARIO)
    .argument("<others...>", "the scenarios to compare with the base (one or more)")
    .option("--levers <a,b>", "switch on these levers in every scenario (each must define them)")
    .option("--svg <file>", "write the survival curves as one SVG chart")
    .option("--html <file>", "write the comparison as a self-contained HTML page")
    .action(async (base: string, others: string[], opts: Record<string, string | boolean | undefined>) => {
      const { compareCommand } = await import("./compare.js");
      await compareCommand([base, ...others], opts);
    });
}
