// Messages between the page and its Web Workers: one discriminated union each way.

import type { PairedPoint } from "../../src/analysis/compare.js";
import type { RunResult } from "../../src/engine/result.js";
import type { FlatDiagnostic } from "../../src/lang/diagnostics.js";

/** A diagnostic flattened for the page: 1-based line and column, as editors show them. */
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
}

/** One variant to simulate: a scenario text with levers switched on and params held fixed. */
export interface Variant {
  text: string;
  levers: string[];
  fixed: Record<string, number>;
}

/** Survival difference A − B at month t, paired by path (same seed), with its standard error. */
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

export type ToWorker =
  | {
      type: "run";
      id: number;
      variant: Variant;
      paths: number;
      seed: number;
      /** Series to summarise (default: the model's reported series); fewer is faster. */
      report?: string[];
      compare?: Variant;
    }
  | { type: "analyses"; id: number; variant: Variant; paths: number; seed: number; month: number };

export type FromWorker =
  | {
      type: "result";
      id: number;
      diagnostics: PageDiagnostic[];
      info?: ModelInfo;
      result?: RunResult;
      compare?: { result: RunResult; paired: PairedPoint[] } | { diagnostics: PageDiagnostic[] };
      /** Milliseconds the simulation took inside the worker (checking excluded). */
      ms: number;
      error?: string;
    }
  | { type: "analyses"; id: number; levers: LeverRow[]; tornado: TornadoRow[]; month: number; ms: number }
  | { type: "internal-error"; id: number; message: string };
