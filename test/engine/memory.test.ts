// The run's memory estimate, and check's warning when the default run would not fit: a scenario
// that checks clean and then has its run refused must be told so at check, with the same figure.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { simulateInProcess } from "../../src/engine/index.js";
import { defaultRunMemoryWarning, estimateRunBytes, setMemoryLimit } from "../../src/engine/memory.js";
import { checkText } from "../../src/lang/index.js";
import { runCli } from "../cli/run-cli.js";
import { model } from "./model.js";

/** A chain of `n` series over `horizon` months; every series is reported unless `report` is given. */
function chain(n: number, horizon: number, report?: string): string {
  const lines = ["name: chain", "start: 2024-01", `horizon: ${horizon}`, "series:", "  s0: normal(1, 0.1)"];
  for (let i = 1; i < n; i++) lines.push(`  s${i}: s${i - 1} + 1`);
  lines.push(`  cash: { start: 1B, change: s${n - 1} - ${n} }`, "alive: cash >= 0");
  if (report !== undefined) lines.push(`report: [${report}]`);
  return lines.join("\n") + "\n";
}

test("check warns when the default run would be refused for memory, with the run's own figure", () => {
  const text = chain(200, 600);
  // Checked as before: no diagnostic at all.
  assert.deepEqual(checkText(text, "t.yaml").diagnostics, []);
  const m = model(text);
  setMemoryLimit(2e9);
  try {
    const warning = defaultRunMemoryWarning(m, 4000, 1);
    assert.ok(warning !== undefined, "201 series × 600 months need more than 2 GB");
    assert.equal(warning.code, "run_too_large");
    assert.equal(warning.severity, "warning");
    const figure = /about ([\d.]+ GB) of memory \(201 reported series × 600 months\)/.exec(warning.message);
    assert.ok(figure, warning.message);
    assert.match(warning.hint!, /report:.*--report.*horizon/);
    // The run refuses with the same estimate and the same cause.
    assert.throws(
      () => simulateInProcess(m, { paths: 4000, seed: 1 }),
      (e: Error) => e.message.includes(`about ${figure[1]} of memory (201 reported series × 600 months)`),
    );
    // Reporting one series makes it fit: no warning, and the run goes ahead.
    const narrow = model(chain(200, 600, "cash"));
    assert.equal(defaultRunMemoryWarning(narrow, 4000, 1), undefined);
    assert.equal(simulateInProcess(narrow, { paths: 1000, seed: 1 }).series["cash"]!.length, 600);
  } finally {
    setMemoryLimit(Infinity);
  }
});

test("the estimate grows with reported series × months and with threads", () => {
  const plan = { paths: 1000, horizon: 120, reportedSeries: 20, seriesCaptures: 0, perPath: false, chunksInFlight: 2 };
  const base = estimateRunBytes(plan);
  assert.ok(base > 0 && Number.isFinite(base));
  assert.ok(estimateRunBytes({ ...plan, reportedSeries: 40 }) > 1.9 * base);
  assert.ok(estimateRunBytes({ ...plan, chunksInFlight: 6 }) > base);
  // The design's budget: 20 series × 120 months on a few threads stays far below 1 GB.
  assert.ok(estimateRunBytes({ ...plan, paths: 1e6, chunksInFlight: 8 }) < 1e9);
});

test("outlast check prints the warning for a scenario no machine could run by default", () => {
  // 6,000 series × 1,200 months: 7.2M cells, about 200 GB at one thread, more with more.
  const dir = mkdtempSync(join(tmpdir(), "outlast-memory-"));
  try {
    const file = join(dir, "wide.yaml");
    writeFileSync(file, chain(6000, 1200));
    const r = runCli(["check", file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /warning\[run_too_large\]: a run of [\d,]+ paths would need about [\d.]+ GB of memory \(6,001 reported series × 1,200 months\)/,
    );
    assert.match(r.stdout, /\(1 warning\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
