// Emission of draws (part of the emission pass, emit.ts): distributions, `a to b` ranges,
// `uniform(0, 1) < x` and events. Each takes its site from sites.ts, reads a QMC coordinate in a
// qmc kernel (with the counter stream past the table), and is prefetched a month ahead when it
// is made every month with arguments fixed on the path.

import type { Expr } from "../../lang/ast.js";
import { rangeParams } from "../distributions/range.js";
import { INVERSE_OF } from "../qmc/invert.js";
import { evaluateConstant } from "../semantics.js";
import { literal } from "./code.js";
import { DEP_FIXED, DEP_T } from "./deps.js";
import type { Emitter } from "./emit.js";
import type { Owner } from "./sites.js";

/** A distribution call (`normal(…)`, `poisson(…)`, …). */
export function genSampler(em: Emitter, e: Extract<Expr, { kind: "call" }>, owner: Owner, inMonth: boolean): string {
  const args = () => e.args.map((x) => em.gen(x, owner, inMonth)).join(", ");
  const counter = inMonth ? "tc" : "0";
  const s = em.sites.stream(owner);
  const inverse = INVERSE_OF[e.callee]!;
  const q = em.qmc ? em.qdim(owner, inMonth, inverse.z) : undefined;
  const a = args();
  const make = (c: string) => {
    if (q !== undefined)
      return `(${q.ok} ? q_${e.callee}(${q.ref}, ${a}) : d_${e.callee}((${s}.c = ${c}, ${s}), ${a}))`;
    const w = e.callee === "normal" ? em.monthWord(s, c, inMonth) : undefined;
    return w === undefined ? `d_${e.callee}((${s}.c = ${c}, ${s}), ${a})` : `normalW(${w}, ${s}, ${c}, ${a})`;
  };
  return draw(em, inMonth, e.args, make, counter);
}

/** An `a to b` range: lognormal or normal by its ends. */
export function genRange(em: Emitter, e: Extract<Expr, { kind: "range" }>, owner: Owner, inMonth: boolean): string {
  const g = (x: Expr) => em.gen(x, owner, inMonth);
  const s = em.sites.stream(owner);
  const q = em.qmc ? em.qdim(owner, inMonth, true) : undefined;
  const at = `(${s}.c = ${inMonth ? "tc" : "0"}, ${s})`;
  if (em.deps(e.lo) === 0 && em.deps(e.hi) === 0) {
    // Constant ends: the family's mu and sigma are computed here, by the same operations
    // the sampler would use on every draw (two logs saved a draw, same bits).
    const r = rangeParams(evaluateConstant(e.lo), evaluateConstant(e.hi));
    if (r.sigma >= 0) {
      const z = (c: string) => {
        const w = em.monthWord(s, c, inMonth);
        let draw = w === undefined ? `stdNormal((${s}.c = ${c}, ${s}))` : `stdNormalW(${w}, ${s}, ${c})`;
        if (q !== undefined) draw = `(${q.ok} ? ${q.ref} : ${draw})`;
        return `${literal(r.mu)} + ${literal(r.sigma)} * ${draw}`;
      };
      const make = (c: string) => (r.family === "lognormal" ? `Math.exp(${z(c)})` : `(${z(c)})`);
      return draw(em, inMonth, [], make, inMonth ? "tc" : "0");
    }
  }
  if (q !== undefined)
    return `(${q.ok} ? q_range(${q.ref}, ${g(e.lo)}, ${g(e.hi)}) : d_range(${at}, ${g(e.lo)}, ${g(e.hi)}))`;
  return `d_range(${at}, ${g(e.lo)}, ${g(e.hi)})`;
}

/**
 * `uniform(0, 1) < x` (or `x > uniform(0, 1)`): the draw and the comparison in one,
 * Stream.below(x), which reads the generator's second word only when the first does not
 * decide (about once in 2^27 draws) — same result, one word instead of two. Sites are taken in
 * the same order as the plain form takes them, so every other draw is unchanged.
 */
export function genBelow(
  em: Emitter,
  e: Extract<Expr, { kind: "binary" }>,
  owner: Owner,
  inMonth: boolean,
): string | undefined {
  const isUnit = (x: Expr) =>
    x.kind === "call" &&
    x.callee === "uniform" &&
    x.args.length === 2 &&
    em.deps(x.args[0]!) === 0 &&
    em.deps(x.args[1]!) === 0 &&
    evaluateConstant(x.args[0]!) === 0 &&
    evaluateConstant(x.args[1]!) === 1;
  let stream: string;
  let threshold: Expr;
  let code: string;
  let site = em.sites.lastSite;
  if (e.op === "<" && isUnit(e.left)) {
    stream = em.sites.stream(owner);
    site = em.sites.lastSite;
    threshold = e.right;
    code = em.gen(e.right, owner, inMonth);
  } else if (e.op === ">" && isUnit(e.right)) {
    threshold = e.left;
    code = em.gen(e.left, owner, inMonth);
    stream = em.sites.stream(owner);
    site = em.sites.lastSite;
  } else return undefined;
  const q = em.qmc ? em.qdim(owner, inMonth, false, site) : undefined;
  const make = (c: string) => {
    if (q !== undefined)
      return `(${q.ok} ? (${q.ref} < ${code} ? 1 : 0) : (${stream}.c = ${c}, ${stream}).below(${code}))`;
    const w = em.monthWord(stream, c, inMonth);
    return w === undefined
      ? `(${stream}.c = ${c}, ${stream}).below(${code})`
      : `${stream}.belowFromWord(${w}, ${c}, ${code})`;
  };
  return draw(em, inMonth, [threshold], make, inMonth ? "tc" : "0");
}

/** `event(p, size)`: the size when a uniform falls below p this month, else 0 (the size drawn lazily). */
export function genEvent(em: Emitter, e: Extract<Expr, { kind: "call" }>, owner: Owner, inMonth: boolean): string {
  const g = (x: Expr) => em.gen(x, owner, inMonth);
  const counter = inMonth ? "tc" : "0";
  const s = em.sites.stream(owner);
  const site = em.sites.lastSite;
  const p = g(e.args[0]!);
  em.conditional++;
  const size = g(e.args[1]!);
  em.conditional--;
  const w = em.monthWord(s, counter, inMonth);
  let happens =
    w === undefined ? `(${s}.c = ${counter}, ${s}.below(${p}))` : `${s}.belowFromWord(${w}, ${counter}, ${p})`;
  if (em.qmc) {
    const q = em.qdim(owner, inMonth, false, site);
    happens = `(${q.ok} ? ${q.ref} < ${p} : ${happens})`;
  }
  return `(${happens} ? ${size} : 0)`;
}

/**
 * A draw in a series' month. When it runs every month (not in a branch) and its arguments are
 * fixed on the path, it is prefetched: next month's draw is made right after this month's
 * statement, so the month's arithmetic does not wait for the generator and the sampler (same
 * counters, same values; measured about 5 ns a path-month faster on the benchmark model).
 * `make` builds the draw for a counter expression; `now` is the in-place form's counter.
 */
function draw(
  em: Emitter,
  inMonth: boolean,
  args: readonly Expr[],
  make: (counter: string) => string,
  now: string,
): string {
  const fixed = args.every((a) => (em.deps(a) & (DEP_T | DEP_FIXED)) === 0);
  if (!(inMonth && em.prefetchOK && em.conditional === 0 && fixed) || em.qmc) return make(now);
  const nx = `nx${em.tmp++}`;
  em.afterStart.push(`let ${nx} = ${make("1024")};`);
  em.monthAfter.push(`${nx} = ${make("tc + 1024")};`);
  return nx;
}
