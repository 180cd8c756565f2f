// The compiled kernel and the run around it: determinism across chunkings and threads, exact
// results where they are known, survival under a constant hazard, and the compiled kernel
// against the tree-walking interpreter on generated formulas.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import {
  compileModel,
  interpret,
  ModelRuntimeError,
  simulate,
  simulateInProcess,
  simulateWith,
  setMemoryLimit,
} from "../../src/engine/index.js";
import { checkText } from "../../src/lang/index.js";
import { model } from "./model.js";
import { HybridRunner, ThreadPool, workerOptions } from "../../src/node/pool.js";

/** z standard errors; z = 4 gives a two-sided false alarm of about 6e-5 per check. */
function expectWithinSE(actual: number, expected: number, se: number, z: number, what: string): void {
  const off = Math.abs(actual - expected) / se;
  assert.ok(off <= z, `${what}: ${actual} vs ${expected} is ${off.toFixed(2)} SE off (limit ${z})`);
}

const NOISY = `name: noisy
start: 2024-01
horizon: 24
params:
  g: normal(0.02, 0.03)
  c0: 1B to 3B
  k: integer(2, 9)
  p: beta(2, 5)
series:
  revenue: { start: 100M, next: "prev(revenue) * exp(g + 0.1 * normal(0, 1))" }
  costs: "150M * (1 + 0.01) ^ t + event(0.05, 50M to 200M)"
  cash: { start: c0, change: "revenue - costs + if(t == k, 500M * p, 0)" }
alive: cash >= 0
report: [cash, revenue, costs]
`;

test("the same seed gives byte-identical JSON for any chunk size, and on worker threads", async () => {
  const m = model(NOISY);
  const base = JSON.stringify(simulateInProcess(m, { paths: 20_000, seed: 7 }));
  for (const chunkPaths of [1024, 3000, 8192, 20_000]) {
    assert.equal(
      JSON.stringify(simulateInProcess(m, { paths: 20_000, seed: 7, chunkPaths })),
      base,
      `chunk ${chunkPaths}`,
    );
  }
  const pool = new ThreadPool(2);
  try {
    const threaded = await simulateWith(m, { paths: 20_000, seed: 7, chunkPaths: 2048 }, pool);
    assert.equal(JSON.stringify(threaded), base, "two worker threads");
  } finally {
    await pool.close();
  }
  const hybrid = new HybridRunner(2);
  try {
    const mixed = await simulateWith(m, { paths: 20_000, seed: 7, chunkPaths: 2048 }, hybrid);
    assert.equal(JSON.stringify(mixed), base, "this thread plus a worker");
    // Default chunking with several threads: chunks shrink towards the end (guided scheduling).
    const guided = await simulateWith(m, { paths: 20_000, seed: 7 }, hybrid);
    assert.equal(JSON.stringify(guided), base, "guided chunk sizes");
  } finally {
    await hybrid.close();
  }
  // And a different seed really gives different draws.
  assert.notEqual(JSON.stringify(simulateInProcess(m, { paths: 20_000, seed: 8 })), base);
});

test("workers get the module-loading flags, and the heap size as a resource limit", () => {
  const argv = ["--import", "tsx", "--max-old-space-size=4096", "--no-opt", "--enable-source-maps", "-r", "x.cjs"];
  assert.deepEqual(workerOptions(argv), {
    execArgv: ["--import", "tsx", "--enable-source-maps", "-r", "x.cjs"],
    resourceLimits: { maxOldGenerationSizeMb: 4096 },
  });
  assert.deepEqual(workerOptions(["--max-old-space-size", "512", "--conditions=dev"]), {
    execArgv: ["--conditions=dev"],
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  });
  assert.deepEqual(workerOptions(["--stack-size=2000", "--expose-gc"]), { execArgv: [] });
});

test("lever-free params: those no lever sets and whose formula reads only such params", () => {
  const m = model(`name: lever-free
start: 2024-01
horizon: 6
params:
  a: normal(0, 1)
  b: a * 2
  c: 3
  d: c + a
  e: uniform(0, 1)
series:
  cash: { start: 10, change: b + d + e }
alive: cash >= 0
levers:
  more:
    set: { c: 4 }
`);
  assert.deepEqual(compileModel(m).leverFreeParams, ["a", "b", "e"]);
});

