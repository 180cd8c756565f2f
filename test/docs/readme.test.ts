// The README's examples must keep working: its scenario checks cleanly and runs, and the
// commands of its quick start exist.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parse, stringify } from "yaml";
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

// The language section's other examples are fragments (a few series, a lever): each is merged
// into the first example (its keys replace or join the example's), then checked and run.
test("every example of the scenario language checks without warnings and runs", () => {
  const section = readme.slice(readme.indexOf("## The scenario language"), readme.indexOf("## CLI reference"));
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length >= 6, `only ${blocks.length} examples`);
  const base = parse(blocks[0]!) as Record<string, unknown>;
  // Names the fragments read, which the first example does not define.
  const support = {
    params: { cost_base: "100M" },
    series: { invoiced: { start: "50M", next: "prev(invoiced) * 1.02" } },
  };
  // A complete scenario (it has its own name:) is checked by its own test below.
  for (const fragment of blocks.slice(1).filter((b) => !/^name:/m.test(b))) {
    const merged: Record<string, unknown> = structuredClone(base);
    for (const part of [support, parse(fragment) as Record<string, unknown>])
      for (const [key, value] of Object.entries(part))
        merged[key] = Array.isArray(value)
          ? [...((merged[key] as unknown[] | undefined) ?? []), ...value]
          : { ...(merged[key] as object | undefined), ...(value as object) };
    const text = stringify(merged);
    const { model, diagnostics } = checkText(text, "README.md");
    const unexpected = diagnostics.filter((d) => !(d.code === "unused_param" && /cost_base/.test(d.message)));
    assert.deepEqual(
      unexpected.map((d) => renderDiagnostic(d, text)),
      [],
      fragment,
    );
    const levers = model!.levers.map((l) => l.name);
    const run = simulateInProcess(model!, { paths: 500, seed: 1, levers });
    assert.equal(run.survival.length, 36);
  }
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
