// Messages between the page and its Web Workers: one discriminated union each way.

import type { GoalSeekResult, HindsightResult, PairedPoint, SobolResult } from "../../src/analysis/index.js";
import type { RunResult } from "../../src/engine/result.js";
import type { FlatDiagnostic } from "../../src/lang/diagnostics.js";

/** A diagnostic as the page shows it: flat line and column, as the editor uses them. */
export type PageDiagnostic = FlatDiagnostic;

/** A param as the page shows it: its slider range (5th–95th percentile) and its source. */
export interface ParamInfo {
  name: string;
  label?: string;
  unit?: string;
  source?: string;
  /** The formula as written. */
  formula: string;
  /** Where the formula sits in the text (offsets), so the page can replace it. */
  from: number;
  to: number;
  /** Shown as a percent: its unit says so, or its formula is written with `%`. */
  percent: boolean;
  /** Slider range; absent when the param is not a distribution with constant arguments. */
  lo?: number;
  hi?: number;
  median?: number;
  discrete: boolean;
}

export interface LeverInfo {
  name: string;
  label: string;
  description?: string;
  source?: string;
  /** The params this lever sets (goal-seek can vary LEVER.PARAM). */
  params: string[];
}

export interface SeriesInfo {
  name: string;
  label?: string;
  unit?: string;
  source?: string;
}

export interface ModelInfo {
  name: string;
  start: string;
  horizon: number;
  params: ParamInfo[];
  levers: LeverInfo[];
  series: SeriesInfo[];
  reported: string[];
  sources: { id: string; title: string; url?: string }[];
  /** How many `actuals:` the scenario lists (hindsight needs at least one). */
  actuals: number;
  /** The month its question is about: its goal's (`goals: {target: alive@60 >= 0.9}`), else 24, at most the horizon. */
  month: number;
  /** Its goal-seek target, when it states one. */
  goal?: string;
}

/** One variant to simulate: a scenario text with levers switched on and params held fixed. */
export interface Variant {
  text: string;
  levers: string[];
  fixed: Record<string, number>;
}

export type { PairedPoint };

export interface LeverRow {
  levers: string[];
  alive: number;
  se: number;
}

export interface TornadoRow {
  param: string;
  label: string;
  lowValue: number;
  highValue: number;
  /** S(month) with the param held at its 10th and 90th percentiles. */
  low: number;
  high: number;
  /** Params correlated with this one, drawn given its value. */
  given: string[];
}

/** A compared variant's run, paired path by path with the current one (same seed). */
export type CompareOutcome = { result: RunResult; paired: PairedPoint[] } | { diagnostics: PageDiagnostic[] };

export type ToolRequest =
  | { tool: "goal-seek"; target: string; vary: string; range?: string }
  | { tool: "hindsight" }
  | { tool: "sobol"; output: string; n: number };

export type ToolResult =
  | { tool: "goal-seek"; result: GoalSeekResult }
  | { tool: "hindsight"; result: HindsightResult }
  | { tool: "sobol"; result: SobolResult };

export type ToWorker =
  | {
      type: "run";
      id: number;
      variant: Variant;
      paths: number;
      seed: number;
      /** Series to summarise (default: the model's reported series); fewer is faster. */
      report?: string[];
      compare?: Variant[];
    }
  | { type: "analyses"; id: number; variant: Variant; paths: number; seed: number; month: number }
  | { type: "tool"; id: number; variant: Variant; paths: number; seed: number; request: ToolRequest };

/** How a run drew its paths: the paths it took, the sampling and its replicates (null for mc). */
export interface Draws {
  paths: number;
  sampling: "rqmc" | "lhs" | "mc";
  replicates: number | null;
}

export type FromWorker =
  | {
      type: "result";
      id: number;
      diagnostics: PageDiagnostic[];
      info?: ModelInfo;
      result?: RunResult;
      compare?: CompareOutcome[];
      /** Milliseconds the simulation took inside the worker (checking excluded). */
      ms: number;
      error?: string;
      /** The runtime error's place in the text, when it has one (NaN in a formula, say). */
      errorAt?: PageDiagnostic;
    }
  | {
      type: "analyses";
      id: number;
      levers: LeverRow[];
      tornado: TornadoRow[];
      /** S(month) with every param drawn: the tornado's baseline (the headline's figure). */
      base: number;
      baseSe: number;
      month: number;
      /** How each of the analyses' runs drew: the paths it took (10,000 asked: 8,192 under rqmc). */
      draws: Draws;
      ms: number;
    }
  | { type: "tool"; id: number; outcome: ToolResult | { tool: ToolRequest["tool"]; error: string }; ms: number }
  | { type: "internal-error"; id: number; message: string };
