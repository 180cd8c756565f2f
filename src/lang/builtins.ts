// The closed set of names a formula may call, shared by the checker (arity, constant
// argument ranges), the compiler and the reference interpreter (semantics).

import type { Expr } from "./ast.js";
import type { Span } from "./diagnostics.js";

export type BuiltinKind = "function" | "distribution" | "special";

export interface Builtin {
  name: string;
  kind: BuiltinKind;
  minArgs: number;
  /** Infinity for variadic functions (`min`, `max`). */
  maxArgs: number;
  /** Signature shown in messages and the README, e.g. "normal(mean, sd)". */
  signature: string;
  summary: string;
  /**
   * Checks the arguments that are constant numbers (undefined where an argument is a formula).
   * Returns a message naming the offending value and the expected range, or undefined.
   */
  checkConstantArgs?: (args: (number | undefined)[]) => string | undefined;
}

const fn = (name: string, minArgs: number, maxArgs: number, signature: string, summary: string): Builtin => ({
  name,
  kind: "function",
  minArgs,
  maxArgs,
  signature,
  summary,
});

function dist(
  name: string,
  arity: number,
  signature: string,
  summary: string,
  check: Builtin["checkConstantArgs"],
): Builtin {
  const b: Builtin = { name, kind: "distribution", minArgs: arity, maxArgs: arity, signature, summary };
  if (check) b.checkConstantArgs = check;
  return b;
}

const known = (x: number | undefined): x is number => x !== undefined;
/** log of the largest double: exp of anything above it is Infinity. */
const LOG_MAX = 709.782712893384;

export const BUILTINS: readonly Builtin[] = [
  {
    name: "if",
    kind: "special",
    minArgs: 3,
    maxArgs: 3,
    signature: "if(cond, a, b)",
    summary: "a when cond is nonzero, else b",
  },
  {
    name: "prev",
    kind: "special",
    minArgs: 1,
    maxArgs: 2,
    signature: "prev(series, k)",
    summary: "a series' value k months back (k = 1 when left out; its start before month 1)",
  },
  fn("min", 2, Infinity, "min(a, b, …)", "smallest argument"),
  fn("max", 2, Infinity, "max(a, b, …)", "largest argument"),
  fn("abs", 1, 1, "abs(x)", "absolute value"),
  fn("exp", 1, 1, "exp(x)", "e to the x"),
  fn("log", 1, 1, "log(x)", "natural logarithm"),
  fn("sqrt", 1, 1, "sqrt(x)", "square root"),
  fn("floor", 1, 1, "floor(x)", "round down"),
  fn("ceil", 1, 1, "ceil(x)", "round up"),
  fn("round", 1, 1, "round(x)", "round half away from zero"),
  fn("clamp", 3, 3, "clamp(x, lo, hi)", "x limited to [lo, hi]"),
  fn("sin", 1, 1, "sin(x)", "sine (radians)"),
  fn("cos", 1, 1, "cos(x)", "cosine (radians)"),
  fn(
    "scurve",
    3,
    3,
    "scurve(t, midpoint, steepness)",
    "adoption from 0 to 1: 1 / (1 + exp(-steepness·(t − midpoint)))",
  ),
  fn("decay", 1, 1, "decay(rate)", "(1 − rate)^t: what is left after t months of a monthly decline"),
  fn("growth", 1, 1, "growth(rate)", "(1 + rate)^t: compound monthly growth over t months"),
  {
    name: "event",
    kind: "special",
    minArgs: 2,
    maxArgs: 2,
    signature: "event(p, size)",
    summary: "a shock: size with probability p in a month, else 0 (size may be a distribution)",
    checkConstantArgs: ([p]) =>
      known(p) && !(p >= 0 && p <= 1) ? `probability p must be in [0, 1], got ${p}` : undefined,
  },
  dist("normal", 2, "normal(mean, sd)", "normal distribution", ([, sd]) =>
    known(sd) && !(sd >= 0) ? `sd must be ≥ 0, got ${sd}` : undefined,
  ),
  dist("lognormal", 2, "lognormal(mu, sigma)", "exp of a normal(mu, sigma)", ([m, s]) => {
    if (known(s) && !(s >= 0)) return `sigma must be ≥ 0, got ${s}`;
    // The normal draws reach about 8.3 sd (53-bit uniforms); exp overflows past 709.78.
    if (known(m) && m > LOG_MAX) return `exp(mu) overflows for mu = ${m}; mu must be at most 709`;
    if (known(m) && known(s) && m + 8.3 * s > LOG_MAX)
      return `draws of lognormal(${m}, ${s}) reach exp(mu + 8.3·sigma), beyond the largest number; keep mu + 8.3·sigma ≤ 709`;
    return undefined;
  }),
  dist("uniform", 2, "uniform(a, b)", "uniform on [a, b)", ([a, b]) =>
    known(a) && known(b) && !(a <= b) ? `uniform(a, b) needs a ≤ b, got ${a} > ${b}` : undefined,
  ),
  dist("integer", 2, "integer(a, b)", "uniform integer in {a, …, b}", ([a, b]) => {
    if (known(a) && !Number.isInteger(a)) return `integer(a, b) needs whole numbers, got a = ${a}`;
    if (known(b) && !Number.isInteger(b)) return `integer(a, b) needs whole numbers, got b = ${b}`;
    return known(a) && known(b) && a > b ? `integer(a, b) needs a ≤ b, got ${a} > ${b}` : undefined;
  }),
  dist("triangular", 3, "triangular(lo, mode, hi)", "triangular distribution", checkLoModeHi("triangular")),
  dist("pert", 3, "pert(lo, mode, hi)", "PERT (scaled beta, λ = 4)", checkLoModeHi("pert")),
  dist("beta", 2, "beta(a, b)", "beta distribution on [0, 1]", ([a, b]) => {
    if (known(a) && !(a > 0)) return `beta shape a must be > 0, got ${a}`;
    return known(b) && !(b > 0) ? `beta shape b must be > 0, got ${b}` : undefined;
  }),
  dist("bernoulli", 1, "bernoulli(p)", "1 with probability p, else 0", ([p]) =>
    known(p) && !(p >= 0 && p <= 1) ? `probability p must be in [0, 1], got ${p}` : undefined,
  ),
  dist("poisson", 1, "poisson(rate)", "Poisson count", ([r]) =>
    known(r) && !(r >= 0 && r <= 1e9) ? `poisson rate must be in [0, 1e9], got ${r}` : undefined,
  ),
];

