// The language's time and lever constructs on deterministic oracles: tiny scenarios whose every
// value is known by hand (dates, year and month, schedules, prev(x, k), lever add/scale, the
// yearly notation). Each is run by the reference interpreter and by the compiled kernel (exact
// and fast), which must agree bit for bit, and the values are compared with the arithmetic.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { compileModel, interpret, simulateInProcess } from "../../src/engine/index.js";
import { checkText, formatLocation, type Model } from "../../src/lang/index.js";
import { model } from "./model.js";

/** Every series' values on path `path` (month 1..T), checked equal in the interpreter and both kernels. */
function run(m: Model, levers: string[] = [], path = 0, seed = 1): Record<string, number[]> {
  const T = m.horizon;
  const it = interpret(m, { seed, firstPath: 0, paths: path + 1, levers });
  const capture = m.series.flatMap((s) =>
    Array.from({ length: T }, (_, i) => ({ kind: "series" as const, name: s.name, month: i + 1 })),
  );
  const out: Record<string, number[]> = {};
  for (const exact of [true, false]) {
    const c = compileModel(m, { exact });
    // The interpreter draws from the counter streams: compare with mc.
    const got = simulateInProcess(c, { paths: path + 1, seed, sampling: "mc", report: [], capture, levers }).captures!;
    m.series.forEach((s, k) => {
      const want = Array.from(it.values[k]!.subarray(path * T, path * T + T));
      const kernel = got.slice(k * T, k * T + T).map((col) => col[path]!);
      if (exact) assert.deepEqual(kernel, want, `${s.name}: exact kernel vs interpreter (levers ${levers.join("+")})`);
      else
        kernel.forEach((x, i) =>
          assert.ok(Math.abs(x - want[i]!) <= 1e-12 * Math.max(1, Math.abs(want[i]!)), `${s.name}@${i + 1} fast`),
        );
      out[s.name] = want;
    });
  }
  return out;
}

test("dates: YYYY-MM is that month's t (start = 1), year and month follow the calendar", () => {
  const m = model(`name: dates
start: 2024-11
horizon: 6
params:
  close: 2025-02
series:
  at: 2025-03 + 0 * t
  before: 2024-10 + 2023-11 + 0 * t
  fired: if(t >= 2025-03, 1, 0)
  raised: if(t == close, 1, 0)
  arithmetic: 2025 - 3 + 0 * t
  calendar: year * 100 + month
  fiscal: if(month >= 7, year + 1, year)
alive: 1
`);
  const v = run(m);
  assert.deepEqual(v.at, [5, 5, 5, 5, 5, 5]);
  assert.deepEqual(v.before, [0 - 11, -11, -11, -11, -11, -11]);
  assert.deepEqual(v.fired, [0, 0, 0, 0, 1, 1]);
  assert.deepEqual(v.raised, [0, 0, 0, 1, 0, 0]);
  assert.deepEqual(v.arithmetic, [2022, 2022, 2022, 2022, 2022, 2022]);
  assert.deepEqual(v.calendar, [202411, 202412, 202501, 202502, 202503, 202504]);
  assert.deepEqual(v.fiscal, [2025, 2025, 2025, 2025, 2025, 2025]);
});

test("dates that could be read two ways warn, with a caret, saying which reading was taken", () => {
  const r = checkText(
    `name: ambiguous
start: 2024-07
horizon: 12
series:
  a: if(t >= 2025-3, 1, 0)
  b: 2025-13 + t
  c: 0.3/yr + t
alive: 1
`,
    "w.yaml",
  );
  assert.ok(r.model, "warnings only");
  const w = r.diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.column, d.span.end.column, d.message]);
  assert.deepEqual(w, [
    ["date_or_subtraction", 5, 14, 20, "'2025-3' read as the month 2025-03 (t = 9)"],
    [
      "date_or_subtraction",
      6,
      6,
      13,
      "'2025-13' is not a month (months run 01 to 12); read as the subtraction 2025 - 13",
    ],
    ["annual_amount_or_rate", 7, 6, 12, "'0.3/yr' is an amount per year (0.025 a month), not a rate"],
  ]);
  const v = run(r.model);
  assert.deepEqual(v.a!.slice(7, 10), [0, 1, 1]);
  assert.deepEqual(v.b!.slice(0, 2), [2013, 2014]);
  // Without a start a month cannot be counted: the subtraction, with a warning.
  const noStart = checkText("name: x\nhorizon: 3\nseries:\n  a: 2025-03 + t\nalive: 1\n", "n.yaml");
  assert.ok(noStart.diagnostics.some((d) => d.code === "date_or_subtraction" && /no start month/.test(d.message)));
});