test("a param capture gives each path's draw; passed back as per-path values it gives the same bytes", async () => {
  const file = "scenarios/openai-2024.yaml";
  const compiled = compileModel(checkText(readFileSync(file, "utf8"), file).model!);
  const names = compiled.leverFreeParams;
  const base = { paths: 3000, seed: 9, threads: 1, report: [] as string[] };
  const outputs = [
    { kind: "alive" as const, month: 24 },
    { kind: "series" as const, name: "cash", month: 18 },
  ];
  const first = await simulate(compiled, {
    ...base,
    capture: [...outputs, ...names.map((name) => ({ kind: "param" as const, name }))],
  });
  const drawn = Object.fromEntries(names.map((name, j) => [name, first.captures![outputs.length + j]!]));
  // The draws differ from path to path (not one value repeated).
  const spread = names.filter((n) => new Set(drawn[n]).size > 1).length;
  assert.ok(spread > 10, `${spread} params vary across paths`);
  for (const levers of [[], [compiled.leverNames[0]!], compiled.leverNames.slice(0, 3)]) {
    const plain = await simulate(compiled, { ...base, levers, capture: outputs });
    const given = await simulate(compiled, { ...base, levers, capture: outputs, paramValues: drawn });
    assert.equal(JSON.stringify(given), JSON.stringify(plain), `levers ${levers.join("+")}`);
  }
  // The values are used: other values give another result, and a held param is captured as held.
  const name = names.find((n) => new Set(drawn[n]).size > 1)!;
  const other = { ...drawn, [name]: drawn[name]!.map((x) => x * 3) };
  const changed = await simulate(compiled, { ...base, capture: outputs, paramValues: other });
  assert.notEqual(JSON.stringify(changed.captures), JSON.stringify(first.captures!.slice(0, outputs.length)));
  const held = await simulate(compiled, { ...base, fixed: { [name]: 0.5 }, capture: [{ kind: "param", name }] });
  assert.ok(held.captures![0]!.every((x) => x === 0.5));
});

test("a path's draws do not depend on how many paths run", () => {
  const m = model(NOISY);
  const cap = [{ kind: "series" as const, name: "cash", month: 24 }];
  // rqmc (the default) takes 2,048 and 4,096 of them (whole replicates); mc takes them as asked.
  for (const sampling of ["rqmc", "mc"] as const) {
    const small = simulateInProcess(m, { paths: 1500, seed: 3, capture: cap, sampling }).captures![0]!;
    const large = simulateInProcess(m, { paths: 5000, seed: 3, capture: cap, sampling }).captures![0]!;
    assert.ok(large.length > small.length, sampling);
    assert.deepEqual(Array.from(large.subarray(0, small.length)), Array.from(small), sampling);
  }
});

test("a deterministic scenario has an exact runway, survival and shortfall", () => {
  const m = model(`name: det
start: 2024-01
horizon: 6
series:
  cash: { start: 10, change: -3 }
alive: cash >= 0
`);
  const r = simulateInProcess(m, { paths: 3000, seed: 1 });
  // cash: 7, 4, 1, -2, -5, -8 → dies in month 4; deepest shortfall 8.
  assert.deepEqual(
    r.survival.map((s) => s.alive),
    [1, 1, 1, 0, 0, 0],
  );
  assert.equal(r.runway.median, 4);
  assert.equal(r.runway.p5, 4);
  assert.equal(r.runway.p95, 4);
  assert.equal(r.runway.aliveAtHorizon, 0);
  assert.equal(r.shortfall!.p50, 8);
  assert.equal(r.shortfall!.p95, 8);
  assert.equal(r.shortfall!.shareShort, 1);
  assert.deepEqual(
    r.series.cash!.map((p) => [p.mean, p.p5, p.p50, p.p95]),
    [7, 4, 1, -2, -5, -8].map((v) => [v, v, v, v]),
  );
});

