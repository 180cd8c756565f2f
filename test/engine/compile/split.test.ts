// Big models' split kernels (compile/split.ts): the same statements in functions of bounded
// size, their per-path variables in typed arrays. Forced on small models here (a low
// threshold), they must give bit for bit the results of the unsplit kernel and of the
// interpreter, under both samplings, levers, scales and captures, and name the same series
// when a value is not finite. A model at the series limit compiles and runs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { compileModel, type CompileOptions } from "../../../src/engine/compile.js";
import { SPLIT_ABOVE } from "../../../src/engine/compile/kernel.js";
import { seriesInLocals } from "../../../src/engine/compile/split-kernel.js";
import { asAssignment, chunks, declaredNames, renameIdentifiers } from "../../../src/engine/compile/split.js";
import { interpret, simulateInProcess, type SimulateOptions } from "../../../src/engine/index.js";
import { simulateWith } from "../../../src/engine/simulate.js";
import { ThreadPool } from "../../../src/node/pool.js";
import { MAX_SERIES } from "../../../src/lang/limits.js";
import type { Model } from "../../../src/lang/index.js";
import { yamlModels } from "../kernel-dump.js";
import { model } from "../model.js";

/** Split everything, in pieces of a few statements: every boundary a statement can fall on. */
const FORCED: CompileOptions = { split: { above: 0, chunk: 300 } };

test("declaredNames, asAssignment, renameIdentifiers, chunks", () => {
  assert.deepEqual(declaredNames("let q0 = f(a, b), v0 = [1, 2], lg0 = Math.log(q0);"), ["q0", "v0", "lg0"]);
  assert.deepEqual(declaredNames("const h3 = (p0 > 1 ? 1 : 0);"), ["h3"]);
  assert.deepEqual(declaredNames("v3 = q3 + 1;"), []);
  assert.equal(asAssignment("let a = 1, b = 2;"), "a = 1, b = 2;");
  const to = new Map([
    ["v1", "SV[1]"],
    ["e5", "X[7]"],
  ]);
  // Property names, longer names and number exponents are left alone.
  assert.equal(renameIdentifiers("v1 = s0.v1 + v10 * 1e5 + e5;", to), "SV[1] = s0.v1 + v10 * 1e5 + X[7];");
  assert.equal(renameIdentifiers("(v1)+e5.length-1.5e-3*e5", to), "(SV[1])+X[7].length-1.5e-3*X[7]");
  assert.deepEqual(chunks(["aaaa", "bbbb", "cc", "dddddddddd"], 10), [["aaaa", "bbbb"], ["cc"], ["dddddddddd"]]);
  // A piece keeps the series it computes in locals too, and reads them from there.
  assert.deepEqual(seriesInLocals(["SV[1] = (SV[0] + 1) * SC[1];", "X[3] = SV[1] * SV[2];", "SV[2] = SV[1];"]), [
    "const v1 = (SV[0] + 1) * SC[1]; SV[1] = v1;",
    "X[3] = v1 * SV[2];",
    "const v2 = v1; SV[2] = v2;",
  ]);
});

