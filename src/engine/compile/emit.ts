// Pass: code emission (draws in emit-draws.ts). An expression of the checked AST becomes JavaScript text for the kernel,
// with the subexpressions that pass 1 (deps.ts) places before the months written to the sinks
// (prologue: once per kernel call; pathHoists, accumulators, afterStart: once per path) and
// the month's running updates to monthUpdates. Draws take their sites from sites.ts.

import type { Expr } from "../../lang/ast.js";
import type { Diagnostic } from "../../lang/diagnostics.js";
import type { Model } from "../../lang/model.js";
import { calendarCode, isCalendar, lagOf } from "../lags.js";
import { evaluateConstant } from "../semantics.js";
import { genPow, literal, SAMPLER_OF } from "./code.js";
import { genBelow, genEvent, genRange, genSampler } from "./emit-draws.js";
import { DEP_FIXED, DEP_T, dependsOn, placement, type NameIndex } from "./deps.js";
import { powerOfA, rational, type SharedExp } from "./growth.js";
import type { DrawSites, Owner } from "./sites.js";

/** What the emitter reads of the model and of the earlier passes. */
export interface EmitterInput {
  readonly model: Model;
  /** Only rewrites that keep every bit (see CompileOptions.exact). */
  readonly exact: boolean;
  /** Draws read QMC coordinates (with the counter streams past the table). */
  readonly qmc: boolean;
  readonly names: NameIndex;
  /** Series read at a lag above 1, with the longest lag: the size of their ring. */
  readonly lags: ReadonlyMap<string, number>;
  /** Series whose log is tracked as a running sum (growth.ts), with their growth E. */
  readonly logTracked: ReadonlyMap<number, Expr>;
  readonly sharedExp: ReadonlyMap<number, SharedExp>;
  readonly sites: DrawSites;
}