test("survival under a 2% monthly fatal shock is 0.98^t", () => {
  const m = model(`name: hazard
start: 2024-01
horizon: 36
series:
  hit: { start: 0, next: "max(prev(hit), bernoulli(0.02))" }
alive: hit == 0
`);
  const n = 200_000;
  const r = simulateInProcess(m, { paths: n, seed: 2024 });
  for (const t of [1, 6, 12, 24, 36]) {
    const expected = Math.pow(0.98, t);
    // SE of a share over n independent paths: √(S(1 − S)/n).
    expectWithinSE(r.survival[t - 1]!.alive, expected, Math.sqrt((expected * (1 - expected)) / n), 4, `S(${t})`);
    const s = r.survival[t - 1]!;
    assert.ok(s.low <= s.alive && s.alive <= s.high, "the Wilson interval brackets S(t)");
  }
});

test("a NaN at run time names the series, month and path", () => {
  const m = model(`name: nan
start: 2024-07
horizon: 12
series:
  x: { start: 5, change: -1 }
  y: log(x)
alive: 1 > 0
`);
  assert.throws(
    () => simulateInProcess(m, { paths: 10, seed: 1 }),
    (e: unknown) =>
      e instanceof ModelRuntimeError &&
      /series 'y' is -Infinity at month 5 \(2024-11\) on path 0/.test(e.message) &&
      e.diagnostic.span.start.line === 6,
  );
});

