// `npm run fuzz`: the language fuzz at length. Thousands of built and mutated scenarios, each in
// a worker thread under the time bound (test/fuzz/language.ts, bounded.ts), then a sample through
// the real command line, each command under the same bound: `check` must exit 0 or 1, never 3; when it passes, `run` must exit 0, or
// 1 with an error naming the param or series that failed; no output may hold NaN, undefined or
// [object Object], and no command may outlive the bound (a hang).
//
//   npm run fuzz                      5,000 cases in a worker, 200 through the CLI, a fresh seed
//   npm run fuzz -- --seed 42 --runs 20000 --cli 500

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { BoundedCases, CASE_BOUND_S } from "./bounded.js";
import { mutatedText, scenarioText } from "./language.js";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const seed = flag("--seed", Date.now() % 2 ** 31);
const runs = flag("--runs", 5000);
const cliRuns = flag("--cli", 200);
/** Seconds a command may take before it counts as a hang (a 2-core machine under load). */
const BOUND_S = flag("--bound", CASE_BOUND_S);

console.log(`fuzz: seed ${seed}, ${runs} cases in process, ${cliRuns} through the CLI (bound ${BOUND_S} s)`);
let failed = false;
// Each in-process case runs in a worker under the bound, so a hang is reported as its case.
const cases = new BoundedCases(undefined, BOUND_S);
for (const [what, arb] of [
  ["built", scenarioText],
  ["mutated", mutatedText],
] as const) {
  // After a hang, shrinking would wait out the bound for every smaller case: they pass at once.
  let hung = false;
  const found = new Map<string, string[]>();
  const r = await fc.check(
    fc.asyncProperty(arb, async (text) => {
      if (hung) return true;
      const problems = await cases.exercise(text);
      if (problems.length > 0) found.set(text, problems);
      if (problems.some((p) => p.startsWith("no answer within"))) hung = true;
      return problems.length === 0;
    }),
    { seed, numRuns: Math.ceil(runs / 2) },
  );
  if (r.failed) {
    failed = true;
    const text = r.counterexample![0] as string;
    console.log(`FAIL (${what}): ${(found.get(text) ?? []).join("\n")}\n--- scenario ---\n${text}`);
  } else console.log(`ok: ${r.numRuns} ${what} scenarios`);
}
await cases.close();

const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url));
const main = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "outlast-fuzz-"));
const cli = (args: string[]) =>
  spawnSync(process.execPath, ["--import", tsx, main, ...args], {
    encoding: "utf8",
    timeout: BOUND_S * 1000,
    env: { ...process.env, NO_COLOR: "1" },
  });
const bad = /NaN|undefined|\[object Object\]/;
const samples = fc.sample(fc.oneof(scenarioText, mutatedText), { seed: seed + 1, numRuns: cliRuns });
let passed = 0;
samples.forEach((text, k) => {
  const file = join(dir, `case-${k}.yaml`);
  writeFileSync(file, text);
  const problems: string[] = [];
  const check = cli(["check", file]);
  if (check.error) problems.push(`check did not finish within ${BOUND_S} s`);
  else if (check.status !== 0 && check.status !== 1) problems.push(`check exited ${check.status}:\n${check.stderr}`);
  if (bad.test(check.stdout.replace(/^\s*\d* \|.*$/gm, ""))) problems.push(`check output:\n${check.stdout}`);
  if (check.status === 0) {
    passed++;
    const run = cli(["run", file, "--paths", "500"]);
    if (run.error) problems.push(`run did not finish within ${BOUND_S} s`);
    else if (run.status === 1) {
      if (!/error\[non_finite\]: (param|series) '\w+' is (NaN|-?Infinity) /.test(run.stderr))
        problems.push(`check passed, run failed without naming the formula:\n${run.stderr}`);
    } else if (run.status !== 0) problems.push(`run exited ${run.status}:\n${run.stderr}`);
    if (run.status === 0 && bad.test(run.stdout)) problems.push(`run output:\n${run.stdout}`);
  }
  if (problems.length > 0) {
    failed = true;
    console.log(`FAIL (cli, ${file}):\n${problems.join("\n")}\n--- scenario ---\n${text}`);
  }
});
console.log(`cli: ${samples.length} scenarios, ${passed} passed check and were run`);
if (!failed) rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
