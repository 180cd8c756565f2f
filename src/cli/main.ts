#!/usr/bin/env node
// The `outlast` command line. Commands are imported when run, so `outlast list` or a usage
// error never loads the engine. Exit codes: 0 ok, 1 bad scenario or runtime model error,
// 2 bad usage, 3 internal error (a bug: the message says so).

import { readFileSync } from "node:fs";
import { Command } from "commander";
import { handleError } from "./errors.js";
import { registerServe } from "./commands/serve.js";
import { registerWorker } from "./commands/worker.js";
import {
  registerCompare,
  registerGoalSeek,
  registerHindsight,
  registerLevers,
  registerSensitivity,
} from "./commands/analyses.js";
import { installNodeRunner, precisionRoundThreads } from "../node/install.js";
import { settleSharedPool } from "../node/pool.js";
import { precisionOnWorkers } from "./options.js";

installNodeRunner();

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

export function buildProgram(): Command {
  const program = new Command("outlast")
    .description("Probabilistic survival and runway simulator: will this company outlast the next N months?")
    .version(packageVersion(), "-V, --version")
    .showHelpAfterError("(run `outlast help` or `outlast <command> --help` for usage)")
    .exitOverride();

  program
    .command("run")
    .description("simulate a scenario and summarise survival, runway, shortfall and the reported series")
    .argument("<scenario>", "a scenario file, or a built-in name such as openai-2024")
    .option("-n, --paths <n>", "number of paths: 100000, 1e6, 1_000_000 or 100k (default 100k)")
    .option("-s, --seed <s>", "random seed, a non-negative integer (default 1)")
    .option("--horizon <months>", "months to simulate (default: the scenario's horizon)")
    .option("--json", "print the run result as JSON on stdout")
    .option("--csv <dir>", "write survival.csv, runway.csv, series.csv and summary.csv into DIR")
    .option("--xlsx <file>", "write an Excel workbook")
    .option("--html <file>", "write a self-contained HTML report")
    .option("--svg <dir>", "write each chart as a standalone SVG file into DIR")
    .option("--precision <h>", "double the paths until the 95% interval of S(horizon) is within H of it (e.g. 0.002)")
    .option("--threads <n>", "worker threads (default: every core for large runs)")
    .option("--levers <a,b>", "switch on these levers (comma-separated)")
    .option(
      "--report <a,b>",
      "summarise only these series per month (comma-separated; default: the scenario's report:)",
    )
    .option("--sampling <method>", "rqmc (scrambled Sobol' points), lhs (Latin hypercube) or mc (plain Monte Carlo)")
    .option("--replicates <r>", "independent replicates of an rqmc or lhs run, at least 8 (default 16)")
    .option(
      "--redis <url>",
      "fan the run's chunks out to `outlast worker` processes on this Redis (same bytes as local)",
    )
    .option(
      "--verbose",
      "also print the rank correlations the run achieved between correlated params, and how many draws are quasi-Monte Carlo dimensions",
    )
    .option("--view <name>", "run the scenario's view NAME (from its views: block)")
    .action(async (scenario: string, opts: Record<string, unknown>) => {
      // --precision's workers start before the command's own modules load (precisionRoundThreads says why).
      if (precisionOnWorkers(opts)) precisionRoundThreads();
      const { runCommand } = await import("./commands/run.js");
      await runCommand(scenario, opts);
    });

  program
    .command("check")
    .description("check a scenario and print every problem found")
    .argument("<scenario>", "a scenario file, or a built-in name")
    .action(async (scenario: string) => {
      const { checkCommand } = await import("./commands/check.js");
      checkCommand(scenario);
    });

  program
    .command("list")
    .description("list the built-in scenarios")
    .action(async () => {
      const { listCommand } = await import("./commands/list.js");
      listCommand();
    });

  program
    .command("init")
    .description("start a new scenario from a built-in one")
    .argument("<file>", "the new scenario file (must not exist)")
    .option("--from <name>", "the built-in to copy", "openai-2024")
    .action(async (file: string, opts: { from: string }) => {
      const { initCommand } = await import("./commands/init.js");
      initCommand(file, opts.from);
    });

  program
    .command("parse")
    .description("print a formula's syntax tree as an S-expression")
    .argument("<formula>", 'a formula, e.g. "prev(cash) + revenue * (1 - 20%)"')
    .action(async (formula: string) => {
      const { parseCommand } = await import("./commands/parse.js");
      parseCommand(formula);
    });

  program
    .command("report")
    .description("the full report: survival, runway, shortfall, the calendar-year check and the conditions")
    .argument("<scenario>", "a scenario file, or a built-in name such as openai-2024")
    .option("-n, --paths <n>", "paths per variant (default 100k)")
    .option("-s, --seed <s>", "random seed (default 1)")
    .option("--html <file>", "where to write the HTML report", "report.html")
    .option("--no-html", "do not write the HTML report")
    .option("--threads <n>", "worker threads")
    .option("--sampling <method>", "rqmc (scrambled Sobol' points), lhs (Latin hypercube) or mc (plain Monte Carlo)")
    .option("--replicates <r>", "independent replicates of an rqmc or lhs run, at least 8 (default 16)")
    .action(async (scenario: string, opts: Record<string, unknown>) => {
      const { reportCommand } = await import("./commands/report.js");
      await reportCommand(scenario, opts);
    });

  registerLevers(program);
  registerSensitivity(program);
  registerGoalSeek(program);
  registerHindsight(program);
  registerCompare(program);

  registerServe(program);
  registerWorker(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    return handleError(e);
  }
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => stream.write("", () => resolve()));
}

// A closed pipe (`outlast run … | head`) is the reader's choice, not an error: output stops, the
// command ends as it would have (`check bad.yaml | true` still exits 1).
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") process.exit(3);
  });
}
const code = await main(process.argv);
await Promise.all([flush(process.stdout), flush(process.stderr)]);
// A worker a short run finished without may still be loading: exiting then would abort the process.
await settleSharedPool();
// Exit explicitly: a worker pool or a pending timer must not keep a finished command alive.
process.exit(code);