test("a series that another carries is still named when it is the first to fail", () => {
  // cash carries revenue, costs and ratio (cash changes by revenue − costs + ratio), so the
  // kernel's quick monthly test looks at cash only; when costs overflows, the error must still
  // name costs, the first failing series. Under the lever cash carries only revenue, so costs
  // and ratio are tested again. ratio carries nothing of its denominator (x ÷ ∞ is 0).
  const base = `name: carried
start: 2024-07
horizon: 6
series:
  revenue: 10
  costs: if(t == 4, 1e308 * t, 1)
  ratio: 1 / costs
  cash: { start: 100, change: revenue - costs + ratio }
alive: cash >= 0
`;
  const withLever = `${base}levers:
  flat:
    label: Flat cash
    set: { cash: { start: 100, change: revenue } }
`;
  const quickTest = (text: string) =>
    /if \(!\((.*) === 0\)\) \{/.exec(
      compileModel(model(text)).kernelSource({ scaled: false, reported: [], captures: false }),
    )?.[1];
  assert.equal(quickTest(base), "(v3 - v3)");
  assert.equal(quickTest(withLever), "(v1 - v1) + (v2 - v2) + (v3 - v3)");
  for (const [text, levers] of [
    [base, []],
    [withLever, []],
    [withLever, ["flat"]],
  ] as const)
    assert.throws(
      () => simulateInProcess(model(text), { paths: 10, seed: 1, levers: [...levers] }),
      (e: unknown) =>
        e instanceof ModelRuntimeError && /series 'costs' is Infinity at month 4 \(2024-10\) on path 0/.test(e.message),
      `levers [${levers.join(", ")}]`,
    );
});

test("with threads claiming chunks, a run error names the first failing path, as on one thread", async () => {
  // About 1 path in 20,000 draws x above 0.99995 and fails in month 3; with 60,000 paths in
  // chunks of 1,024 several chunks fail, and whichever thread reports first, the message must
  // name the lowest failing path.
  const m = model(`name: rare
start: 2024-07
horizon: 6
params:
  x: uniform(0, 1)
series:
  y: if(t == 3 and x > 0.99995, log(0), 1)
alive: 1 > 0
`);
  const message = (e: unknown) => (e instanceof ModelRuntimeError ? e.message : String(e));
  const options = { paths: 60_000, seed: 11, chunkPaths: 1024 };
  let single = "";
  try {
    simulateInProcess(m, options);
  } catch (e) {
    single = message(e);
  }
  assert.match(single, /series 'y' is -Infinity at month 3 \(2024-09\) on path \d+/);
  const hybrid = new HybridRunner(2);
  try {
    for (let round = 0; round < 3; round++)
      await assert.rejects(simulateWith(m, options, hybrid), (e) => message(e) === single);
  } finally {
    await hybrid.close();
  }
});

test("threads claiming chunks report progress up to every path, and stop when aborted", async () => {
  const m = model(NOISY);
  const hybrid = new HybridRunner(2);
  try {
    const seen: number[] = [];
    const r = await simulateWith(
      m,
      { paths: 40_000, seed: 3, sampling: "mc", chunkPaths: 1024, onProgress: (d) => seen.push(d) },
      hybrid,
    );
    assert.equal(r.partial, undefined);
    assert.ok(seen.length > 0 && seen.every((d, i) => i === 0 || d >= seen[i - 1]!), "progress never goes back");
    assert.equal(seen.at(-1), 40_000);
    // Aborted once a tenth of the paths are done: the threads stop claiming, the chunks already
    // running finish, and the result is marked partial with the paths it has.
    const stop = new AbortController();
    const partial = await simulateWith(
      m,
      {
        paths: 400_000,
        seed: 3,
        chunkPaths: 1024,
        signal: stop.signal,
        onProgress: (d) => d >= 40_000 && stop.abort(),
      },
      hybrid,
    );
    assert.equal(partial.partial, true);
    assert.ok(partial.paths >= 40_000 && partial.paths < 400_000, `${partial.paths} paths`);
  } finally {
    await hybrid.close();
  }
});

test("levers switch formulas without moving the other draws (common random numbers)", async () => {
  const m = model(
    NOISY +
      `levers:
  cheap:
    label: Cheaper costs
    set: { costs: "100M * 1.01 ^ t + event(0.05, 50M to 200M)" }
`,
  );
  const cap = [{ kind: "series" as const, name: "revenue", month: 24 }];
  const off = await simulate(m, { paths: 4000, seed: 5, capture: cap });
  const on = await simulate(m, { paths: 4000, seed: 5, capture: cap, levers: ["cheap"] });
  assert.deepEqual(Array.from(on.captures![0]!), Array.from(off.captures![0]!), "revenue draws unchanged");
  assert.ok(on.survival[23]!.alive > off.survival[23]!.alive, "cheaper costs help");
  await assert.rejects(
    () => simulate(m, { paths: 10, seed: 1, levers: ["nope"] }),
    /unknown lever 'nope'; levers are: cheap/,
  );
});

test("a run's bytes do not depend on the runs before it in the process (kernel warm-up with each lever)", () => {
  // Each model text compiles to a kernel of its own, so the first run of each builds and warms
  // it up (with no lever and with each lever on alone) before its own paths.
  const withLevers = (tag: string) =>
    model(
      NOISY.replace("name: noisy", `name: warm-${tag}`) +
        `levers:
  cheap:
    label: Cheaper costs
    set: { costs: "100M * 1.01 ^ t + event(0.05, 50M to 200M)" }
  grow:
    label: Faster growth
    set: { g: "normal(0.04, 0.02)" }
`,
    );
  const options = { paths: 3000, seed: 9 };
  const fresh = JSON.stringify(simulateInProcess(withLevers("a"), { ...options, levers: ["grow"] }));
  const m = withLevers("b");
  simulateInProcess(m, options);
  simulateInProcess(m, { ...options, levers: ["cheap"] });
  const after = JSON.stringify(simulateInProcess(m, { ...options, levers: ["grow"] }));
  const name = (json: string) => json.replace(/warm-[ab]/g, "warm");
  assert.equal(name(after), name(fresh));
  // And the lever does change the run (the comparison above could not pass by accident).
  assert.notEqual(name(JSON.stringify(simulateInProcess(m, options))), name(fresh));
});

// Generated formulas: the compiled kernel must equal the interpreter bit for bit.
const atom = fc.oneof(
  fc.constantFrom("t", "a", "b", "x", "prev(x)", "prev(y)", "pi"),
  fc.constantFrom("prev(x, 2)", "prev(y, 4)", "year", "month", "2024-03", "2023-11", "5%/yr", "-20%/yr", "1.2K/yr"),
  fc.double({ min: -50, max: 50, noNaN: true }).map((v) => String(Math.round(v * 100) / 100)),
  fc.constantFrom(
    "normal(0, 1)",
    "uniform(1, 2)",
    "1 to 3",
    "-1 to 2",
    "integer(1, 4)",
    "bernoulli(0.3)",
    "poisson(2)",
  ),
);
const formula: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    atom,
    fc
      .tuple(tie("e"), fc.constantFrom("+", "-", "*", "/", "^", "<", ">=", "==", "and", "or"), tie("e"))
      .map(([l, op, r]) => `(${l} ${op} ${r})`),
    tie("e").map((e) => `-(${e})`),
    fc
      .tuple(fc.constantFrom("exp", "log", "sqrt", "abs", "floor", "round", "sin", "decay"), tie("e"))
      .map(([f, e]) => `${f}(${e})`),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([c, p, q]) => `if(${c}, ${p}, ${q})`),
    fc.tuple(tie("e"), tie("e")).map(([p, q]) => `max(${p}, ${q})`),
    fc.tuple(tie("e")).map(([p]) => `event(0.3, ${p})`),
    // The compiler turns these into Stream.below (one word for two); the interpreter does not.
    fc.tuple(tie("e")).map(([p]) => `(uniform(0, 1) < ${p})`),
    fc.tuple(tie("e")).map(([p]) => `(${p} > uniform(0, 1))`),
  ),
})).e;

