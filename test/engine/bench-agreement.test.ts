// bench/ailab-bench.yaml against the C yardstick (bench/ref.c), an independent implementation of
// bench/MODEL.md with its own RNG: the two must agree within Monte Carlo error. The C is compiled
// into a temporary folder; without gcc the test is skipped, except in CI, where that is a failure.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { simulateInProcess } from "../../src/engine/index.js";
import { checkText } from "../../src/lang/index.js";

const build = new URL("../../bench/build.sh", import.meta.url).pathname;
const hasGcc = spawnSync("sh", ["-c", "command -v gcc"]).status === 0;
const skip = hasGcc ? false : "gcc is not installed (.ci/run installs it)";
if (skip && process.env.CI) throw new Error(`the C yardstick is required in CI: ${skip}`);

/** |a − b| within z standard errors of their difference. */
function agree(a: number, b: number, se: number, z: number, what: string): void {
  const off = Math.abs(a - b) / se;
  assert.ok(off <= z, `${what}: outlast ${a} vs C ${b} differ by ${off.toFixed(2)} SE (limit ${z})`);
}

test("ailab-bench agrees with the C yardstick within 4 standard errors", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-ref-"));
  const made = spawnSync("sh", [build, dir], { encoding: "utf8" });
  assert.equal(made.status, 0, made.stderr);
  const n = 200_000;
  const ran = spawnSync(join(dir, "ref_c"), [String(n), "36", "1"], { encoding: "utf8" });
  assert.equal(ran.status, 0, ran.stderr);
  const c = JSON.parse(ran.stdout) as Record<string, number>;

  const file = "bench/ailab-bench.yaml";
  const { model } = checkText(readFileSync(file, "utf8"), file);
  assert.ok(model);
  const r = simulateInProcess(model, {
    paths: n,
    seed: 1,
    capture: [
      { kind: "series", name: "revenue", month: 36 },
      { kind: "series", name: "cash", month: 36 },
    ],
  });
  const [revenue, cash] = r.captures!;

  // Survival shares: independent samples of n paths each, SE = √(p(1 − p)·2/n).
  for (const t of [12, 24, 36]) {
    const p = c[`S${t}`]!;
    agree(r.survival[t - 1]!.alive, p, Math.sqrt((p * (1 - p) * 2) / n), 4, `S(${t})`);
  }
  // Mean revenue at T: SE = sd·√(2/n), sd from our own sample.
  let m = 0;
  for (const x of revenue!) m += x;
  m /= n;
  let v = 0;
  for (const x of revenue!) v += (x - m) ** 2;
  const sd = Math.sqrt(v / (n - 1));
  agree(r.series.revenue![35]!.mean, c.mean_revenue_T!, sd * Math.sqrt(2 / n), 4, "mean revenue_T");
  // Median of cash_T: SE ≈ √(p(1 − p)/n)/f(median) per sample, f estimated from our sorted sample
  // as the share of paths between the 49th and 51st percentiles over their distance.
  const sorted = Float64Array.from(cash!).sort();
  const f = 0.02 / (sorted[Math.floor(0.51 * n)]! - sorted[Math.floor(0.49 * n)]!);
  const seMedian = Math.sqrt(0.25 / n) / f;
  agree(r.series.cash![35]!.p50, c.cash_p50!, seMedian * Math.SQRT2, 4, "median cash_T");
  // The median runway is a whole month; both land on the same one at this n.
  assert.equal(r.runway.median, c.median_runway);
});
