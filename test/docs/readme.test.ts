// The README's examples must keep working: its scenario checks cleanly and runs, and the
// commands of its quick start exist.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { simulateInProcess } from "../../src/engine/index.js";
import { checkText, renderDiagnostic } from "../../src/lang/index.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

test("the README's example scenario checks without errors and runs", () => {
  const block = /```yaml\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, "the README has a yaml example");
  const text = block[1]!;
  const { model, diagnostics } = checkText(text, "README.md");
  const errors = diagnostics.filter((d) => d.severity === "error");
  assert.deepEqual(
    errors.map((d) => renderDiagnostic(d, text)),
    [],
  );
  const run = simulateInProcess(model!, { paths: 2000, seed: 1 });
  assert.equal(run.survival.length, 36);
  // Its funding lever, on the same draws, can only help.
  const funded = simulateInProcess(model!, { paths: 2000, seed: 1, levers: ["funding"] });
  assert.ok(funded.runway.mean >= run.runway.mean);
});

test("the quick start names the two commands", () => {
  assert.match(readme, /npm install && npm start/);
  assert.match(readme, /\nnpm test\s/);
});

test("the README's rounds example checks, runs and gives the death month its text computes", () => {
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const rounds = blocks.find((b) => /^rounds:/m.test(b) && /^name:/m.test(b));
  assert.ok(rounds, "a complete scenario with rounds:");
  const { model, diagnostics } = checkText(rounds, "README.md");
  assert.deepEqual(
    diagnostics.map((d) => renderDiagnostic(d, rounds)),
    [],
  );
  const run = simulateInProcess(model!, { paths: 10, seed: 1 });
  assert.equal(run.runway.median, 16, "dies in month 16, five months after month 11");
  // p: 0 gives the scenario without the round: death in month 11.
  const never = checkText(rounds.replace("p: 1 ", "p: 0 "), "README.md").model!;
  assert.equal(simulateInProcess(never, { paths: 10, seed: 1 }).runway.median, 11);
});

test("the README's views, checks and goals fragments check in place of openai-2024's own", () => {
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const views = blocks.find((b) => /^views:/m.test(b) && !/^name:/m.test(b));
  const report = blocks.find((b) => /^checks:/m.test(b) && /^goals:/m.test(b));
  assert.ok(views && report);
  const openai = readFileSync(new URL("../../scenarios/openai-2024.yaml", import.meta.url), "utf8");
  const text = openai
    .replace(/^views:[\s\S]*?(?=^levers:)/m, views + "\n")
    .replace(/^checks:[\s\S]*?(?=^correlations:)/m, report + "\n");
  assert.notEqual(text, openai);
  const { model, diagnostics } = checkText(text, "README.md");
  assert.deepEqual(
    diagnostics.map((d) => renderDiagnostic(d, text)),
    [],
  );
  assert.equal(model!.scenario.views![0]!.name, "forecast");
  assert.equal(model!.scenario.checks![0]!.series, "costs - revenue");
  assert.deepEqual(model!.scenario.goals!.months, [3, 6, 9, 12]);
});
