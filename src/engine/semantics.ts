// The meaning of each operator and function of the formula language, in one place. The
// compiled kernel and the reference interpreter both call these (or inline exactly the same
// operations), so they agree bit for bit.
//
// Truth values are numbers: comparisons give 1 or 0, and a value is true when it is neither
// 0 nor NaN (JavaScript's own rule for numbers).

import type { Expr } from "../lang/ast.js";

/**
 * x ^ y. Math.pow costs about 30 ns in V8, so:
 * - an integer y with |y| ≤ 1024 is repeated multiplication from the left (x·x·…·x, then 1/…
 *   for y < 0): exact when every partial product is, so 10^2 = 100, within |y| ulps otherwise.
 *   Because x^t = x^(t−1)·x bit for bit, the compiler turns `x ^ t` with x fixed on a path into
 *   one multiplication per month;
 * - otherwise, for x > 0, exp(y·log x): about 10 ns, relative error near |y·log x|·2^-53;
 * - otherwise Math.pow (negative bases with fractional or huge exponents).
 * All far below Monte Carlo noise, and the same bits in the kernel and the interpreter.
 */
export function pw(x: number, y: number): number {
  if (Number.isInteger(y) && y >= -1024 && y <= 1024) return powInt(x, y);
  return x > 0 ? Math.exp(y * Math.log(x)) : Math.pow(x, y);
}

/** x ^ n for an integer n, |n| ≤ 1024: repeated multiplication from the left. */
export function powInt(x: number, n: number): number {
  const m = n < 0 ? -n : n;
  let r = 1;
  for (let i = 0; i < m; i++) r *= x;
  return n < 0 ? 1 / r : r;
}

/** x ^ y for a literal non-integer y. */
export function pwf(x: number, y: number): number {
  return x > 0 ? Math.exp(y * Math.log(x)) : Math.pow(x, y);
}

/** round half away from zero (Math.round rounds halves up). */
export function rnd(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/** Adoption from 0 to 1: a logistic curve through 1/2 at `midpoint`. */
export function scurve(t: number, midpoint: number, steepness: number): number {
  return 1 / (1 + Math.exp(-steepness * (t - midpoint)));
}

/** Evaluates an expression with no dependencies, exactly as the kernel would. */
export function evaluateConstant(e: Expr): number {
  switch (e.kind) {
    case "number":
      return e.value;
    case "name":
      if (e.name === "pi") return Math.PI;
      throw new Error(`internal: '${e.name}' is not constant`);
    case "unary": {
      const a = evaluateConstant(e.arg);
      return e.op === "-" ? -a : a ? 0 : 1;
    }
    case "binary": {
      const a = evaluateConstant(e.left);
      const b = evaluateConstant(e.right);
      return applyBinary(e.op, a, b, e.right);
    }
    case "call":
      return applyFunction(e.callee, e.args.map(evaluateConstant));
    case "range":
      throw new Error("internal: a distribution is not constant");
    default:
      throw new Error(`internal: ${e satisfies never}`);
  }
}

/** A binary operator's value; `exponentNode` picks the form of ^ exactly as the compiler does. */
export function applyBinary(op: string, a: number, b: number, exponentNode: Expr): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "^":
      if (exponentNode.kind === "number") {
        if (exponentNode.value === 1) return a;
        if (Number.isInteger(exponentNode.value) && Math.abs(exponentNode.value) <= 1024) return powInt(a, b);
        return pwf(a, b);
      }
      return pw(a, b);
    case "<":
      return a < b ? 1 : 0;
    case "<=":
      return a <= b ? 1 : 0;
    case ">":
      return a > b ? 1 : 0;
    case ">=":
      return a >= b ? 1 : 0;
    case "==":
      return a === b ? 1 : 0;
    case "!=":
      return a !== b ? 1 : 0;
    case "and":
      return a && b ? 1 : 0;
    case "or":
      return a || b ? 1 : 0;
    default:
      throw new Error(`internal: unknown operator ${op}`);
  }
}

/** A pure function's value (not distributions, prev, event, decay, growth, if). */
export function applyFunction(name: string, x: number[]): number {
  switch (name) {
    case "min":
      return Math.min(...x);
    case "max":
      return Math.max(...x);
    case "abs":
    case "exp":
    case "log":
    case "sqrt":
    case "floor":
    case "ceil":
    case "sin":
    case "cos":
      return Math[name](x[0]!);
    case "round":
      return rnd(x[0]!);
    case "clamp":
      return clamp(x[0]!, x[1]!, x[2]!);
    case "scurve":
      return scurve(x[0]!, x[1]!, x[2]!);
    case "if":
      return x[0] ? x[1]! : x[2]!;
    default:
      throw new Error(`internal: '${name}' is not a constant function`);
  }
}
