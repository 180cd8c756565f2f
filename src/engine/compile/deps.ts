// Pass 1: dependency analysis and hoisting. What each subexpression depends on decides where
// the kernel computes it:
//   - nothing (constants): folded at compile time with the same semantics the kernel uses;
//   - the month only (`1.03 ^ t`): a table filled once per block, read as tab[t];
//   - the path only (params: `1 - d`, `log(raise)`): computed once per path before the months;
//   - both: computed in the month loop.
// Random calls and the stateful `decay`/`growth` are never hoisted (DEP_FIXED).

import { type Expr } from "../../lang/ast.js";
import { BUILTIN_BY_NAME } from "../../lang/builtins.js";
import type { Model } from "../../lang/model.js";
import { isCalendar } from "../lags.js";
import { monthFormula } from "./code.js";
import { variantsOf } from "./levers.js";

/** Dependency flags of a subexpression. */
export const DEP_T = 1; // the month
export const DEP_P = 2; // the path (params, series, draws)
export const DEP_FIXED = 8; // stateful or random: never hoisted

/** The model's names the analysis needs: params (fixed on a path) and series. */
export interface NameIndex {
  readonly paramIndex: ReadonlyMap<string, number>;
  readonly seriesIndex: ReadonlyMap<string, number>;
}

/** Flags of what an expression depends on (DEP_T, DEP_P, DEP_FIXED). */
export function dependsOn(e: Expr, names: NameIndex): number {
  switch (e.kind) {
    case "number":
      return 0;
    case "name":
      if (e.name === "t") return DEP_T;
      if (e.name === "pi") return 0;
      if (names.paramIndex.has(e.name)) return DEP_P;
      if (isCalendar(e.name) && !names.seriesIndex.has(e.name)) return DEP_T;
      return DEP_T | DEP_P | DEP_FIXED;
    case "unary":
      return dependsOn(e.arg, names);
    case "binary":
      return dependsOn(e.left, names) | dependsOn(e.right, names);
    case "range":
      return DEP_T | DEP_P | DEP_FIXED;
    case "call": {
      const b = BUILTIN_BY_NAME.get(e.callee);
      if (b === undefined) throw new Error(`internal: unchecked call '${e.callee}'`);
      if (b.kind === "distribution" || e.callee === "event" || e.callee === "prev") return DEP_T | DEP_P | DEP_FIXED;
      if (e.callee === "decay" || e.callee === "growth") return DEP_T | DEP_P | DEP_FIXED;
      return e.args.reduce((f, a) => f | dependsOn(a, names), 0);
    }
    default:
      throw new Error(`internal: ${e satisfies never}`);
  }
}

/** A leaf: never worth hoisting. */
export function isTrivial(e: Expr): boolean {
  return e.kind === "number" || e.kind === "name";
}

/** Fixed on the path: depends on neither the month nor a draw (it may read params). */
export function pathFixed(flags: number): boolean {
  return (flags & (DEP_T | DEP_FIXED)) === 0;
}

/**
 * Where the kernel computes an expression with dependency flags `d`: folded to a literal, in a
 * table by month filled once per block, once per path before the months, or where it stands.
 */
export type Placement = "fold" | "month-table" | "path" | "inline";

export function placement(e: Expr, d: number, inMonth: boolean): Placement {
  if (d === 0 && e.kind !== "number") return "fold";
  if (inMonth && (d & DEP_FIXED) === 0 && !isTrivial(e)) {
    if (d === DEP_T) return "month-table";
    if ((d & DEP_T) === 0) return "path";
  }
  return "inline";
}

/**
 * The series whose current value `e` carries: if one of them is NaN or infinite, so is `e`,
 * whatever the other operands are. + − × and unary minus carry both sides (∞ − ∞ and ∞ · 0 are
 * NaN), ÷ carries its numerator (x ÷ ∞ is 0); functions, comparisons and powers carry nothing
 * (exp(−∞) is 0). The kernel writes these four operators as they stand (genNode), and a
 * subexpression that names a series is never hoisted or folded.
 */
export function carries(e: Expr, seriesIndex: ReadonlyMap<string, number>): Set<number> {
  switch (e.kind) {
    case "name": {
      const k = seriesIndex.get(e.name);
      return new Set(k === undefined ? [] : [k]);
    }
    case "unary":
      return e.op === "-" ? carries(e.arg, seriesIndex) : new Set();
    case "binary":
      if (e.op === "+" || e.op === "-" || e.op === "*")
        return new Set([...carries(e.left, seriesIndex), ...carries(e.right, seriesIndex)]);
      return e.op === "/" ? carries(e.left, seriesIndex) : new Set();
    default:
      return new Set();
  }
}

/**
 * Series whose current value some other series carries: a non-finite value of theirs makes
 * that series' value non-finite too, under every lever. The month's value is `(body) · sc` or
 * `prev + (change) · sc`, so it carries what its body carries (`carries`); a series whose
 * log is tracked (`logTracked`) is computed as prev · exp(…) and carries nothing.
 */
export function carriedSeries(
  model: Model,
  seriesIndex: ReadonlyMap<string, number>,
  logTracked: ReadonlyMap<number, unknown>,
): Set<number> {
  const covered = new Set<number>();
  model.series.forEach((s, k) => {
    if (logTracked.has(k)) return;
    const sets = variantsOf(model, s.name, s).map(({ body }) => carries(monthFormula(body), seriesIndex));
    for (const j of sets[0]!) if (j !== k && sets.every((c) => c.has(j))) covered.add(j);
  });
  return covered;
}
