// The reference evaluator: a plain tree walker over the checked model, slow and obviously
// right. Tests run it beside the compiled kernel on the same (seed, path) and require the same
// bits, so hoisting, lever switches, site numbering and dependency order in compile.ts are
// checked against the language's meaning rather than against themselves.

import type { Expr } from "../lang/ast.js";
import type { Model, SeriesBody, YearMonth } from "../lang/model.js";
import { calendarMonth, calendarYear } from "../lang/calendar.js";
import { editOwner, monthFormula, SAMPLER_OF } from "./compile.js";
import { lagOf } from "./lags.js";
import { applyBinary, applyFunction } from "./semantics.js";
import { DISTRIBUTIONS, type DistributionName } from "./distributions/index.js";
import { Stream, seedWords, siteId } from "./rng.js";

export interface InterpretOptions {
  seed: number;
  firstPath: number;
  paths: number;
  horizon?: number;
  levers?: readonly string[];
}

export interface Interpreted {
  /** values[k][p·T + t − 1]: series k at month t on path firstPath + p. */
  values: Float64Array[];
  /** Death month per path (horizon + 1 if alive). */
  death: Int32Array;
  params: Float64Array[];
}

interface Env {
  t: number;
  /** The scenario's first month, for `year` and `month`. */
  start: YearMonth;
  /** Series x at month t − k (k ≥ 1): its start before month 1. */
  lagged: (name: string, k: number) => number;
  params: Map<string, number>;
  current: Map<string, number>;
  previous: Map<string, number>;
  /** decay/growth accumulators, keyed by call node. */
  acc: Map<Expr, number>;
}

export function interpret(model: Model, o: InterpretOptions): Interpreted {
  const T = o.horizon ?? model.horizon;
  const [seedLo, seedHi] = seedWords(o.seed);
  const on = new Set(o.levers ?? []);
  const override = (name: string, base: SeriesBody): SeriesBody => {
    let body = base;
    for (const l of model.levers) if (on.has(l.name)) for (const s of l.set) if (s.name === name) body = s.body;
    return body;
  };
  const editsOf = (name: string) =>
    model.levers.flatMap((l) =>
      on.has(l.name) ? l.edits.filter((e) => e.name === name).map((e) => ({ ...e, lever: l.name })) : [],
    );
  /** The month formula in force, then each edit of a lever that is on, in lever order. */
  const edited = (name: string, base: number, env: Env, draw: Draw): number => {
    let v = base;
    for (const e of editsOf(name)) {
      const f = evaluate(e.expr, env, { name: editOwner(name, e.lever), ordinal: 0 }, draw);
      v = e.op === "add" ? v + f : v * f;
    }
    return v;
  };
  const seriesIndex = new Map(model.series.map((s, k) => [s.name, k]));
  const values = model.series.map(() => new Float64Array(o.paths * T));
  const params = model.params.map(() => new Float64Array(o.paths));
  const death = new Int32Array(o.paths);

  for (let p = 0; p < o.paths; p++) {
    const path = o.firstPath + p;
    const starts = new Map<string, number>();
    const lagged = (name: string, k: number): number =>
      env.t - k >= 1 ? values[seriesIndex.get(name)!]![p * T + env.t - k - 1]! : starts.get(name)!;
    const env: Env = {
      t: 0,
      start: model.scenario.start,
      lagged,
      params: new Map(),
      current: new Map(),
      previous: new Map(),
      acc: new Map(),
    };
    const draw = (owner: { name: string; ordinal: number }, t: number): Stream => {
      const s = new Stream();
      s.reset(seedLo, seedHi, path, siteId(owner.name, owner.ordinal++), 0);
      s.month(t);
      return s;
    };
    model.params.forEach((def, k) => {
      const body = override(def.name, { kind: "formula", expr: def.expr });
      if (body.kind !== "formula") throw new Error("internal: param set to a series body");
      const v = edited(def.name, evaluate(body.expr, env, { name: def.name, ordinal: 0 }, draw), env, draw);
      env.params.set(def.name, v);
      params[k]![p] = v;
    });
    const bodies = model.series.map((s) => override(s.name, s));
    bodies.forEach((b, k) => {
      const name = model.series[k]!.name;
      env.previous.set(
        name,
        b.kind === "formula" ? NaN : evaluate(b.start, env, { name: `${name}.start`, ordinal: 0 }, draw),
      );
      starts.set(name, env.previous.get(name)!);
    });
    let dead = T + 1;
    for (let t = 1; t <= T; t++) {
      env.t = t;
      env.current = new Map();
      bodies.forEach((b, k) => {
        const def = model.series[k]!;
        const owner = { name: def.name, ordinal: 0 };
        const e = edited(def.name, evaluate(monthFormula(b), env, owner, draw), env, draw);
        const v = b.kind === "stock" ? env.previous.get(def.name)! + e : e;
        env.current.set(def.name, v);
        values[k]![p * T + t - 1] = v;
      });
      env.previous = env.current;
      if (dead > T && !evaluate(model.scenario.alive, env, { name: "alive", ordinal: 0 }, draw)) dead = t;
    }
    death[p] = dead;
  }
  return { values, death, params };
}

