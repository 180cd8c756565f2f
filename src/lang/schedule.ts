// Schedules: a series written as dated entries, `{ schedule: { 2024-10: 6.6B, 2025-04: 10B },
// between: zero | step | linear }`. A schedule is shorthand for one formula of t, built here,
// so the checker, the compiled kernel and the interpreter treat it as any other formula. With
// entries at months t₁ < t₂ < … < tₙ and values v₁ … vₙ:
//
//   zero    vᵢ at tᵢ, 0 in every other month (payments, tranches)          — the default
//   step    0 before t₁; vᵢ from tᵢ until the next entry; vₙ from tₙ on      (levels, plans)
//   linear  0 before t₁; from vᵢ at tᵢ straight to vᵢ₊₁ at tᵢ₊₁; vₙ from tₙ on (ramps)

import type { BinaryOp, Expr } from "./ast.js";
import type { Span } from "./diagnostics.js";

export const BETWEEN_MODES = ["zero", "step", "linear"] as const;
export type Between = (typeof BETWEEN_MODES)[number];

/** One entry: its month as t, its value, and the span of its key (for synthetic nodes). */
export interface ScheduleEntry {
  t: number;
  value: Expr;
  keySpan: Span;
}

/** The formula of t that a schedule stands for; `entries` are in increasing t. */
export function scheduleFormula(entries: readonly ScheduleEntry[], between: Between, span: Span): Expr {
  const num = (value: number, at: Span): Expr => ({ kind: "number", value, text: String(value), span: at });
  const t = (at: Span): Expr => ({ kind: "name", name: "t", span: at });
  const bin = (op: BinaryOp, left: Expr, right: Expr, at: Span): Expr => ({
    kind: "binary",
    op,
    left,
    right,
    span: at,
  });
  const iff = (c: Expr, a: Expr, b: Expr, at: Span): Expr => ({
    kind: "call",
    callee: "if",
    calleeSpan: at,
    args: [c, a, b],
    span: at,
  });
  if (entries.length === 0) return num(0, span);
  if (between === "zero") {
    let out = num(0, span);
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      out = iff(bin("==", t(e.keySpan), num(e.t, e.keySpan), e.keySpan), e.value, out, e.keySpan);
    }
    return out;
  }
  // step and linear: the last value from tₙ on, then each earlier stretch, then 0 before t₁.
  let out = entries.at(-1)!.value;
  for (let i = entries.length - 2; i >= 0; i--) {
    const [e, next] = [entries[i]!, entries[i + 1]!];
    let value = e.value;
    if (between === "linear") {
      // vᵢ + (vᵢ₊₁ − vᵢ) · (t − tᵢ) / (tᵢ₊₁ − tᵢ)
      const at = e.keySpan;
      const rise = bin("-", next.value, e.value, at);
      const run = bin("-", t(at), num(e.t, at), at);
      value = bin("+", e.value, bin("/", bin("*", rise, run, at), num(next.t - e.t, at), at), at);
    }
    out = iff(bin("<", t(next.keySpan), num(next.t, next.keySpan), next.keySpan), value, out, next.keySpan);
  }
  const first = entries[0]!;
  return iff(bin("<", t(first.keySpan), num(first.t, first.keySpan), first.keySpan), num(0, span), out, span);
}
