// Rank correlations involving a discrete param: check warns with the attainable range and the
// value the run will come near, and the achieved Spearman values (run --verbose) agree.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { achievedCorrelations, midRanks } from "../../src/analysis/index.js";
import { checkText } from "../../src/lang/index.js";
import { runCli } from "../cli/run-cli.js";

const file = new URL("../fixtures/robust/discrete-correlation.yaml", import.meta.url);
const text = readFileSync(file, "utf8");

test("check warns on a correlation with a discrete param, with its attainable range", () => {
  const r = checkText(text, "d.yaml");
  const warnings = r.diagnostics.filter((d) => d.code === "discrete_correlation").map((d) => d.message);
  assert.deepEqual(warnings, [
    "'closes' is discrete: a rank correlation of 'closes' and 'size' can reach only −0.794 to 0.794, so 0.8 will come out near 0.635",
    "'tier' is discrete: a rank correlation of 'tier' and 'extra' can reach only −0.943 to 0.943, so 0.8 will come out near 0.754",
  ]);
});

test("the achieved Spearman values are near the warning's estimates", () => {
  const model = checkText(text, "d.yaml").model!;
  const paths = 20_000;
  const got = achievedCorrelations(model, { seed: 1, paths });
  // The standard error of a sample Spearman ρ is about (1 − ρ²)/√n; the estimate ρ·√(1 − Σp³)
  // is itself an approximation, allowed 0.01 more.
  for (const [c, estimate] of [
    [got[0]!, 0.635],
    [got[1]!, 0.754],
  ] as const) {
    const se = (1 - estimate ** 2) / Math.sqrt(paths);
    assert.ok(Math.abs(c.achieved - estimate) < 4 * se + 0.01, `${c.a}~${c.b}: ${c.achieved} vs ${estimate}`);
    assert.ok(c.achieved < c.asked);
  }
});

test("mid-ranks give ties the mean of their ranks", () => {
  assert.deepEqual([...midRanks([3, 1, 3, 2, 3])], [4, 1, 4, 2, 4]);
});

test("run --verbose prints the achieved rank correlations", () => {
  // mc: the figures below are plain Monte Carlo's (rqmc would run 4,096 paths).
  const r = runCli(["run", new URL(file).pathname, "--paths", "5000", "--verbose", "--sampling", "mc"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /rank correlations achieved \(Spearman, mid-ranks, first 5,000 paths\):\n {2}closes ~ size: asked 0\.8, achieved 0\.6\d\d\n {2}tier ~ extra: asked 0\.8, achieved 0\.7\d\d/,
  );
});
