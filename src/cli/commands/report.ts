// `outlast report NAME` (what `npm start` runs): the baseline run, the calendar-year check
// against reported figures, and each lever switched on alone against the baseline. Every
// variant uses the same seed, so path i sees the same draws in each; the difference in
// S(month) is therefore estimated path by path, with the paired standard error.

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { meanWithSe, pairedDifference } from "../../analysis/index.js";
import { calendarCheck, calendarSeries } from "../../report/calendar.js";
import { renderHtml } from "../../report/html.js";
import type { ConditionRow, FullReport } from "../../report/report-data.js";
import { renderReport } from "../../report/terminal.js";
import { UsageError } from "../errors.js";
import { maybePaths, maybeSeed, maybeThreads } from "../options.js";
import { loadOrExit, Runner, seriesUnits } from "./shared.js";

export interface ReportFlags {
  paths?: string;
  seed?: string;
  /** A path, or false for --no-html. */
  html?: string | boolean;
  threads?: string;
}

/** The month the conditions are compared at: 24 (the essay's "beyond two years"), or the horizon if shorter. */
export const CONDITIONS_MONTH = 24;

export async function reportCommand(scenario: string, flags: ReportFlags): Promise<void> {
  const paths = maybePaths(flags.paths);
  const seed = maybeSeed(flags.seed);
  const threads = maybeThreads(flags.threads);
  if (flags.html === "") throw new UsageError("--html needs a file name");

  const { model, source } = loadOrExit(scenario);
  const month = Math.min(CONDITIONS_MONTH, model.horizon);
  const report = [...new Set([...model.reported, ...calendarSeries(model)])];
  const common = {
    paths,
    seed,
    capture: [{ kind: "alive", month }] as const,
    ...(threads === undefined ? {} : { threads }),
  };

  const runner = new Runner(paths * (1 + model.levers.length), true, source);
  const full: FullReport = { result: undefined as never, units: seriesUnits(model) };
  const rows: ConditionRow[] = [];
  try {
    const base = await runner.run(model, { ...common, report });
    const { captures: baseCaptures, ...result } = base;
    full.result = result;
    const baseAlive = baseCaptures?.[0];
    for (const lever of model.levers) {
      if (runner.stopped || baseAlive === undefined) break;
      const variant = await runner.run(model, { ...common, levers: [lever.name], report: [] });
      const alive = variant.captures?.[0];
      if (alive === undefined) throw new Error("internal: the engine returned no capture for alive@" + month);
      const own = meanWithSe(alive);
      const diff = pairedDifference(baseAlive, alive);
      rows.push({
        lever: lever.name,
        label: lever.label,
        alive: own.value,
        se: own.se,
        diff: diff.value,
        diffSe: diff.se,
      });
    }
    if (baseAlive !== undefined) {
      const b = meanWithSe(baseAlive);
      full.conditions = { month, baseline: { alive: b.value, se: b.se }, rows };
    }
  } finally {
    runner.close();
  }
  const calendar = calendarCheck(model, full.result);
  if (calendar) full.calendar = calendar;
  if (runner.stopped) full.notes = ["stopped by Ctrl-C: figures cover the paths and variants finished"];

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