test("the compiled kernel equals the reference interpreter bit for bit on generated formulas", () => {
  let compared = 0;
  let runs = 0;
  fc.assert(
    fc.property(formula, formula, fc.nat(1000), (fx, fy, seed) => {
      runs++;
      const text = `name: gen
start: 2024-01
horizon: 5
params:
  a: normal(1, 0.5)
  b: "2 to 5"
series:
  x: { start: 1, next: ${JSON.stringify(`clamp(${fx}, -1e6, 1e6)`)} }
  y: { start: 0, next: ${JSON.stringify(`clamp(${fy}, -1e6, 1e6)`)} }
alive: x > -1e9
`;
      const r = checkText(text, "gen.yaml");
      if (r.model === undefined) return true; // e.g. a generated formula YAML cannot hold
      const m = r.model;
      // Exact kernels only: the default compile may read log(s) from a running sum (last bits differ).
      const c = compileModel(m, { exact: true });
      const paths = 8;
      const expected = interpret(m, { seed, firstPath: 0, paths });
      // A NaN stops a compiled run with an error; compare only runs without one.
      const anyNaN = expected.values.some((v) => v.some((x) => !Number.isFinite(x)));
      const capture = m.series.flatMap((s) =>
        [1, 2, 3, 4, 5].map((month) => ({ kind: "series" as const, name: s.name, month })),
      );
      if (anyNaN) {
        assert.throws(
          () => simulateInProcess(c, { paths, seed, sampling: "mc", report: [], capture }),
          ModelRuntimeError,
        );
        return true;
      }
      const got = simulateInProcess(c, { paths, seed, sampling: "mc", report: [], capture }).captures!;
      m.series.forEach((s, k) => {
        for (let month = 1; month <= 5; month++) {
          const col = got[k * 5 + month - 1]!;
          for (let p = 0; p < paths; p++) {
            const want = expected.values[k]![p * 5 + month - 1]!;
            assert.ok(Object.is(col[p], want), `${s.name}@${month} path ${p}: kernel ${col[p]} vs interpreter ${want}`);
          }
        }
      });
      compared++;
      return true;
    }),
    { numRuns: 300, seed: 42 },
  );
  // The comparison must really have run on most cases, not been skipped.
  assert.ok(compared >= runs * 0.3, `only ${compared} of ${runs} generated models were compared`);
});

