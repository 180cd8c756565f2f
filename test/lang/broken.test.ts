// The corpus of broken scenarios: each file in test/fixtures/broken has its expected
// diagnostics (code, severity, line, column, message fragment) in expected.json, and every
// rendering must be free of NaN and stack frames.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { checkText, renderDiagnostic } from "../../src/lang/index.js";

interface Expectation {
  code: string;
  severity: "error" | "warning";
  line: number;
  column: number;
  messageIncludes: string;
}

const dir = new URL("../fixtures/broken/", import.meta.url);
const expected = JSON.parse(readFileSync(new URL("expected.json", dir), "utf8")) as Record<string, Expectation[]>;
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

test("the corpus has at least 30 broken scenarios, each with an expectation", () => {
  assert.ok(files.length >= 30, `only ${files.length} fixtures`);
  assert.deepEqual(files, Object.keys(expected).sort());
});

for (const file of files) {
  test(`broken/${file}`, () => {
    const text = readFileSync(new URL(file, dir), "utf8");
    const name = `test/fixtures/broken/${file}`;
    const result = checkText(text, name);
    assert.equal(result.model, undefined, "a broken scenario must not produce a model");
    const got = result.diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      line: d.span.start.line,
      column: d.span.start.column,
    }));
    // oxlint-disable-next-line no-unused-vars -- the message is checked separately, by inclusion
    const want = expected[file]!.map(({ messageIncludes: _, ...rest }) => rest);
    assert.deepEqual(got, want);
    result.diagnostics.forEach((d, i) => {
      const fragment = expected[file]![i]!.messageIncludes;
      assert.ok(d.message.includes(fragment), `'${d.message}' lacks '${fragment}'`);
      const rendered = renderDiagnostic(d, text);
      assert.ok(rendered.startsWith(`${name}:${d.span.start.line}:${d.span.start.column} `), rendered);
      assert.doesNotMatch(rendered, /NaN|undefined|\[object/);
      assert.doesNotMatch(rendered, /^\s*at \S/m, "no stack frames");
    });
    assert.ok(
      result.diagnostics.some((d) => d.severity === "error"),
      "at least one error",
    );
  });
}
