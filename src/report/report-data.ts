// What `outlast report` shows beyond a run: the calendar-year check against reported figures,
// the five-conditions table (all lever combinations), the funding goal-seek and the tornado.
// Computed by the report command (conditions.ts builds the tables), rendered by terminal.ts and html.ts.

import type { TornadoBar } from "../analysis/index.js";
import type { RunResult } from "../engine/result.js";

/** One lever of the five-conditions table (from the lever analysis, all 2^k combinations on common random numbers). */
export interface ConditionRow {
  lever: string;
  label: string;
  /** S(month) with this lever alone on, and its standard error. */
  alive: number;
  se: number;
  /** Main effect on S(month): with the lever on minus off, averaged over every setting of the others; paired SE. */
  effect: number;
  effectSe: number;
  /** |effect| > z95 SE. */
  clear: boolean;
}

/** A two-way interaction: what a pair adds beyond the sum of its separate effects, with its paired SE. */
export interface ConditionInteraction {
  levers: [string, string];
  effect: number;
  se: number;
  clear: boolean;
}

export interface ConditionsTable {
  month: number;
  /** Paths per combination, and the seed they share. */
  paths: number;
  seed: number;
  /** How many combinations were run (2^k). */
  combinations: number;
  /** The target "enough" is judged against, e.g. "alive@24 >= 0.9". */
  target: string;
  /** S(month) with no lever on and with every lever on. */
  none: { alive: number; se: number };
  all: { alive: number; se: number };
  rows: ConditionRow[];
  /** The largest interactions by |effect| (a few). */
  interactions: ConditionInteraction[];
  /** One paragraph: which levers matter, and whether any one is enough. */
  reading: string;
  /** The 95% intervals' half-width in standard errors (intervalZ: Student's t over the replicates, or 1.96). */
  z95: number;
}

/** One closing month of the funding goal-seek. */
export interface FundingGoalRow {
  month: number;
  reached: boolean;
  /** The least amount that reaches the target (when reached); else where it came closest. */
  value: number;
  /** The bracket the Monte Carlo error leaves (null: that end lies outside the range). */
  low: number | null;
  high: number | null;
  /** S(month) at `value` with the round certain to close, and its SE. */
  achieved: number;
  achievedSe: number;
  /** S(month) at the same amount and closing month when the round closes only as the scenario says. */
  uncertain?: { alive: number; se: number };
}

export interface FundingGoal {
  /** e.g. "alive@24 >= 0.9". */
  target: string;
  /** The param varied (raise_amount) and the one holding the closing month (raise_month). */
  param: string;
  monthParam: string;
  /** The param held at 1 (the round closes), and its distribution in the scenario (e.g. "bernoulli(0.8)"). */
  closesParam?: string;
  closesDistribution?: string;
  levers: string[];
  range: [number, number];
  /** The goal-seek's bracket, in standard errors either side. */
  z: number;
  /** The 95% intervals' half-width in standard errors (intervalZ: Student's t over the replicates, or 1.96). */
  z95: number;
  paths: number;
  seed: number;
  rows: FundingGoalRow[];
}

/** One bar of the tornado (the analysis' bar), with the param's label and unit for display. */
export interface TornadoBarRow extends TornadoBar {
  label?: string;
  unit?: string;
}

export interface TornadoChart {
  /** e.g. "alive@24". */
  output: string;
  month: number;
  /** The output with every param random (no lever on), and its SE. */
  base: number;
  baseSe: number;
  paths: number;
  seed: number;
  /** How many params were varied; the chart shows the top few. */
  varied: number;
  bars: TornadoBarRow[];
  /** The 95% intervals' half-width in standard errors (intervalZ: Student's t over the replicates, or 1.96). */
  z95: number;
}

/** One line of the calendar-year check: reported part + simulated part against the reported full year. */
export interface CalendarLine {
  /** The check's name (its series when it has none). */
  name: string;
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
  /** The first year's calendar check (also calendars[0]). */
  calendar?: CalendarCheck;
  /** One calendar check per year the scenario's `checks:` name. */
  calendars?: CalendarCheck[];
  conditions?: ConditionsTable;
  /** How much must be raised, and by when, to reach the target. */
  fundingGoal?: FundingGoal;
  /** The params that move S(month) most. */
  tornado?: TornadoChart;
  /** Units of the series by name (from the scenario), so charts label money as money and the rest plainly. */
  units?: Record<string, string>;
  /** Notes shown at the end (e.g. the cap on --precision). */
  notes?: string[];
}
