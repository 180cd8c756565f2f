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

/**
 * The formula of t that a schedule stands for; `entries` are in increasing t. The months are
 * split into stretches (before t₁, [tᵢ, tᵢ₊₁), from tₙ on) and chosen by a balanced tree of
 * `if(t < boundary, …, …)`, so a long schedule costs log₂ n comparisons a month and nests
 * only log₂ n deep.
 */
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
  // Stretch i starts at month `from` (the first one at −∞) and has the value `value`.
  const stretches: { from: number; at: Span; value: Expr }[] = [{ from: -Infinity, at: span, value: num(0, span) }];
  entries.forEach((e, i) => {
    const next = entries[i + 1];
    let value: Expr;
    if (between === "zero")
      value = iff(bin("==", t(e.keySpan), num(e.t, e.keySpan), e.keySpan), e.value, num(0, e.keySpan), e.keySpan);
    else if (between === "step" || next === undefined) value = e.value;
    else {
      // vᵢ + (vᵢ₊₁ − vᵢ) · (t − tᵢ) / (tᵢ₊₁ − tᵢ)
      const at = e.keySpan;
      const rise = bin("-", next.value, e.value, at);
      const run = bin("-", t(at), num(e.t, at), at);
      value = bin("+", e.value, bin("/", bin("*", rise, run, at), num(next.t - e.t, at), at), at);
    }
    stretches.push({ from: e.t, at: e.keySpan, value });
  });
  const choose = (lo: number, hi: number): Expr => {
    if (lo === hi) return stretches[lo]!.value;
    const mid = Math.ceil((lo + hi) / 2);
    const s = stretches[mid]!;
    return iff(bin("<", t(s.at), num(s.from, s.at), s.at), choose(lo, mid - 1), choose(mid, hi), s.at);
  };
  return choose(0, stretches.length - 1);
}
