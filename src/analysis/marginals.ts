// A param's own distribution, for holding it at a percentile (tornado), sampling it by
// inverse transform (Sobol matrices) and choosing a default goal-seek range.
//
// A param has a marginal we can use when its formula is a distribution call whose arguments
// fold to constants (`normal(0.045, 0.02)`, `2B to 10B`, `uniform(1%, 4%)`, `pert(a, b, c)`
// where a, b, c are constant params). A param computed from other params (`burn: 2 * base`)
// or whose distribution's arguments depend on other params is not an input of its own: the
// analyses leave it to the engine and list it under `skipped` with the reason.

import type { Expr } from "../lang/ast.js";
import type { Model, SeriesBody } from "../lang/model.js";
import type { Capture } from "../engine/options.js";
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
  /** The param cannot move the output analysed (see paramsReaching), so leaving it out loses nothing. */
  inert?: boolean;
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

/**
 * The params that can move `output` with these levers on: those read, directly or through
 * series and other params, by what the output is computed from (the alive condition for
 * alive@T and runway, the shortfall series, the series or param named). Reading skips what
 * constant params make moot: `if(c, a, b)` whose branches fold to the same number reads
 * nothing, nor does a product or an `and` with a side that folds to 0. So a param read only
 * under a lever that is off (e.g. the month of a round whose amount is 0 without the lever),
 * or only by series the output does not depend on, is not among them. Params that fold to a
 * constant are not listed either: they have nothing to vary.
 */
export function paramsReaching(model: Model, levers: readonly string[], output: Capture): Set<string> {
  const params = paramFormulas(model, levers);
  const constants = paramMarginals(model, levers).constants;
  const series = new Map<string, SeriesBody>(model.series.map((s) => [s.name, s]));
  for (const lever of model.levers)
    if (levers.includes(lever.name)) for (const s of lever.set) if (series.has(s.name)) series.set(s.name, s.body);
  const seen = new Set<string>();
  const reached = new Set<string>();
  const visitName = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const p = params.get(name);
    const s = series.get(name);
    if (p) {
      reached.add(name);
      visit(p);
    } else if (s?.kind === "formula") visit(s.expr);
    else if (s?.kind === "next") [s.start, s.next].forEach(visit);
    else if (s?.kind === "stock") [s.start, s.change].forEach(visit);
  };
  const zero = (e: Expr): boolean => fold(e, constants) === 0;
  const visit = (e: Expr): void => {
    if (fold(e, constants) !== undefined) return;
    switch (e.kind) {
      case "name":
        visitName(e.name);
        return;
      case "unary":
        visit(e.arg);
        return;
      case "binary":
        if ((e.op === "*" || e.op === "and") && (zero(e.left) || zero(e.right))) return;
        visit(e.left);
        visit(e.right);
        return;
      case "range":
        visit(e.lo);
        visit(e.hi);
        return;
      case "call": {
        if (e.callee === "if" && e.args.length === 3) {
          const a = fold(e.args[1]!, constants);
          if (a !== undefined && Object.is(a, fold(e.args[2]!, constants))) return;
        }
        e.args.forEach(visit);
        return;
      }
      case "number":
        return;
    }
  };
  switch (output.kind) {
    case "alive":
    case "runway":
      visit(model.scenario.alive);
      break;
    case "shortfall":
      if (model.shortfall) visitName(model.shortfall);
      break;
    case "series":
    case "param":
      visitName(output.name);
      break;
  }
  return reached;
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
