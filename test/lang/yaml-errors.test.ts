// A YAML syntax error is reported where the user made it: an unclosed `[`, `{` or quote at its
// opener, not lines later where the YAML parser noticed (the next key, or the end of the file).
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkText } from "../../src/lang/index.js";
import { unclosedOpener } from "../../src/lang/yaml-errors.js";

const scenario = (line8: string) => `name: x
start: 2024-01
horizon: 12
params:
  a: 1
  b: 2
series:
${line8}
  cash: { start: 1B, change: -a }
alive: cash >= 0
`;

function firstError(text: string): string {
  const d = checkText(text, "x.yaml").diagnostics.find((x) => x.severity === "error")!;
  return `${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`;
}

test("an unclosed [, { or quote on line 8 is reported at line 8, at the opener", () => {
  assert.equal(firstError(scenario("  c: [1, 2")), "8:6 yaml_syntax this [ is never closed");
  assert.equal(firstError(scenario("  c: {start: 1, next: 2")), "8:6 yaml_syntax this { is never closed");
  assert.equal(firstError(scenario('  c: "abc')), '8:6 yaml_syntax this " quote is never closed');
  assert.equal(firstError(scenario("  c: 'abc")), "8:6 yaml_syntax this ' quote is never closed");
  // Nested: the innermost open bracket is the one left unclosed.
  assert.equal(firstError(scenario("  c: { start: [1, 2], next: [3")), "8:29 yaml_syntax this [ is never closed");
});

test("the scan skips quoted text, comments and closed brackets before the opener", () => {
  const text = 'a: "[not a bracket"  # nor [ this\nb: [1, [2]]\nc: [3\nd: 4\n';
  const open = text.indexOf("[3");
  assert.equal(unclosedOpener(text, "Flow sequence in block collection must … end with a ]", text.length), open);
  // An error that names no opener keeps the parser's own position.
  assert.equal(unclosedOpener(text, "Implicit keys need to be on a single line", text.length), undefined);
  // An apostrophe inside a word opens nothing.
  assert.equal(unclosedOpener("a: it's\nb: 'x\n", 'Missing closing "quote', 14), 11);
});
