// CSV export (`run --csv DIR`): one tidy table per file, one header row, months as both the
// simulated month number and the calendar month.
//
//   survival.csv  month,date,alive,low,high,se
//   runway.csv    death_month,date,paths,share        (death_month = horizon + 1: alive at the horizon)
//   series.csv    series,month,date,mean,p5,p25,p50,p75,p95
//   summary.csv   key,value

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureDirectory } from "./directory.js";
import type { RunResult } from "../engine/result.js";
import { monthLabel } from "./format.js";

export const CSV_FILES = ["survival.csv", "runway.csv", "series.csv", "summary.csv"] as const;

/** Writes the CSV files into `dir` (created if missing) and returns their paths. */
export function writeCsv(dir: string, result: RunResult): string[] {
  ensureDirectory(dir);
  const tables = csvTables(result);
  return CSV_FILES.map((name) => {
    const path = join(dir, name);
    writeFileSync(path, tables[name]);
    return path;
  });
}

/** The CSV texts by file name. */
export function csvTables(result: RunResult): Record<(typeof CSV_FILES)[number], string> {
  const survival = [["month", "date", "alive", "low", "high", "se"]];
  for (const s of result.survival)
    survival.push(row(s.month, monthLabel(result.start, s.month), s.alive, s.low, s.high, s.se));

  const runway = [["death_month", "date", "paths", "share"]];
  result.runway.counts.forEach((count, k) => {
    const month = k + 1;
    const date = month > result.horizon ? "alive" : monthLabel(result.start, month);
    runway.push(row(month, date, count, result.paths > 0 ? count / result.paths : NaN));
  });

  const series = [["series", "month", "date", "mean", "p5", "p25", "p50", "p75", "p95"]];
  for (const [name, points] of Object.entries(result.series)) {
    for (const p of points)
      series.push(row(name, p.month, monthLabel(result.start, p.month), p.mean, p.p5, p.p25, p.p50, p.p75, p.p95));
  }

  const r = result.runway;
  const summary: string[][] = [["key", "value"]];
  const add = (key: string, value: string | number | null | undefined) => summary.push(row(key, value ?? ""));
  add("scenario", result.scenario);
  add("file", result.file);
  add("start", result.start);
  add("paths", result.paths);
  add("seed", result.seed);
  add("horizon", result.horizon);
  add("levers", result.levers.join(" "));
  add("alive_at_horizon", r.aliveAtHorizon);
  add("alive_at_horizon_se", r.aliveAtHorizonSe);
  add("runway_median", r.median);
  add("runway_mean", r.mean);
  add("runway_p5", r.p5);
  add("runway_p95", r.p95);
  if (result.shortfall) {
    add("shortfall_series", result.shortfall.series);
    add("shortfall_mean", result.shortfall.mean);
    add("shortfall_p50", result.shortfall.p50);
    add("shortfall_p90", result.shortfall.p90);
    add("shortfall_share", result.shortfall.shareShort);
  }
  if (result.breakEven) {
    add("break_even_share", result.breakEven.reachedShare);
    add("break_even_median", result.breakEven.median);
  }
  if (result.partial) add("partial", "true");

  return {
    "survival.csv": toCsv(survival),
    "runway.csv": toCsv(runway),
    "series.csv": toCsv(series),
    "summary.csv": toCsv(summary),
  };
}

function row(...cells: (string | number)[]): string[] {
  return cells.map((c) => (typeof c === "number" ? (Number.isFinite(c) ? String(c) : "") : inert(c)));
}

/**
 * Text a spreadsheet will not run: a cell starting with = + - @ (or a tab or carriage return
 * before one) is read as a formula by Excel, LibreOffice and Sheets, so it gets a leading
 * apostrophe, as OWASP's advice on CSV injection has it. Numbers are written as numbers.
 */
function inert(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function toCsv(rows: string[][]): string {
  return rows.map((r) => r.map(quote).join(",")).join("\n") + "\n";
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