test("schedules: zero, step and linear between the entries, 0 before the first", () => {
  const m = model(`name: schedules
start: 2024-11
horizon: 8
params:
  big: 7
series:
  tranche: { schedule: { 2024-12: 5, 2025-03: big } }
  plan: { schedule: { 2024-12: 5, 2025-03: 8 }, between: step }
  ramp: { schedule: { 2024-12: 5, 2025-03: 8, 2025-05: 4 }, between: linear }
  carried: { schedule: { 2023-01: 3, 2025-01: 4 }, between: step }
  by_t: { schedule: { 2: 1, 4: 2 }, between: step }
alive: 1
`);
  const v = run(m);
  assert.deepEqual(v.tranche, [0, 5, 0, 0, 7, 0, 0, 0]);
  assert.deepEqual(v.plan, [0, 5, 5, 5, 8, 8, 8, 8]);
  assert.deepEqual(v.ramp, [0, 5, 6, 7, 8, 6, 4, 4]);
  assert.deepEqual(v.carried, [3, 3, 4, 4, 4, 4, 4, 4]);
  assert.deepEqual(v.by_t, [0, 1, 1, 2, 2, 2, 2, 2]);
});

test("a long schedule follows the rule in every month, in each mode (against a direct reading of the rule)", () => {
  // 40 entries at irregular months from before the start to past the horizon.
  const months: number[] = [];
  for (let t = -5, i = 0; months.length < 40; i++) months.push((t += 1 + ((i * 7) % 3)));
  const value = (i: number) => ((i * 37) % 11) - 3;
  const rule = (between: string, t: number): number => {
    const i = months.filter((m) => m <= t).length - 1;
    if (i < 0) return 0;
    if (between === "zero") return months[i] === t ? value(i) : 0;
    if (between === "step" || i === months.length - 1) return value(i);
    return value(i) + ((value(i + 1) - value(i)) * (t - months[i]!)) / (months[i + 1]! - months[i]!);
  };
  const entries = months.map((m, i) => `${m}: ${value(i)}`).join(", ");
  const m = model(`name: long
start: 2024-01
horizon: 60
series:
  zero: { schedule: { ${entries} }, between: zero }
  step: { schedule: { ${entries} }, between: step }
  linear: { schedule: { ${entries} }, between: linear }
alive: 1
`);
  const v = run(m);
  for (const between of ["zero", "step", "linear"])
    assert.deepEqual(
      v[between],
      Array.from({ length: 60 }, (_, i) => rule(between, i + 1)),
      between,
    );
});

test("prev(x, k) is x k months back, and x's start before month 1 (under a lever's start too)", () => {
  const m = model(`name: lags
start: 2024-01
horizon: 6
series:
  level: { start: 10, next: prev(level) + 1 }
  one: prev(level, 1)
  two: prev(level, 2)
  three: prev(level, 3)
  growth3: level / prev(level, 3) - 1
alive: 1
levers:
  restart:
    label: Restart
    set: { level: { start: 100, next: prev(level) + 2 } }
`);
  const v = run(m);
  assert.deepEqual(v.level, [11, 12, 13, 14, 15, 16]);
  assert.deepEqual(v.one, [10, 11, 12, 13, 14, 15]);
  assert.deepEqual(v.two, [10, 10, 11, 12, 13, 14]);
  assert.deepEqual(v.three, [10, 10, 10, 11, 12, 13]);
  assert.deepEqual(v.growth3, [11 / 10 - 1, 12 / 10 - 1, 13 / 10 - 1, 14 / 11 - 1, 15 / 12 - 1, 16 / 13 - 1]);
  const w = run(m, ["restart"]);
  assert.deepEqual(w.three, [100, 100, 100, 102, 104, 106]);
});

test("a lag as long as the horizon warns that it always reads the start", () => {
  const r = checkText(
    'name: x\nstart: 2024-01\nhorizon: 3\nseries:\n  a: { start: 1, next: "prev(a) + prev(a, 3)" }\nalive: 1\n',
    "l.yaml",
  );
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ["lag_beyond_horizon"],
  );
  const nested = checkText(
    "name: x\nstart: 2024-01\nhorizon: 9\nseries:\n  a: prev(prev(b, 2))\n  b: { start: 1, next: prev(b) }\nalive: 1\n",
    "n.yaml",
  );
  assert.equal(nested.diagnostics[0]!.hint, "for b 3 months back write prev(b, 3)");
});

const EDITS = `name: edits
start: 2024-01
horizon: 4
params:
  p: 10
series:
  f: 10 + 0 * t
  r: { start: 1, next: prev(r) * 2 }
  cash: { start: 100, change: -10 }
alive: 1
levers:
  replace:
    label: Replace
    set: { f: 20, p: 20 }
  plus:
    label: Plus
    add: { f: 1, r: 1, cash: "if(t == 2, 50, 0)", p: 1 }
  times:
    label: Times
    scale: { f: 3, r: 0.5, cash: 2, p: 3 }
`;

