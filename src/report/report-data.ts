// What `outlast report` shows beyond a run: the calendar-year check against reported figures
// and the five-conditions table. Computed by the report command, rendered by terminal.ts and html.ts.

import type { RunResult } from "../engine/result.js";

/** One lever switched on alone, against the baseline, at `ConditionsTable.month`. */
export interface ConditionRow {
  lever: string;
  label: string;
  /** S(month) with the lever on, and its standard error. */
  alive: number;
  se: number;
  /** S(month) with the lever minus without, per path (common random numbers), and the SE of that paired difference. */
  diff: number;
  diffSe: number;
}

export interface ConditionsTable {
  month: number;
  baseline: { alive: number; se: number };
  rows: ConditionRow[];
}

/** One line of the calendar-year check: reported part + simulated part against the reported full year. */
export interface CalendarLine {
  name: "revenue" | "costs" | "loss";
  /** Reported figure for the months before the simulation starts (e.g. H1 2024), when the scenario gives it. */
  reported?: number;
  /** Sum over the simulated months of the year of the per-month mean. */
  simulated: number;
  /** reported + simulated, when reported is known. */
  total?: number;
  /** What was reported for the whole year, as a range (low = high for a point figure). */
  expectedLow: number;
  expectedHigh: number;
}

export interface CalendarCheck {
  year: number;
  /** Months of the year before the simulation (reported), and simulated months of the year. */
  reportedMonths: number;
  simulatedMonths: number;
  lines: CalendarLine[];
  /** Where the reported full-year figures come from. */
  source: string;
  /** Why some lines are missing (e.g. no cost series), shown under the table. */
  notes: string[];
}

export interface FullReport {
  result: RunResult;
  calendar?: CalendarCheck;
  conditions?: ConditionsTable;
  /** Units of the series by name (from the scenario), so charts label money as money and the rest plainly. */
  units?: Record<string, string>;
  /** Notes shown at the end (e.g. the cap on --precision). */
  notes?: string[];
}