/** A run's whole result, as text, or its error's message. */
function outcome(m: Model, options: CompileOptions, o: SimulateOptions): string {
  try {
    return JSON.stringify(simulateInProcess(compileModel(m, options), o));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

test("split kernels give the unsplit kernels' results byte for byte (every scenario and fixture)", () => {
  let compared = 0;
  for (const [file, m] of yamlModels()) {
    assert.ok(!compileModel(m).source.includes("const km0 "), `${file}: a built-in model's kernel must stay whole`);
    assert.ok(compileModel(m, FORCED).source.includes("const km0 = "), `${file}: forced split`);
    const capture = [
      ...m.series.flatMap((s) => [1, m.horizon].map((month) => ({ kind: "series" as const, name: s.name, month }))),
      ...m.params.map((p) => ({ kind: "param" as const, name: p.name })),
    ];
    const scale = m.series.length > 0 ? { [m.series[0]!.name]: 1.5 } : {};
    const levers = m.levers.map((l) => l.name);
    for (const sampling of ["mc", "rqmc"] as const)
      for (const o of [
        { paths: 48, seed: 5, sampling },
        { paths: 48, seed: 6, sampling, levers, capture, seriesScale: scale, replicates: 8 },
      ]) {
        for (const exact of [false, true]) {
          const want = outcome(m, { exact }, o);
          assert.equal(outcome(m, { ...FORCED, exact }, o), want, `${file} ${JSON.stringify({ exact, ...o })}`);
          compared++;
        }
      }
  }
  assert.ok(compared > 100);
});

// Lags, lever sets and edits, draws in branches, tracked logs, shared powers, scurve, decay.
const RICH = model(`name: rich
start: 2024-01
horizon: 9
params:
  g: normal(0.03, 0.01)
  m: uniform(3, 6)
series:
  rev:
    start: 10
    next: prev(rev) * exp(g + 0.05 * normal(0, 1))
  cost: (rev / 10) ^ 0.5 + (rev / 10) ^ 0.75 + scurve(t, m, 0.8) + if(t > 4, uniform(0, 1), 0)
  lagged:
    start: 1
    next: prev(rev, 3) + prev(lagged)
  cash:
    start: 100
    change: rev - cost - 2 * decay(0.1) + event(0.1, -5)
alive: cash >= 0
levers:
  cheap:
    label: Cheap
    set: { cost: 1 }
  push:
    label: Push
    add: { cash: 2 }
    scale: { rev: 1.1 }
`);

test("an exact split kernel equals the interpreter bit for bit", () => {
  const T = RICH.horizon;
  const capture = RICH.series.flatMap((s) =>
    Array.from({ length: T }, (_, i) => ({ kind: "series" as const, name: s.name, month: i + 1 })),
  );
  for (const levers of [[], ["cheap", "push"]]) {
    const paths = 16;
    const it = interpret(RICH, { seed: 9, firstPath: 0, paths, levers });
    const c = compileModel(RICH, { ...FORCED, exact: true });
    const got = simulateInProcess(c, { paths, seed: 9, sampling: "mc", report: [], capture, levers }).captures!;
    RICH.series.forEach((s, k) => {
      for (let p = 0; p < paths; p++)
        for (let t = 0; t < T; t++)
          assert.ok(Object.is(got[k * T + t]![p], it.values[k]![p * T + t]), `${s.name}@${t + 1} path ${p}`);
    });
  }
});

test("split and unsplit kernels name the same series and month when a value is not finite", () => {
  const m = model(`name: bad
start: 2024-01
horizon: 6
series:
  a: 1
  costs: if(t == 4, 1e308 * t, 1)
  ratio: 1 / costs
  cash: { start: 100, change: a - costs + ratio }
alive: cash >= 0
`);
  const want = outcome(m, {}, { paths: 4, seed: 1, sampling: "mc" });
  assert.match(want, /^error: .*costs/);
  assert.equal(outcome(m, FORCED, { paths: 4, seed: 1, sampling: "mc" }), want);
});

/** A chain of n series: s0 a draw, s_i = s_{i−1} + 1, cash changed by the last one. */
function chain(n: number, horizon: number): string {
  const lines = [`name: chain`, `start: 2024-01`, `horizon: ${horizon}`, `series:`, `  s0: normal(1, 0.1)`];
  for (let i = 1; i < n; i++) lines.push(`  s${i}: s${i - 1} + 1`);
  lines.push(`  cash: { start: 1B, change: s${n - 1} - 1000 }`, `alive: cash >= 0`, `report: [cash]`);
  return lines.join("\n") + "\n";
}

test("a model at the series limit compiles to a split kernel and runs, as the interpreter does", () => {
  const n = MAX_SERIES - 1; // and cash
  const m = model(chain(n, 3));
  assert.equal(m.series.length, MAX_SERIES);
  const c = compileModel(m);
  assert.ok(c.source.length > SPLIT_ABOVE && c.source.includes("const km0 = "));
  const capture = [1, 2, 3].map((month) => ({ kind: "series" as const, name: "cash", month }));
  const got = simulateInProcess(c, { paths: 6, seed: 2, sampling: "mc", report: ["cash"], capture }).captures!;
  const it = interpret(m, { seed: 2, firstPath: 0, paths: 6 });
  const k = m.series.length - 1;
  for (let p = 0; p < 6; p++)
    for (let t = 0; t < 3; t++) {
      // Every s_i is s0 + i, so cash grows by s0 + n − 1 − 1000 a month: the arithmetic, within rounding.
      assert.ok(Object.is(got[t]![p], it.values[k]![p * 3 + t]), `cash@${t + 1} path ${p}`);
    }
  const s0 = it.values[0]!;
  assert.ok(Math.abs(it.values[k]![0]! - (1e9 + s0[0]! + n - 1 - 1000)) < 1e-3);
});

test("a split kernel gives the same bytes on 1 and 3 threads and for any chunk size", async () => {
  const c = compileModel(RICH, FORCED);
  for (const sampling of ["mc", "rqmc"] as const) {
    const opts = { paths: 4096, seed: 3, sampling, levers: ["push"] };
    const base = JSON.stringify(simulateInProcess(c, opts));
    assert.equal(JSON.stringify(simulateInProcess(compileModel(RICH), opts)), base, "unsplit");
    assert.equal(JSON.stringify(simulateInProcess(c, { ...opts, chunkPaths: 1024 })), base, "chunks of 1,024");
    const pool = new ThreadPool(3);
    try {
      assert.equal(JSON.stringify(await simulateWith(c, { ...opts, chunkPaths: 1024 }, pool)), base, "3 threads");
    } finally {
      await pool.close();
    }
  }
});
