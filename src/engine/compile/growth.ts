// Pass: growth analysis (fast kernels only). Finds the series written as prev(s) · exp(E), whose
// log the kernel keeps as a running sum (log s_t = log s_{t−1} + E), and the rational powers
// (s/K)^(p/q) of them that can share one exp a month (what a hand-written kernel does with
// a^9, a^10).

import type { Expr } from "../../lang/ast.js";
import type { Model, SeriesBody } from "../../lang/model.js";
import { editsOf, variantsOf } from "./levers.js";

/** Per tracked series: the least common denominator L of its exponents, and the powers |c·L|. */
export interface SharedExp {
  L: number;
  powers: Set<number>;
}

/** The series written as prev(s) · exp(E) (or exp(E) · prev(s)) that no lever replaces or edits, with E. */
export function findLogTracked(model: Model): Map<number, Expr> {
  const out = new Map<number, Expr>();
  model.series.forEach((s, k) => {
    if (s.kind !== "next" || variantsOf(model, s.name, s).length > 1 || editsOf(model, s.name).length > 0) return;
    const e = s.next;
    if (e.kind !== "binary" || e.op !== "*") return;
    const isPrev = (x: Expr) =>
      x.kind === "call" && x.callee === "prev" && x.args[0]?.kind === "name" && x.args[0].name === s.name;
    const isExp = (x: Expr) => x.kind === "call" && x.callee === "exp" && x.args.length === 1;
    // exp(E)·prev(s) and prev(s)·exp(E) are the same product bit for bit (IEEE multiplication commutes).
    if (isPrev(e.left) && isExp(e.right)) out.set(k, (e.right as Extract<Expr, { kind: "call" }>).args[0]!);
    else if (isExp(e.left) && isPrev(e.right)) out.set(k, (e.left as Extract<Expr, { kind: "call" }>).args[0]!);
  });
  return out;
}

/** Collects, per tracked series, the literal rational exponents p/q (q ≤ 16) it is raised to. */
export function findSharedExp(
  model: Model,
  seriesIndex: ReadonlyMap<string, number>,
  logTracked: ReadonlyMap<number, Expr>,
): Map<number, SharedExp> {
  const found = new Map<number, number[]>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case "binary":
        if (e.op === "^" && e.right.kind === "number" && !Number.isInteger(e.right.value)) {
          const k = trackedBase(e.left, seriesIndex, logTracked);
          if (k !== undefined && rational(e.right.value) !== undefined)
            found.set(k, [...(found.get(k) ?? []), e.right.value]);
        }
        visit(e.left);
        visit(e.right);
        return;
      case "unary":
        return visit(e.arg);
      case "call":
        return e.args.forEach(visit);
      case "range":
        visit(e.lo);
        return visit(e.hi);
      default:
        return;
    }
  };
  const bodies: SeriesBody[] = [...model.series];
  for (const l of model.levers) for (const set of l.set) bodies.push(set.body);
  for (const l of model.levers) for (const edit of l.edits) bodies.push({ kind: "formula", expr: edit.expr });
  for (const b of bodies)
    if (b.kind === "formula") visit(b.expr);
    else if (b.kind === "next") visit(b.next);
    else visit(b.change);
  visit(model.scenario.alive);
  if (model.scenario.breakEven) visit(model.scenario.breakEven);
  const shared = new Map<number, SharedExp>();
  for (const [k, cs] of found) {
    const L = cs.map((c) => rational(c)![1]).reduce(lcm, 1);
    if (L > 64) continue;
    const powers = new Set(cs.map((c) => Math.abs(Math.round(c * L))));
    if (Math.max(...powers) > 256) continue;
    shared.set(k, { L, powers });
  }
  return shared;
}

/** The tracked series a power base is made of (s, s/K, s·K, K·s), syntactically. */
export function trackedBase(
  base: Expr,
  seriesIndex: ReadonlyMap<string, number>,
  logTracked: ReadonlyMap<number, Expr>,
): number | undefined {
  const series = (x: Expr) => (x.kind === "name" ? seriesIndex.get(x.name) : undefined);
  const tracked = (k: number | undefined) => (k !== undefined && logTracked.has(k) ? k : undefined);
  if (base.kind === "name") return tracked(series(base));
  if (base.kind !== "binary" || (base.op !== "/" && base.op !== "*")) return undefined;
  return tracked(series(base.left)) ?? (base.op === "*" ? tracked(series(base.right)) : undefined);
}

/** c = p/q in lowest terms with q ≤ 16, when the double c is exactly p/q; else undefined. */
export function rational(c: number): [number, number] | undefined {
  for (let q = 1; q <= 16; q++) {
    const p = Math.round(c * q);
    if (p / q === c && Math.abs(p) <= 4096) return [p, q];
  }
  return undefined;
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a / gcd(a, b)) * b;
}

/** A^n from the squares A_1, A_2, A_4, … of series k's shared exp, as a product of the set bits. */
export function powerOfA(k: number, n: number): string {
  if (n === 0) return "1";
  const factors: string[] = [];
  for (let b = 1; b <= n; b *= 2) if (n & b) factors.push(`A${k}_${b}`);
  return factors.length === 1 ? factors[0]! : `(${factors.join(" * ")})`;
}