type Draw = (owner: { name: string; ordinal: number }, t: number) => Stream;

function evaluate(e: Expr, env: Env, owner: { name: string; ordinal: number }, draw: Draw): number {
  // Random sites are numbered in the same pre-order walk as the compiler's, including the
  // branches of `if` that are not taken, so both assign the same site to the same call.
  const ev = (x: Expr) => evaluate(x, env, owner, draw);
  switch (e.kind) {
    case "number":
      return e.value;
    case "name":
      if (e.name === "t") return env.t;
      if (e.name === "pi") return Math.PI;
      if (env.params.has(e.name)) return env.params.get(e.name)!;
      if (env.current.has(e.name)) return env.current.get(e.name)!;
      if (e.name === "year") return calendarYear(env.start, env.t);
      if (e.name === "month") return calendarMonth(env.start, env.t);
      throw new Error(`internal: '${e.name}' not yet computed`);
    case "unary": {
      const a = ev(e.arg);
      return e.op === "-" ? -a : a ? 0 : 1;
    }
    case "binary": {
      const a = ev(e.left);
      const b = ev(e.right);
      return applyBinary(e.op, a, b, e.right);
    }
    case "range": {
      const s = draw(owner, env.t);
      const lo = ev(e.lo);
      const hi = ev(e.hi);
      return DISTRIBUTIONS.range.sample(s, lo, hi, NaN);
    }
    case "call": {
      const name = e.callee;
      if (SAMPLER_OF[name] !== undefined) {
        const s = draw(owner, env.t);
        const a = e.args.map(ev);
        return DISTRIBUTIONS[name as DistributionName].sample(s, a[0] ?? NaN, a[1] ?? NaN, a[2] ?? NaN);
      }
      switch (name) {
        case "if": {
          const c = ev(e.args[0]!);
          const a = ev(e.args[1]!);
          const b = ev(e.args[2]!);
          return c ? a : b;
        }
        case "prev": {
          const target = e.args[0]!;
          if (target.kind !== "name") throw new Error("internal: prev of an expression");
          const k = lagOf(e);
          return k === 1 ? env.previous.get(target.name)! : env.lagged(target.name, k);
        }
        case "event": {
          const s = draw(owner, env.t);
          const p = ev(e.args[0]!);
          const u = s.uniform();
          const size = ev(e.args[1]!);
          return u < p ? size : 0;
        }
        case "decay":
        case "growth": {
          const r = ev(e.args[0]!);
          const key = e;
          const last = env.t === 1 ? 1 : (env.acc.get(key) ?? 1);
          const v = last * (name === "decay" ? 1 - r : 1 + r);
          env.acc.set(key, v);
          return v;
        }
        default:
          return applyFunction(name, e.args.map(ev));
      }
    }
    default:
      throw new Error(`internal: ${e satisfies never}`);
  }
}