test("the compiled kernel equals the interpreter on generated lever add and scale edits", () => {
  let compared = 0;
  fc.assert(
    fc.property(formula, formula, formula, fc.nat(1000), fc.nat(7), (fx, fa, fs, seed, mask) => {
      const text = `name: gen-edits
start: 2024-01
horizon: 5
params:
  a: normal(1, 0.5)
  b: "2 to 5"
series:
  x: { start: 1, next: ${JSON.stringify(`clamp(${fx}, -1e6, 1e6)`)} }
  y: { start: 0, change: ${JSON.stringify(`clamp(${fa}, -1e3, 1e3)`)} }
alive: x > -1e9
levers:
  one:
    label: One
    set: { x: ${JSON.stringify(`clamp(${fa}, -1e6, 1e6)`)} }
    scale: { b: "a * 0.5 + 1" }
  two:
    label: Two
    add: { x: ${JSON.stringify(`clamp(${fs}, -1e6, 1e6)`)}, a: "uniform(0, 1)" }
  three:
    label: Three
    scale: { y: ${JSON.stringify(`clamp(${fx}, -2, 2)`)}, x: 0.5 }
`;
      const r = checkText(text, "gen.yaml");
      if (r.model === undefined) return true;
      const m = r.model;
      const levers = ["one", "two", "three"].filter((_, i) => (mask & (1 << i)) !== 0);
      const paths = 6;
      const expected = interpret(m, { seed, firstPath: 0, paths, levers });
      if (expected.values.some((v) => v.some((x) => !Number.isFinite(x)))) return true;
      const capture = m.series.flatMap((s) =>
        [1, 2, 3, 4, 5].map((month) => ({ kind: "series" as const, name: s.name, month })),
      );
      const c = compileModel(m, { exact: true });
      const got = simulateInProcess(c, { paths, seed, sampling: "mc", report: [], capture, levers }).captures!;
      m.series.forEach((s, k) => {
        for (let month = 1; month <= 5; month++)
          for (let p = 0; p < paths; p++) {
            const want = expected.values[k]![p * 5 + month - 1]!;
            const col = got[k * 5 + month - 1]!;
            assert.ok(Object.is(col[p], want), `${s.name}@${month} path ${p} [${levers}]: ${col[p]} vs ${want}`);
          }
      });
      compared++;
      return true;
    }),
    { numRuns: 200, seed: 7 },
  );
  // Generated formulas that read x inside x (a cycle) are skipped; most others are compared.
  assert.ok(compared >= 40, `only ${compared} of 200 generated models were compared`);
});

for (const [file, names] of [
  ["bench/ailab-bench.yaml", ["revenue", "inference", "cash"]],
  ["scenarios/openai-2024.yaml", ["revenue", "apps_revenue", "inference_volume", "cash"]],
] as const)
  test(`fast compiles agree with exact ones to 1e-12 on ${file}`, () => {
    const { model: m } = checkText(readFileSync(file, "utf8"), file);
    assert.ok(m);
    const fast = compileModel(m);
    const exact = compileModel(m, { exact: true });
    assert.notEqual(fast.source, exact.source, "the fast kernel uses the rewrites");
    const capture = names.flatMap((name) => [1, 12, 36].map((month) => ({ kind: "series" as const, name, month })));
    const levers = m.levers.map((l) => l.name);
    const a = simulateInProcess(fast, { paths: 3000, seed: 9, capture, report: [], levers }).captures!;
    const b = simulateInProcess(exact, { paths: 3000, seed: 9, capture, report: [], levers }).captures!;
    // Relative to the size of the money involved (cash crosses zero, so not to cash itself): 1e9 USD.
    let worst = 0;
    a.forEach((col, j) =>
      col.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - b[j]![i]!) / Math.max(1e9, Math.abs(b[j]![i]!))))),
    );
    assert.ok(worst < 1e-12, `largest relative difference ${worst}`);
  });

test("one compiled model serves every variant", async () => {
  const m = model(NOISY);
  const c = compileModel(m);
  const a = await simulate(c, { paths: 2000, seed: 1, fixed: { g: 0.05 } });
  const b = await simulate(c, { paths: 2000, seed: 1, fixed: { g: -0.05 } });
  assert.ok(a.survival[23]!.alive > b.survival[23]!.alive);
  await assert.rejects(
    () => simulate(c, { paths: 10, seed: 1, fixed: { gg: 1 } }),
    /unknown param 'gg'; params are: g, c0, k, p/,
  );
});

test("a run that would not fit in memory is refused up front with the figure", () => {
  const m = model(NOISY);
  setMemoryLimit(50e6);
  try {
    assert.throws(
      () =>
        simulateInProcess(m, {
          paths: 5_000_000,
          seed: 1,
          capture: [{ kind: "runway" }, { kind: "series", name: "cash", month: 24 }],
        }),
      /this run needs about (\d+ MB|[\d.]+ GB) of memory .* more than the 50 MB available/,
    );
    // A run that fits still runs under the same limit.
    assert.equal(simulateInProcess(m, { paths: 2000, seed: 1, sampling: "mc" }).paths, 2000);
  } finally {
    setMemoryLimit(Infinity);
  }
});
