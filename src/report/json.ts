// The `--json` output: the RunResult with its keys in the documented order and every
// non-integer rounded to ten significant digits, so the same seed gives the same bytes
// whatever the platform's last-bit floating-point differences.

import type { RunResult } from "../engine/result.js";

/** Significant digits kept for non-integers in JSON output. */
export const JSON_SIGNIFICANT_DIGITS = 10;

const runKeys = [
  "scenario",
  "file",
  "start",
  "paths",
  "seed",
  "sampling",
  "replicates",
  "horizon",
  "levers",
  "survival",
  "runway",
  "shortfall",
  "breakEven",
  "series",
  "quantileMethod",
  "partial",
] as const satisfies readonly (keyof RunResult)[];

/** The JSON text of a run: `JSON.stringify(result, null, 2)` of the ordered, rounded result. */
export function formatRunJson(result: RunResult): string {
  return JSON.stringify(stableRunResult(result), null, 2);
}

/** A copy of the result holding only RunResult's documented keys (no captures), rounded. */
export function stableRunResult(result: RunResult): RunResult {
  const out: Record<string, unknown> = {};
  for (const key of runKeys) {
    if (result[key] !== undefined) out[key] = roundDeep(result[key]);
  }
  return out as unknown as RunResult;
}

/** Rounds every non-integer number to JSON_SIGNIFICANT_DIGITS; non-finite numbers become null. */
export function roundDeep(value: unknown): unknown {
  if (typeof value === "number") return roundNumber(value);
  if (Array.isArray(value)) return value.map(roundDeep);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, roundNumber);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = roundDeep(v);
    return out;
  }
  return value;
}

function roundNumber(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  if (Number.isInteger(x)) return x;
  const r = Number(x.toPrecision(JSON_SIGNIFICANT_DIGITS));
  return Object.is(r, -0) ? 0 : r;
}
