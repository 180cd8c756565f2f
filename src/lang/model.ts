// The scenario as loaded from YAML (Scenario) and as checked (Model). The loader keeps every
// formula as an AST with spans; the checker orders and validates it; the compiler reads only
// the Model.

import type { Expr } from "./ast.js";
import type { Span } from "./diagnostics.js";

export interface YearMonth {
  year: number;
  /** 1..12 */
  month: number;
}

/** Where a figure comes from: a citation, or the word "assumption" with a reason. */
export interface Sourced {
  /** Free text citation, e.g. "facts/openai-2024.md §1 (The Information, Jul 2024)" or "assumption: …". */
  source?: string;
  /** Human label shown in reports and the dashboard. */
  label?: string;
  /** Unit of the value, e.g. "USD/month", "USD", "share". */
  unit?: string;
}

export interface ParamDef extends Sourced {
  name: string;
  nameSpan: Span;
  expr: Expr;
}

/**
 * A series is evaluated every month: a plain formula, a recurrence `{start, next}`
 * (value at t = next, prev(x) at t = 1 is start), or a stock `{start, change}` (value = prev + change).
 */
export type SeriesBody =
  | { kind: "formula"; expr: Expr }
  | { kind: "next"; start: Expr; next: Expr }
  | { kind: "stock"; start: Expr; change: Expr };

export type SeriesDef = Sourced &
  SeriesBody & {
    name: string;
    nameSpan: Span;
    /** Set on the series a `rounds:` entry is lowered to: the round's name. */
    round?: string;
    /** A helper series left out of the default report (a round's bookkeeping). */
    hidden?: boolean;
  };

/** One replacement made by a lever: a param's formula, or a series' body. */
export interface LeverSet {
  name: string;
  nameSpan: Span;
  /** A scalar in YAML is a formula (Expr, kind "formula" for series); a mapping is a series body. */
  body: SeriesBody;
}

/**
 * An edit a lever makes on top of the formula in force (the base, or a lever's `set`):
 * `add` adds the formula to it, `scale` multiplies it by the formula. For a series the edit
 * applies to its monthly formula (a formula's value, a recurrence's `next`, a stock's
 * `change`), never to its start.
 */
export interface LeverEdit {
  op: "add" | "scale";
  name: string;
  nameSpan: Span;
  expr: Expr;
}

export interface LeverDef {
  name: string;
  nameSpan: Span;
  label: string;
  description?: string;
  source?: string;
  set: LeverSet[];
  /** add: and scale: edits, in the order written. */
  edits: LeverEdit[];
}

/** A rank correlation between two params (pairs form; a matrix in YAML is expanded to pairs). */
export interface CorrelationDef {
  a: string;
  b: string;
  rho: number;
  span: Span;
}

/** Something that really happened, for hindsight scoring. */
export interface ActualDef {
  /** A series name, or undefined for an event. */
  series?: string;
  /** An event: "alive" (the company was still alive at `month`) or "funding" etc. */
  event?: string;
  month: YearMonth;
  /** For a series: its value that month (in the series' unit). For an event: 1 happened, 0 did not. */
  value: number;
  source: string;
  note?: string;
  span: Span;
}

export interface SourceDef {
  id: string;
  title: string;
  url?: string;
}

/** A scenario file as loaded: structure validated, formulas parsed, names not yet resolved. */
export interface Scenario {
  /** The path as the user gave it (used in messages). */
  file: string;
  /** The whole file text (used to render carets). */
  source: string;
  name: string;
  description?: string;
  start: YearMonth;
  /** Months simulated, 1..1200. */
  horizon: number;
  params: ParamDef[];
  series: SeriesDef[];
  alive: Expr;
  /** Reported series names; undefined means every series. */
  report?: { name: string; span: Span }[];
  /** The series whose deepest negative value is the capital shortfall; default "cash" when it exists. */
  shortfall?: { name: string; span: Span };
  /** Optional break-even condition; the first month it holds is reported per path. */
  breakEven?: Expr;
  levers: LeverDef[];
  correlations: CorrelationDef[];
  actuals: ActualDef[];
  sources: SourceDef[];
  /** Funding rounds that depend on performance (already lowered into `series`). */
  rounds?: RoundDef[];
  /** Named views: changes like a lever's, run on their own and never combined in `levers` analyses. */
  views?: LeverDef[];
  /** Reported figures the report's calendar check compares with. */
  checks?: CheckDef[];
  /** The report's goal-seek: targets, what is varied, the closing months. */
  goals?: GoalDef;
}

/** One tranche of a round: a share of the size, paid `delay` months after closing if `when` holds then. */
export interface TrancheDef {
  share: Expr;
  delay: number;
  when?: Expr;
  span: Span;
}

/** A funding round that depends on performance (see the README, "Rounds"). */
export interface RoundDef extends Sourced {
  name: string;
  nameSpan: Span;
  earliest: YearMonth;
  /** The simulated month of `earliest` (1 = the scenario's start; may be ≤ 0). */
  earliestMonth: number;
  when?: Expr;
  p: Expr;
  size: Expr;
  attempts: number;
  cooldown: number;
  tranches: TrancheDef[];
}

/** A reported figure: the sum of a series over a period (a calendar year, or months from..to). */
export interface CheckDef {
  label: string;
  /** The series as written, e.g. "revenue" or "costs - revenue". */
  series: string;
  seriesSpan: Span;
  /** Its terms: series names with their signs. */
  terms: { name: string; sign: 1 | -1; span: Span }[];
  /** First and last month of the period, inclusive. */
  from: YearMonth;
  to: YearMonth;
  /** The reported value, as a range (low = high for a point figure). */
  low: number;
  high: number;
  /** What happened before the start, in the period: a constant added to the simulated part. */
  before?: Expr;
  source: string;
  span: Span;
}

/** The report's goal-seek: the least value of `vary` reaching each target, per closing month. */
export interface GoalDef {
  /** e.g. "alive@24 >= 0.9". */
  target: string;
  targetSpan: Span;
  /** The param varied (the amount). */
  vary: string;
  varySpan: Span;
  /** The param holding the closing month, and the months tried. */
  month?: string;
  monthSpan?: Span;
  months: number[];
  /** A 0/1 param held at 1 (the round closes for certain). */
  closes?: string;
  closesSpan?: Span;
  /** Levers on while seeking (default: every lever that sets `vary`). */
  levers?: { name: string; span: Span }[];
  span: Span;
}

/** A scenario whose names, arities, ranges and dependencies have been checked. */
export interface Model {
  scenario: Scenario;
  /** Params in dependency order (a param may use earlier params, never a series). */
  params: ParamDef[];
  /** Series in an evaluation order valid for every combination of levers. */
  series: SeriesDef[];
  /** Reported series, in report order. */
  reported: string[];
  /** The shortfall series, if any. */
  shortfall?: string;
  levers: LeverDef[];
  horizon: number;
}
