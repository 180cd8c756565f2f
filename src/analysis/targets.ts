// Outputs and targets, as users type them on the command line.
//
//   output  := "alive@" MONTH | "runway" | "shortfall" | SERIES "@" MONTH
//   target  := output OP NUMBER          OP is one of >= > <= <
//
// Every output is one number per path (an engine Capture); an analysis summarises it by its
// mean over paths, which for alive@T is the survival probability S(T). Numbers take the
// scenario language's suffixes (K M B T %), so "alive@24 >= 90%" and "cash@24 >= 2B" work.

import type { Capture } from "../engine/options.js";
import type { Model } from "../lang/model.js";
import { AnalysisError, listChoices } from "./errors.js";
import { formatAmount } from "./format.js";

export type TargetOp = ">=" | ">" | "<=" | "<";

/** A goal on the mean of an output over paths, e.g. S(24) ≥ 0.9. */
export interface Target {
  output: Capture;
  op: TargetOp;
  value: number;
}

const OUTPUT_FORMS = "alive@T, runway, shortfall or SERIES@T (e.g. cash@24)";
const SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12, "%": 0.01 };

/** The output as typed: "alive@24", "runway", "shortfall", "cash@24". */
export function formatOutput(output: Capture): string {
  switch (output.kind) {
    case "alive":
      return `alive@${output.month}`;
    case "runway":
      return "runway";
    case "shortfall":
      return "shortfall";
    case "series":
      return `${output.name}@${output.month}`;
    case "param":
      return output.name;
    default:
      throw new Error(`internal: ${output satisfies never}`);
  }
}

export function formatTarget(target: Target): string {
  return `${formatOutput(target.output)} ${target.op} ${formatAmount(target.value, 6)}`;
}

/** Does a statistic meet the target? */
export function meets(target: Target, statistic: number): boolean {
  switch (target.op) {
    case ">=":
      return statistic >= target.value;
    case ">":
      return statistic > target.value;
    case "<=":
      return statistic <= target.value;
    case "<":
      return statistic < target.value;
    default:
      throw new Error(`internal: ${target.op satisfies never}`);
  }
}

/** +1 when larger statistics are better for this target, −1 when smaller ones are. */
export function targetSense(target: Target): 1 | -1 {
  return target.op === ">=" || target.op === ">" ? 1 : -1;
}

/** Parses "12", "2.5B", "90%", "-1e9" (suffixes K M B T %). */
export function parseAmount(text: string): number | undefined {
  const m = /^\s*([+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([KMBT%]?)\s*$/i.exec(text);
  if (!m) return undefined;
  const base = Number(m[1]!.replace(/_/g, ""));
  const suffix = m[2]!.toUpperCase();
  return suffix ? base * SUFFIX[suffix]! : base;
}

/**
 * Parses an output and, when a model is given, checks its names and month against it
 * (months run 1..horizon). Throws AnalysisError with the valid choices.
 */
export function parseOutput(text: string, model?: Model, horizon?: number): Capture {
  const s = text.trim();
  let output: Capture;
  if (s === "runway") output = { kind: "runway" };
  else if (s === "shortfall") output = { kind: "shortfall" };
  else {
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*@\s*(\S+)$/.exec(s);
    if (!m) throw new AnalysisError("bad_output", `unknown output '${text}'; expected ${OUTPUT_FORMS}`);
    const month = Number(m[2]);
    if (!Number.isInteger(month) || month < 1)
      throw new AnalysisError("bad_output", `expected a whole month ≥ 1 after '@' in '${text}', got '${m[2]}'`);
    output = m[1] === "alive" ? { kind: "alive", month } : { kind: "series", name: m[1]!, month };
  }
  if (model) checkOutput(output, model, horizon ?? model.horizon);
  return output;
}

function checkOutput(output: Capture, model: Model, horizon: number): void {
  if (output.kind === "series") {
    const names = model.series.map((s) => s.name);
    if (!names.includes(output.name))
      throw new AnalysisError(
        "unknown_series",
        `unknown output '${output.name}@${output.month}'; expected alive@T, runway, shortfall or one of the series ${listChoices(names.map((n) => n + "@T"))}`,
      );
  }
  if (output.kind === "shortfall" && model.shortfall === undefined)
    throw new AnalysisError(
      "no_shortfall",
      "this scenario defines no shortfall series (set `shortfall:` or name a series `cash`)",
    );
  if ((output.kind === "alive" || output.kind === "series") && output.month > horizon)
    throw new AnalysisError(
      "month_out_of_range",
      `month ${output.month} in '${formatOutput(output)}' is beyond the horizon; expected 1..${horizon}`,
    );
}

/** Parses "alive@24 >= 0.9" and checks it against the model when one is given. */
export function parseTarget(text: string, model?: Model, horizon?: number): Target {
  const m = /^\s*(.+?)\s*(>=|<=|>|<)\s*(.+?)\s*$/.exec(text);
  if (!m)
    throw new AnalysisError(
      "bad_target",
      `malformed target '${text}'; expected OUTPUT OP NUMBER, e.g. "alive@24 >= 0.9", where OUTPUT is ${OUTPUT_FORMS} and OP is one of >=, >, <=, <`,
    );
  const output = parseOutput(m[1]!, model, horizon);
  const value = parseAmount(m[3]!);
  if (value === undefined)
    throw new AnalysisError("bad_target", `expected a number after '${m[2]}' in target '${text}', got '${m[3]}'`);
  if (output.kind === "alive" && !(value >= 0 && value <= 1))
    throw new AnalysisError(
      "bad_target",
      `a survival target is a probability; expected 0..1 (or 0%..100%) in '${text}', got ${value}`,
    );
  return { output, op: m[2] as TargetOp, value };
}

/** The default output: S(24), or S(horizon) when the horizon is shorter. */
export function defaultSurvivalOutput(horizon: number): Capture {
  return { kind: "alive", month: Math.min(24, horizon) };
}
