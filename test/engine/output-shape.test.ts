// Thousands of reported cells: the kernel runs each block in parts into a month-major buffer
// (chunk.ts's outputShape). The statistics must not depend on that shape: a series reported
// among 470 (parts) and reported alone (whole blocks) gives the same bytes.

import assert from "node:assert/strict";
import { test } from "node:test";
import { compileModel, simulateInProcess } from "../../src/engine/index.js";
import { model } from "./model.js";

const N = 470; // 470 series × 36 months × 1,032 doubles is past the 16M-double budget
const text = [
  "name: wide",
  "start: 2024-01",
  "horizon: 36",
  "series:",
  "  s0: normal(1, 0.1)",
  ...Array.from({ length: N - 2 }, (_, i) => `  s${i + 1}: "s${i} * 1.001 + normal(0, 0.01)"`),
  `  cash: { start: 10, change: "s${N - 2} - 1.02" }`,
  "alive: cash >= 0",
  "",
].join("\n");

test("a series' statistics are the same bytes reported among 470 (blocks run in parts) and alone", () => {
  const compiled = compileModel(model(text));
  for (const sampling of ["mc", "rqmc"] as const) {
    const opts = { paths: 2500, seed: 3, sampling };
    const all = simulateInProcess(compiled, opts);
    const alone = simulateInProcess(compiled, { ...opts, report: ["cash", `s${N - 2}`] });
    assert.equal(Object.keys(all.series).length, N);
    for (const name of ["cash", `s${N - 2}`])
      assert.equal(JSON.stringify(all.series[name]), JSON.stringify(alone.series[name]), `${sampling}: ${name}`);
    assert.equal(JSON.stringify(all.survival), JSON.stringify(alone.survival), sampling);
  }
});
