// The compiler's emission pass (and the growth analysis it uses): what an expression becomes,
// and which sinks its hoisted parts go to.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DrawSites } from "../../../src/engine/compile/sites.js";
import { Emitter } from "../../../src/engine/compile/emit.js";
import { findLogTracked, findSharedExp, powerOfA, rational } from "../../../src/engine/compile/growth.js";
import { parseFormula, type Model } from "../../../src/lang/index.js";
import { model } from "../model.js";

const M = model(`name: x
start: 2024-07
horizon: 3
params:
  a: normal(0.05, 0.01)
series:
  rev:
    start: 10
    next: prev(rev) * exp(a + 0.1 * normal(0, 1))
  cost: (rev / 10) ^ 0.5 + (rev / 10) ^ 0.75
  cash: { start: 1, change: rev - cost }
alive: cash >= 0
`);

function emitter(m: Model, exact = false, qmc = false) {
  const paramIndex = new Map(m.params.map((p, k) => [p.name, k]));
  const seriesIndex = new Map(m.series.map((s, k) => [s.name, k]));
  const logTracked = exact ? new Map() : findLogTracked(m);
  const sharedExp = exact ? new Map() : findSharedExp(m, seriesIndex, logTracked);
  const sites = new DrawSites(m, paramIndex, seriesIndex);
  const names = { paramIndex, seriesIndex };
  return new Emitter({ model: m, exact, qmc, names, lags: new Map(), logTracked, sharedExp, sites });
}
const expr = (text: string) => parseFormula(text).expr!;
const month = (name = "cash") => ({ name, ordinal: 0, month: true });

test("emission hoists by dependency: folded, tables by month, per-path values", () => {
  const em = emitter(M);
  assert.equal(em.gen(expr("2 * 3 + 1"), month(), true), "7");
  assert.equal(em.gen(expr("cash + 1.03 ^ t"), month(), true), "(v2 + tab0[t])");
  assert.deepEqual(em.prologue, [
    "const tab0 = new Float64Array(T + 1);",
    "for (let t = 1; t <= T; t++) tab0[t] = pw(1.03, t);",
  ]);
  assert.equal(em.gen(expr("cash * (1 - a)"), month(), true), "(v2 * h1)");
  assert.deepEqual(em.pathHoists, ["const h1 = (1 - p0);"]);
  // Outside the months nothing is hoisted.
  assert.equal(em.gen(expr("1 - a"), { name: "x", ordinal: 0, month: false }, false), "(1 - p0)");
});

test("emission: draws read their site's stream, or a QMC coordinate with the stream as fallback", () => {
  const mc = emitter(M);
  assert.equal(mc.gen(expr("uniform(0, 2)"), month(), true), "d_uniform((s0.c = tc, s0), 0, 2)");
  const q = emitter(M, false, true);
  assert.equal(
    q.gen(expr("uniform(0, 2)"), month(), true),
    "(t <= TQ ? q_uniform(@Q0@, 0, 2) : d_uniform((s0.c = tc, s0), 0, 2))",
  );
  // A draw inside a branch is made lazily (no bulk words): the same counter, hashed as it goes.
  const lazy = emitter(M);
  assert.equal(
    lazy.gen(expr("if(t > 1, normal(0, 1), 0)"), month(), true),
    "(tab0[t] ? d_normal((s0.c = tc, s0), 0, 1) : 0)",
  );
});

test("growth: prev(s)·exp(E) is tracked as a running log, and rational powers share one exp", () => {
  const idx = new Map(M.series.map((s, k) => [s.name, k]));
  const tracked = findLogTracked(M);
  assert.deepEqual([...tracked.keys()], [0]);
  const shared = findSharedExp(M, idx, tracked).get(0)!;
  assert.equal(shared.L, 4); // 1/2 and 3/4
  assert.deepEqual([...shared.powers].sort(), [2, 3]);
  assert.equal(powerOfA(0, 3), "(A0_1 * A0_2)");
  assert.deepEqual(rational(0.75), [3, 4]);
  assert.equal(rational(Math.PI), undefined);
  // The exact kernel tracks nothing: the log is computed where it stands.
  assert.equal(emitter(M, true).gen(expr("log(rev)"), month(), true), "Math.log(v0)");
  assert.equal(emitter(M).gen(expr("log(rev)"), month(), true), "(v0 > 0 && sc0 > 0 ? lg0 : Math.log(v0))");
});
