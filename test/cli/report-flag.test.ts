// `run --report a,b`: the series summarised per month, chosen on the command line.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { assertClean, runCli } from "./run-cli.js";

const SCENARIO = `name: two series
start: 2024-01
horizon: 6
series:
  revenue: normal(100, 10)
  cash: { start: 1000, change: revenue - 120 }
alive: cash >= 0
`;

test("run --report names the series summarised; an unknown one is a usage error", () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-report-"));
  try {
    const file = join(dir, "two.yaml");
    writeFileSync(file, SCENARIO);
    const all = runCli(["run", file, "--paths", "2000", "--json"]);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(Object.keys(JSON.parse(all.stdout).series).sort(), ["cash", "revenue"]);
    const one = runCli(["run", file, "--paths", "2000", "--json", "--report", "cash"]);
    assert.equal(one.code, 0, one.stderr);
    const run = JSON.parse(one.stdout);
    assert.deepEqual(Object.keys(run.series), ["cash"]);
    // The same paths: cash's figures do not depend on which other series are reported.
    assert.deepEqual(run.series.cash, JSON.parse(all.stdout).series.cash);
    const bad = runCli(["run", file, "--report", "cahs"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown series 'cahs' in --report; did you mean 'cash'\?/);
    assertClean(bad);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
