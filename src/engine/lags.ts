// What the compiler needs for the time constructs of the language: the calendar names `year`
// and `month`, and lags `prev(x, k)`, which keep each lagged series' last k values in a ring
// per path (the interpreter keeps every month and reads back, so the two are checked against
// each other).

import type { Expr } from "../lang/ast.js";
import { CALENDAR_NAMES, calendarOffset } from "../lang/calendar.js";
import type { Model, SeriesBody, YearMonth } from "../lang/model.js";
import { evaluateConstant } from "./semantics.js";

export function isCalendar(name: string): name is (typeof CALENDAR_NAMES)[number] {
  return (CALENDAR_NAMES as readonly string[]).includes(name);
}

/** Kernel code for `year` or `month` at month `t` (integers, exact; see calendar.ts). */
export function calendarCode(name: "year" | "month", start: YearMonth): string {
  const offset = calendarOffset(start);
  return name === "year" ? `Math.floor((${offset} + t) / 12)` : `((${offset} + t) % 12 + 1)`;
}

/** The lag of a checked `prev(x)` or `prev(x, k)` call: 1 or the constant k. */
export function lagOf(call: Extract<Expr, { kind: "call" }>): number {
  const k = call.args[1];
  if (k === undefined) return 1;
  const v = evaluateConstant(k);
  if (!Number.isInteger(v) || v < 1) throw new Error("internal: prev's lag is not a checked constant");
  return v;
}

/** The longest lag each series is read at, over every formula of the model (base and levers). */
export function longestLags(formulas: Iterable<Expr>): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case "call":
        if (e.callee === "prev" && e.args[0]?.kind === "name") {
          const k = lagOf(e);
          if (k > 1) out.set(e.args[0].name, Math.max(out.get(e.args[0].name) ?? 0, k));
        }
        return e.args.forEach(visit);
      case "unary":
        return visit(e.arg);
      case "binary":
        visit(e.left);
        return visit(e.right);
      case "range":
        visit(e.lo);
        return visit(e.hi);
      default:
        return;
    }
  };
  for (const f of formulas) visit(f);
  return out;
}

/** Every formula of a model: params, series bodies, levers' replacements and edits, alive, breakeven. */
export function* modelFormulas(model: Model): Generator<Expr> {
  const body = function* (b: SeriesBody): Generator<Expr> {
    if (b.kind === "formula") yield b.expr;
    else {
      yield b.start;
      yield b.kind === "next" ? b.next : b.change;
    }
  };
  for (const p of model.params) yield p.expr;
  for (const s of model.series) yield* body(s);
  for (const l of model.levers) {
    for (const set of l.set) yield* body(set.body);
    for (const edit of l.edits) yield edit.expr;
  }
  yield model.scenario.alive;
  if (model.scenario.breakEven) yield model.scenario.breakEven;
}