export class Emitter {
  /** Once per kernel call, before the paths (tables by month, constant argument lists). */
  readonly prologue: string[] = [];
  /** Once per path, after the params. */
  readonly pathHoists: string[] = [];
  /** Running products and accumulators, once per path before the start values. */
  readonly accumulators: string[] = [];
  /** Per-path state that needs the series' start values. */
  readonly afterStart: string[] = [];
  /** Running updates made each month before the statement that reads them. */
  monthUpdates: string[] = [];
  /** Statements to run after the current series' statement (next month's prefetched draws). */
  monthAfter: string[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Inside a branch that may not run (if, and/or, event size): draws there are made lazily. */
  conditional = 0;
  /** Whether the series being generated may prefetch its draws (it has no lever variants). */
  prefetchOK = false;
  /** Counter for fresh variable names. */
  tmp = 0;

  private readonly model: Model;
  private readonly exact: boolean;
  readonly qmc: boolean;
  private readonly names: NameIndex;
  private readonly paramIndex: ReadonlyMap<string, number>;
  private readonly seriesIndex: ReadonlyMap<string, number>;
  private readonly lags: ReadonlyMap<string, number>;
  private readonly logTracked: ReadonlyMap<number, Expr>;
  private readonly sharedExp: ReadonlyMap<number, SharedExp>;
  readonly sites: DrawSites;

  constructor(input: EmitterInput) {
    this.model = input.model;
    this.exact = input.exact;
    this.qmc = input.qmc;
    this.names = input.names;
    this.paramIndex = input.names.paramIndex;
    this.seriesIndex = input.names.seriesIndex;
    this.lags = input.lags;
    this.logTracked = input.logTracked;
    this.sharedExp = input.sharedExp;
    this.sites = input.sites;
  }

  /** Flags of what an expression depends on (deps.ts). */
  deps(e: Expr): number {
    return dependsOn(e, this.names);
  }

  /** See DrawSites.qdim: a normal-family site first seen inside a branch is lazy. */
  qdim(owner: Owner, month: boolean, z: boolean, at?: { id: number; ordinal: number }) {
    return this.sites.qdim(owner, month, z, this.conditional > 0, at);
  }

  /** See DrawSites.monthWord: only for counter-stream draws made every month. */
  monthWord(stream: string, counter: string, inMonth: boolean): string | undefined {
    return this.sites.monthWord(stream, counter, inMonth && this.conditional === 0 && !this.qmc);
  }

  /**
   * JavaScript for an expression. In the month loop (`inMonth`), hoists subexpressions that do
   * not depend on both the month and the path.
   */
  gen(e: Expr, owner: Owner, inMonth: boolean): string {
    switch (placement(e, this.deps(e), inMonth)) {
      case "fold":
        return literal(evaluateConstant(e));
      case "month-table": {
        const tab = `tab${this.tmp++}`;
        this.prologue.push(`const ${tab} = new Float64Array(T + 1);`);
        this.prologue.push(`for (let t = 1; t <= T; t++) ${tab}[t] = ${this.genNode(e, owner, false)};`);
        return `${tab}[t]`;
      }
      case "path": {
        const h = `h${this.tmp++}`;
        this.pathHoists.push(`const ${h} = ${this.genNode(e, owner, false)};`);
        return h;
      }
      case "inline":
        return this.genNode(e, owner, inMonth);
    }
  }

  private genNode(e: Expr, owner: Owner, inMonth: boolean): string {
    const g = (x: Expr) => this.gen(x, owner, inMonth);
    switch (e.kind) {
      case "number":
        return literal(e.value);
      case "name": {
        if (e.name === "t") return "t";
        if (e.name === "pi") return literal(Math.PI);
        const p = this.paramIndex.get(e.name);
        if (p !== undefined) return `p${p}`;
        const s = this.seriesIndex.get(e.name);
        if (s !== undefined) return `v${s}`;
        if (isCalendar(e.name)) return calendarCode(e.name, this.model.scenario.start);
        throw new Error(`internal: unresolved name '${e.name}'`);
      }
      case "unary":
        return e.op === "-" ? `(-${g(e.arg)})` : `(${g(e.arg)} ? 0 : 1)`;
      case "binary": {
        const below = genBelow(this, e, owner, inMonth);
        if (below !== undefined) return below;
        const a = g(e.left);
        // JavaScript's && and || skip their right side, so draws there are conditional.
        const lazy = e.op === "and" || e.op === "or";
        if (lazy) this.conditional++;
        const b = g(e.right);
        if (lazy) this.conditional--;
        switch (e.op) {
          case "+":
          case "-":
          case "*":
          case "/":
            return `(${a} ${e.op} ${b})`;
          case "^":
            return this.genPower(e, a, b, owner, inMonth);
          case "<":
          case "<=":
          case ">":
          case ">=":
            return `(${a} ${e.op} ${b} ? 1 : 0)`;
          case "==":
            return `(${a} === ${b} ? 1 : 0)`;
          case "!=":
            return `(${a} !== ${b} ? 1 : 0)`;
          case "and":
            return `(${a} && ${b} ? 1 : 0)`;
          case "or":
            return `(${a} || ${b} ? 1 : 0)`;
          default:
            throw new Error("internal: unknown binary operator");
        }
      }
      case "range": {
        return genRange(this, e, owner, inMonth);
      }
      case "call":
        return this.genCall(e, owner, inMonth);
      default:
        throw new Error(`internal: ${e satisfies never}`);
    }
  }

  /**
   * log of a base that is a tracked series, or that series times or over a positive factor fixed
   * on the path (a constant, or params: its log is computed once per path). `guard` is the code
   * that must hold for the tracked form to be valid.
   */
  trackedLog(base: Expr): { k: number; log: string; guard: string } | undefined {
    const series = (x: Expr) => (x.kind === "name" ? this.seriesIndex.get(x.name) : undefined);
    const tracked = (k: number | undefined) => (k !== undefined && this.logTracked.has(k) ? k : undefined);
    const valid = (k: number) => `v${k} > 0 && sc${k} > 0`;
    let k = tracked(series(base));
    if (k !== undefined) return { k, log: `lg${k}`, guard: valid(k) };
    if (base.kind !== "binary" || (base.op !== "/" && base.op !== "*")) return undefined;
    // The factor: a positive literal, or anything fixed on the path (hoisted, with its log).
    const factor = (x: Expr): { log: string; guard: string } | undefined => {
      if (x.kind === "number") return x.value > 0 ? { log: literal(Math.log(x.value)), guard: "" } : undefined;
      if ((this.deps(x) & (DEP_T | DEP_FIXED)) !== 0) return undefined;
      const h = `hl${this.tmp++}`;
      this.pathHoists.push(`const ${h}v = ${this.gen(x, { name: "", ordinal: 0, month: false }, false)};`);
      this.pathHoists.push(`const ${h} = Math.log(${h}v);`);
      return { log: h, guard: ` && ${h}v > 0` };
    };
    const sign = base.op === "/" ? "-" : "+";
    if ((k = tracked(series(base.left))) !== undefined) {
      const f = factor(base.right);
      if (f) return { k, log: `(lg${k} ${sign} ${f.log})`, guard: valid(k) + f.guard };
    }
    if (base.op === "*" && (k = tracked(series(base.right))) !== undefined) {
      const f = factor(base.left);
      if (f) return { k, log: `(lg${k} + ${f.log})`, guard: valid(k) + f.guard };
    }
    return undefined;
  }

  /**
   * `x ^ t` with x fixed on a path (and not on the month) becomes a running product, one
   * multiplication a month; bit-identical to pw(x, t), which multiplies from the left.
   */
  private genPower(
    e: Extract<Expr, { kind: "binary" }>,
    a: string,
    b: string,
    _owner: Owner,
    inMonth: boolean,
  ): string {
    if (inMonth && e.right.kind === "name" && e.right.name === "t" && (this.deps(e.left) & (DEP_T | DEP_FIXED)) === 0) {
      const acc = `pt${this.tmp++}`;
      this.accumulators.push(`let ${acc} = 1;`);
      this.monthUpdates.push(`${acc} *= ${a};`);
      return acc;
    }
    const isIntegerLiteral = e.right.kind === "number" && Number.isInteger(e.right.value);
    const tracked = inMonth && !isIntegerLiteral ? this.trackedLog(e.left) : undefined;
    if (tracked === undefined) return genPow(e.right, a, b);
    const k = tracked.k;
    if ((this.deps(e.right) & (DEP_T | DEP_FIXED)) === 0) {
      // With a path-fixed exponent c, (s/K)^c = exp(c·(log s − log K)) grows by exp(c·E) a month:
      // a running product whose exp depends only on this month's E, not on the running log, so
      // it can start as soon as E is known (measured about 5 ns a path-month faster).
      const y = `yp${this.tmp++}`;
      this.afterStart.push(`let ${y} = Math.exp(${b} * ${tracked.log});`);
      const shared = this.sharedExp.get(k);
      const c = e.right.kind === "number" ? e.right.value : NaN;
      if (shared !== undefined && rational(c) !== undefined) {
        const m = Math.round(c * shared.L);
        const step = m >= 0 ? powerOfA(k, m) : `1 / ${powerOfA(k, -m)}`;
        this.monthUpdates.push(`${y} *= sh${k} ? ${step} : Math.exp(${b} * (le${k} + lsc${k}));`);
      } else this.monthUpdates.push(`${y} *= Math.exp(${b} * (le${k} + lsc${k}));`);
      return `(${tracked.guard} ? ${y} : ${genPow(e.right, a, b)})`;
    }
    return `(${tracked.guard} ? Math.exp(${b} * ${tracked.log}) : ${genPow(e.right, a, b)})`;
  }

  private genCall(e: Extract<Expr, { kind: "call" }>, owner: Owner, inMonth: boolean): string {
    const g = (x: Expr) => this.gen(x, owner, inMonth);
    const args = () => e.args.map(g).join(", ");
    if (SAMPLER_OF[e.callee] !== undefined) {
      return genSampler(this, e, owner, inMonth);
    }
    switch (e.callee) {
      case "if": {
        const c = g(e.args[0]!);
        this.conditional++;
        const a = g(e.args[1]!);
        const b = g(e.args[2]!);
        this.conditional--;
        return `(${c} ? ${a} : ${b})`;
      }
      case "prev": {
        const target = e.args[0]!;
        const lag = lagOf(e);
        const k = target.kind === "name" ? this.seriesIndex.get(target.name) : undefined;
        if (k === undefined) throw new Error("internal: prev of a non-series");
        if (!inMonth) {
          this.diagnostics.push({
            code: "prev_outside_month",
            severity: "error",
            message: "prev() can only be used in a series' monthly formula",
            span: e.span,
          });
          return "NaN";
        }
        const s = this.model.series[k]!;
        if (s.kind === "formula" && !this.model.levers.some((l) => l.set.some((x) => x.name === s.name))) {
          this.diagnostics.push({
            code: "prev_needs_start",
            severity: "error",
            message: `prev(${s.name}) at month 1 needs a start value, but '${s.name}' is a plain formula`,
            span: e.span,
            hint: `give '${s.name}' a start: { start: …, next: … }`,
          });
        }
        if (lag === 1) return `q${k}`;
        // x at month t − lag, from the ring of x's last values; before month 1, x's start.
        return `(t > ${lag} ? hist${k}[(t - ${lag}) % ${this.lags.get(s.name)!}] : st${k})`;
      }
      case "event": {
        return genEvent(this, e, owner, inMonth);
      }
      case "decay":
      case "growth": {
        if (!inMonth) {
          this.diagnostics.push({
            code: "decay_outside_month",
            severity: "error",
            message: `${e.callee}() compounds month by month, so it can only be used in a series`,
            span: e.span,
          });
          return "NaN";
        }
        const acc = `acc${this.tmp++}`;
        this.accumulators.push(`let ${acc} = 1;`);
        this.monthUpdates.push(`${acc} *= ${e.callee === "decay" ? "1 -" : "1 +"} ${g(e.args[0]!)};`);
        return acc;
      }
      case "log": {
        const tracked = inMonth && !this.exact ? this.trackedLog(e.args[0]!) : undefined;
        if (tracked !== undefined) return `(${tracked.guard} ? ${tracked.log} : Math.log(${args()}))`;
        return `Math.log(${args()})`;
      }
      case "min":
      case "max":
      case "abs":
      case "exp":
      case "sqrt":
      case "floor":
      case "ceil":
      case "sin":
      case "cos":
        return `Math.${e.callee}(${args()})`;
      case "round":
        return `rnd(${args()})`;
      case "clamp":
        return `clamp(${args()})`;
      case "scurve": {
        // scurve(t, m, k) = 1/(1 + exp(−k(t − m))): with m and k fixed on the path, the exp is a
        // geometric sequence, e_t = e_{t−1}·exp(−k), so the fast kernel keeps it as a running
        // product (one multiplication a month instead of an exp; last bits differ).
        const [tArg, mid, steep] = e.args as [Expr, Expr, Expr];
        const pathFixed = (x: Expr) => (this.deps(x) & (DEP_T | DEP_FIXED)) === 0;
        if (!this.exact && inMonth && tArg.kind === "name" && tArg.name === "t" && pathFixed(mid) && pathFixed(steep)) {
          const owner0 = { name: "", ordinal: 0, month: false };
          const m = this.gen(mid, owner0, false);
          const k = this.gen(steep, owner0, false);
          const x = `sg${this.tmp++}`;
          // Only where no term of the sequence can overflow or underflow on the way.
          this.pathHoists.push(`const ${x}ok = Math.abs(${k}) * (Math.abs(${m}) + T) < 700;`);
          this.pathHoists.push(`const ${x}r = Math.exp(-(${k}));`);
          this.accumulators.push(`let ${x} = Math.exp(-(${k}) * (0 - ${m}));`);
          this.monthUpdates.push(`${x} *= ${x}r;`);
          return `(${x}ok ? 1 / (1 + ${x}) : scurve(t, ${m}, ${k}))`;
        }
        return `scurve(${args()})`;
      }
      default:
        throw new Error(`internal: no code for '${e.callee}'`);
    }
  }

  /** A correlated param's value: its distribution's quantile at the copula's uniform. */
  genQuantile(e: Expr, u: string): string {
    const owner = { name: "", ordinal: 0, month: false };
    const args = e.kind === "range" ? [e.lo, e.hi] : e.kind === "call" ? e.args : undefined;
    if (args === undefined) throw new Error("internal: correlated param is not a distribution");
    const family = e.kind === "range" ? "range" : SAMPLER_OF[(e as Extract<Expr, { kind: "call" }>).callee];
    let list = `[${args.map((a) => this.gen(a, owner, false)).join(", ")}]`;
    if (args.every((a) => this.deps(a) === 0)) {
      // Constant parameters: one array per kernel call instead of one per path.
      const name = `qa${this.tmp++}`;
      this.prologue.push(`const ${name} = ${list};`);
      list = name;
    }
    return `quantile.${family}(${list}, ${u})`;
  }
}
