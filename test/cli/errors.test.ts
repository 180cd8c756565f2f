// Every error maps to its exit code and a message without a stack trace.

import assert from "node:assert/strict";
import { test } from "node:test";
import { CommanderError } from "commander";
import { ExitError, handleError, UsageError } from "../../src/cli/errors.js";
import { ScenarioError } from "../../src/lang/diagnostics.js";

function named(name: string, message: string, extra: object = {}): Error {
  const e = new Error(message);
  e.name = name;
  return Object.assign(e, extra);
}

/** handleError's exit code and what it wrote to stderr. */
function handled(e: unknown): { code: number; stderr: string } {
  const write = process.stderr.write;
  let stderr = "";
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    return { code: handleError(e), stderr };
  } finally {
    process.stderr.write = write;
  }
}

const span = { file: "s.yaml", start: { line: 2, column: 3, offset: 10 }, end: { line: 2, column: 7, offset: 14 } };

const testExit = (name: string, e: unknown, code: number, stderr: RegExp) =>
  test(`errors: ${name} exits ${code}`, () => {
    const r = handled(e);
    assert.equal(r.code, code);
    assert.match(r.stderr, stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

testExit("a usage error", new UsageError("bad --paths"), 2, /^error: bad --paths\n$/);
testExit("a commander usage error", new CommanderError(1, "commander.unknownOption", "x"), 2, /^$/);
testExit("--help", new CommanderError(0, "commander.helpDisplayed", "x"), 0, /^$/);
testExit("an already reported failure", new ExitError(1), 1, /^$/);
testExit("an engine options error", named("OptionsError", "unknown lever 'x'"), 2, /^error: unknown lever 'x'/);
testExit(
  "a runtime model error",
  named("ModelRuntimeError", "s.yaml:2:3 series 'cash' is NaN at month 4 on path 17", {
    diagnostic: { code: "non_finite", severity: "error", message: "series 'cash' is NaN at month 4 on path 17", span },
  }),
  1,
  /^s\.yaml:2:3 error\[non_finite\]: series 'cash' is NaN at month 4 on path 17/,
);
testExit(
  "a scenario error",
  new ScenarioError([{ code: "unknown_name", severity: "error", message: "unknown name 'x'", span }]),
  1,
  /s\.yaml:2:3 error\[unknown_name\]/,
);
testExit("a bug", new Error("internal: broken invariant"), 3, /^internal error: broken invariant\n/);
testExit("a thrown non-Error", "oops", 3, /^internal error: oops/);
