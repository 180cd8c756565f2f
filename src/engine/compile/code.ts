// Small pieces of kernel text shared by the compiler's passes: number literals, powers, and the
// names of the samplers the kernel calls.

import type { Expr } from "../../lang/ast.js";
import type { SeriesBody } from "../../lang/model.js";

/** Source text for a number, exact to the bit. */
export function literal(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "(-Infinity)";
  if (Object.is(x, -0)) return "(-0)";
  return x < 0 ? `(${String(x)})` : String(x);
}

/** `a ^ b` for an exponent expression: a itself, an integer power by squaring, or the general power. */
export function genPow(exponent: Expr, a: string, b: string): string {
  if (exponent.kind === "number") {
    if (exponent.value === 1) return a;
    if (Number.isInteger(exponent.value) && Math.abs(exponent.value) <= 1024) return `powInt(${a}, ${b})`;
    return `pwf(${a}, ${b})`;
  }
  return `pw(${a}, ${b})`;
}

/** The formula a series computes each month: a formula's value, a recurrence's next, a stock's change. */
export function monthFormula(body: SeriesBody): Expr {
  return body.kind === "formula" ? body.expr : body.kind === "next" ? body.next : body.change;
}

/** Distribution names in the language → sampler names in the distributions registry. */
export const SAMPLER_OF: Readonly<Record<string, string>> = {
  normal: "normal",
  lognormal: "lognormal",
  uniform: "uniform",
  integer: "integer",
  triangular: "triangular",
  pert: "pert",
  beta: "beta",
  bernoulli: "bernoulli",
  poisson: "poisson",
  range: "range",
};
