// The compiler's draw-site pass: counter streams by (owner, ordinal) and QMC dimensions.
import assert from "node:assert/strict";
import { test } from "node:test";
import { compileModel } from "../../../src/engine/compile.js";
import { DrawSites, QMC_MONTH_SITES, QMC_PATH_DIMS } from "../../../src/engine/compile/sites.js";
import { QMC_LAZY_Z, QMC_U, QMC_Z } from "../../../src/engine/qmc/invert.js";
import { siteId } from "../../../src/engine/rng.js";
import { model } from "../model.js";

const M = model(`name: x
start: 2024-07
horizon: 3
params:
  a: normal(1, 0.1)
  b: uniform(0, 1) + uniform(0, 2)
series:
  rev:
    start: normal(10, 1)
    next: prev(rev) + poisson(2)
  cash:
    start: 1
    change: rev + normal(0, 1)
alive: cash >= uniform(-1, 0)
`);

test("DrawSites: one stream per (owner, ordinal), numbered in first-draw order", () => {
  const sites = new DrawSites(
    M,
    new Map(M.params.map((p, k) => [p.name, k])),
    new Map(M.series.map((s, k) => [s.name, k])),
  );
  const owner = { name: "b", ordinal: 0, month: false };
  assert.equal(sites.stream(owner), "s0");
  assert.equal(sites.stream(owner), "s1");
  assert.deepEqual(sites.lastSite, { id: siteId("b", 1), ordinal: 1 });
  assert.equal(sites.stream({ name: "b", ordinal: 0, month: false }), "s0"); // the same site again
  // Dimensions: month sites after path sites, each group by the owner's place then the ordinal.
  const cash = { name: "cash", ordinal: 0, month: true };
  sites.stream(cash);
  const m = sites.qdim(cash, true, true, false);
  const p = sites.qdim(owner, false, false, false, { id: siteId("b", 1), ordinal: 1 });
  const p0 = sites.qdim(owner, false, false, false, { id: siteId("b", 0), ordinal: 0 });
  // A normal-family draw in a branch: stored as u, inverted by the kernel when taken.
  const alive = { name: "alive", ordinal: 0, month: true };
  sites.stream(alive);
  const lazy = sites.qdim(alive, true, true, true);
  const n = sites.numberQmcSites();
  assert.deepEqual(n.layout.pathKinds, [QMC_U, QMC_U]);
  assert.deepEqual(n.layout.monthKinds, [QMC_Z, QMC_LAZY_Z]);
  assert.equal(m.ok, "t <= TQ");
  assert.equal(p.ok, "true");
  assert.equal(
    n.code(`${p0.ref} ${p.ref} ${m.ref} ${lazy.ref} ${QMC_PATH_DIMS} ${QMC_MONTH_SITES}`),
    "qu[qo + 0] qu[qo + 1] qu[qm + 0] qz(qu[qm + 1]) 2 2",
  );
  assert.equal(sites.monthWord("s2", "tc", true), "W0[wb + t]");
  assert.equal(sites.monthWord("s2", "tc + 1024", true), "W0[wb + t + 1]");
  assert.equal(sites.monthWord("s2", "tc", false), undefined);
});

test("the QMC layout: params in order, then series' starts, then month sites by series, then alive", () => {
  const layout = compileModel(M).qmcLayout();
  // a (normal: z), b's two uniforms, rev's start (normal: z).
  assert.deepEqual(layout.pathKinds, [1, 0, 0, 1]);
  // rev's poisson, cash's normal, alive's uniform.
  assert.deepEqual(layout.monthKinds, [0, 1, 0]);
  assert.deepEqual(layout.pathKeys.slice(1, 3), [siteId("b", 0), siteId("b", 1)]);
  assert.deepEqual(layout.monthKeys, [siteId("rev", 0), siteId("cash", 0) ^ 0x5851f42d, siteId("alive", 0)]);
});