test("lever add and scale edit the formula in force: set first, then each on lever in order", () => {
  const m = model(EDITS + "  pvalue:\n    label: p as a series\n    add: { f: p - p }\n");
  const withP = model(EDITS.replace("  f: 10 + 0 * t", "  f: 10 + 0 * t\n  pv: p + 0 * t"));
  const cases: [string[], number[], number][] = [
    [[], [10, 10, 10, 10], 10],
    [["plus"], [11, 11, 11, 11], 11],
    [["times"], [30, 30, 30, 30], 30],
    [["plus", "times"], [33, 33, 33, 33], 33],
    [["replace", "plus"], [21, 21, 21, 21], 21],
    [["replace", "plus", "times"], [63, 63, 63, 63], 63],
  ];
  for (const [levers, f, p] of cases) {
    assert.deepEqual(run(m, levers).f, f, levers.join("+"));
    assert.deepEqual(run(withP, levers).pv, [p, p, p, p], `param p with ${levers.join("+")}`);
  }
  // A recurrence: the edit is part of the month's value, so the next month builds on it.
  assert.deepEqual(run(m).r, [2, 4, 8, 16]);
  assert.deepEqual(run(m, ["plus"]).r, [3, 7, 15, 31]);
  assert.deepEqual(run(m, ["plus", "times"]).r, [1.5, 2, 2.5, 3]);
  // A stock: the edit applies to its change, never to its start.
  assert.deepEqual(run(m).cash, [90, 80, 70, 60]);
  assert.deepEqual(run(m, ["plus"]).cash, [90, 130, 120, 110]);
  assert.deepEqual(run(m, ["times"]).cash, [80, 60, 40, 20]);
  assert.deepEqual(run(m, ["plus", "times"]).cash, [80, 160, 140, 120]);
});

test("lever edits keep every other draw, and draw from their own streams", () => {
  const m = model(`name: noisy-edits
start: 2024-01
horizon: 12
params:
  g: normal(0.02, 0.03)
series:
  revenue: { start: 100M, next: "prev(revenue) * exp(g + 0.1 * normal(0, 1))" }
  costs: 150M + event(0.2, 50M to 200M)
  cash: { start: 1B, change: revenue - costs }
alive: cash >= 0
levers:
  noise:
    label: Extra noise
    add: { costs: "normal(0, 10M)", g: "normal(0, 0.01)" }
  other:
    label: Other
    scale: { costs: "uniform(0.9, 1.1)" }
`);
  for (const path of [0, 1]) {
    const base = run(m, [], path);
    const noisy = run(m, ["noise"], path);
    const both = run(m, ["noise", "other"], path);
    assert.notDeepEqual(noisy.costs, base.costs);
    assert.notDeepEqual(noisy.revenue, base.revenue, "g moved");
    // costs' own draws (the event) are those of the base: the added normal is a draw of its own.
    const extra = noisy.costs!.map((c, i) => c - base.costs![i]!);
    assert.ok(extra.every((x) => Math.abs(x) < 60e6) && new Set(extra).size === 12);
    // With another lever on, the noise lever's draws do not move: (base + n) · u.
    const u = both.costs!.map((c, i) => c / noisy.costs![i]!);
    assert.ok(u.every((x) => x >= 0.9 && x < 1.1));
  }
});

test("the yearly notation: amounts divide by 12, rates compound to (1 + r)^(1/12) − 1", () => {
  const m = model(`name: yearly
start: 2024-01
horizon: 24
series:
  staff: 1.5B/yr + 0 * t
  revenue: { start: 100, next: prev(revenue) * (1 + 30%/yr) }
  shrinking: { start: 100, next: prev(revenue) * 0 + prev(shrinking) * (1 + -10%/yr) }
  flat: growth(-10%/yr)
alive: 1
actuals:
  - { series: staff, month: 2024-06, value: 1.5B/yr, source: test }
  - { series: revenue, month: 2024-12, value: -10%/yr, source: test }
`);
  const v = run(m);
  assert.equal(v.staff![0], 1.5e9 / 12);
  assert.ok(Math.abs(v.revenue![11]! - 130) < 1e-12, `revenue after 12 months ${v.revenue![11]}`);
  assert.ok(Math.abs(v.revenue![23]! - 169) < 1e-12);
  assert.ok(Math.abs(v.shrinking![11]! - 90) < 1e-12, `a −10%/yr decline ${v.shrinking![11]}`);
  assert.ok(Math.abs(v.flat![11]! - 0.9) < 1e-15);
  assert.equal(m.scenario.actuals[0]!.value, 1.5e9 / 12);
  assert.equal(m.scenario.actuals[1]!.value, Math.pow(0.9, 1 / 12) - 1);
});

test("the example scenario of every construct checks cleanly and each lever helps on the same draws", () => {
  const file = "test/fixtures/ok/constructs.yaml";
  const r = checkText(readFileSync(file, "utf8"), file);
  assert.deepEqual(
    r.diagnostics.map((d) => `${formatLocation(d.span)} ${d.message}`),
    [],
  );
  const m = r.model!;
  const base = simulateInProcess(m, { paths: 4000, seed: 2 });
  for (const lever of m.levers) {
    const on = simulateInProcess(m, { paths: 4000, seed: 2, levers: [lever.name] });
    assert.ok(on.survival[35]!.alive > base.survival[35]!.alive, lever.name);
  }
  run(m, ["strategic", "efficiency", "faster"]);
});
