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
