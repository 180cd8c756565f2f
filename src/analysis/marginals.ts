// A param's own distribution, for holding it at a percentile (tornado), sampling it by
// inverse transform (Sobol matrices) and choosing a default goal-seek range.
//
// A param has a marginal we can use when its formula is a distribution call whose arguments
// fold to constants (`normal(0.045, 0.02)`, `2B to 10B`, `uniform(1%, 4%)`, `pert(a, b, c)`
// where a, b, c are constant params). A param computed from other params (`burn: 2 * base`)
// or whose distribution's arguments depend on other params is not an input of its own: the
// analyses leave it to the engine and list it under `skipped` with the reason.

import type { Expr } from "../lang/ast.js";
import type { Model } from "../lang/model.js";
import { applyBinary, applyFunction, DISTRIBUTIONS, type Distribution } from "../engine/index.js";
import { BUILTIN_BY_NAME } from "../lang/builtins.js";

const REGISTRY: Readonly<Record<string, Distribution | undefined>> = DISTRIBUTIONS;

export interface Marginal {
  param: string;
  /** The formula as a distribution call, e.g. "normal(0.045, 0.02)". */
  distribution: string;
  /** Integer-valued (goal-seek then searches whole numbers). */
  discrete: boolean;
  quantile(p: number): number;
}

export interface Skipped {
  param: string;
  reason: string;
}

/** Evaluates an expression made of numbers, `pi`, arithmetic and constant params; undefined otherwise. */
function fold(e: Expr, env: ReadonlyMap<string, number>): number | undefined {
  switch (e.kind) {
    case "number":
      return e.value;
    case "name":
      return e.name === "pi" ? Math.PI : env.get(e.name);
    case "unary": {
      const a = fold(e.arg, env);
      return a === undefined ? undefined : e.op === "-" ? -a : a === 0 ? 1 : 0;
    }
    case "binary": {
      const a = fold(e.left, env);
      const b = fold(e.right, env);
      // The engine's own operator semantics, so a folded argument equals what the kernel computes.
      return a === undefined || b === undefined ? undefined : applyBinary(e.op, a, b, e.right);
    }
    case "call": {
      // Pure functions of their arguments only: not draws, prev, or decay/growth (which read t).
      if (BUILTIN_BY_NAME.get(e.callee)?.kind !== "function" || e.callee === "decay" || e.callee === "growth")
        return e.callee === "if" ? foldIf(e.args, env) : undefined;
      const args = e.args.map((x) => fold(x, env));
      return args.some((x) => x === undefined) ? undefined : applyFunction(e.callee, args as number[]);
    }
    case "range":
      return undefined;
    default:
      throw new Error(`internal: ${e satisfies never}`);
  }
}

function foldIf(args: readonly Expr[], env: ReadonlyMap<string, number>): number | undefined {
  const v = args.map((x) => fold(x, env));
  return v.some((x) => x === undefined) ? undefined : applyFunction("if", v as number[]);
}

/** The formula of each param with the given levers on (a lever's `set` replaces it). */
export function paramFormulas(model: Model, levers: readonly string[] = []): Map<string, Expr> {
  const out = new Map<string, Expr>(model.params.map((p) => [p.name, p.expr]));
  for (const lever of model.levers) {
    if (!levers.includes(lever.name)) continue;
    for (const s of lever.set) if (out.has(s.name) && s.body.kind === "formula") out.set(s.name, s.body.expr);
  }
  return out;
}

/** Every param's marginal distribution, or why it has none (constant, derived, dependent). */
export function paramMarginals(
  model: Model,
  levers: readonly string[] = [],
): { marginals: Marginal[]; constants: Map<string, number>; skipped: Skipped[] } {
  const formulas = paramFormulas(model, levers);
  const constants = new Map<string, number>();
  const marginals: Marginal[] = [];
  const skipped: Skipped[] = [];
  for (const p of model.params) {
    const e = formulas.get(p.name)!;
    const value = fold(e, constants);
    if (value !== undefined) {
      constants.set(p.name, value);
      skipped.push({ param: p.name, reason: "a constant" });
      continue;
    }
    let name: string;
    let args: Expr[];
    if (e.kind === "range") {
      name = "range";
      args = [e.lo, e.hi];
    } else if (e.kind === "call" && REGISTRY[e.callee] !== undefined) {
      name = e.callee;
      args = e.args;
    } else {
      skipped.push({ param: p.name, reason: "computed from other params or series" });
      continue;
    }
    const dist = REGISTRY[name]!;
    const params = args.map((a) => fold(a, constants));
    if (params.some((x) => x === undefined)) {
      skipped.push({ param: p.name, reason: "its distribution's arguments depend on other params" });
      continue;
    }
    const values = params as number[];
    const shown = name === "range" ? `${values[0]} to ${values[1]}` : `${name}(${values.join(", ")})`;
    marginals.push({
      param: p.name,
      distribution: shown,
      discrete: dist.discrete,
      quantile: (q: number) => dist.quantile(values, q),
    });
  }
  return { marginals, constants, skipped };
}