function checkLoModeHi(name: string): Builtin["checkConstantArgs"] {
  return ([lo, mode, hi]) => {
    if (known(lo) && known(hi) && !(lo < hi)) return `${name}(lo, mode, hi) needs lo < hi, got ${lo} and ${hi}`;
    if (known(lo) && known(mode) && mode < lo) return `${name} mode ${mode} is below lo ${lo}`;
    if (known(hi) && known(mode) && mode > hi) return `${name} mode ${mode} is above hi ${hi}`;
    return undefined;
  };
}

export const BUILTIN_BY_NAME: ReadonlyMap<string, Builtin> = new Map(BUILTINS.map((b) => [b.name, b]));

/** Names that formulas may read besides params and series. */
export const RESERVED_NAMES = ["t", "pi"] as const;

/** True for calls that draw random numbers (distributions and `event`). */
export function isRandomCall(name: string): boolean {
  return BUILTIN_BY_NAME.get(name)?.kind === "distribution" || name === "event";
}

/** The first call in `e` that draws random numbers (a distribution, `a to b`, or `event`), if any. */
export function randomCallIn(e: Expr): { name: string; span: Span } | undefined {
  switch (e.kind) {
    case "range":
      return { name: "a to b", span: e.span };
    case "call":
      if (isRandomCall(e.callee)) return { name: e.callee, span: e.calleeSpan };
      for (const a of e.args) {
        const r = randomCallIn(a);
        if (r) return r;
      }
      return undefined;
    case "unary":
      return randomCallIn(e.arg);
    case "binary":
      return randomCallIn(e.left) ?? randomCallIn(e.right);
    default:
      return undefined;
  }
}

/** z for the 5th/95th percentiles of a standard normal: `a to b` is a 90% interval. */
export const Z95 = 1.6448536269514722;
