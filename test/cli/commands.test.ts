// The commands that need no simulation: list, init, check, parse, and usage errors.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { assertClean, root, runCli } from "./run-cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "outlast-cli-"));

test("list shows openai-2024 with its title", () => {
  const r = runCli(["list"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^openai-2024\s+OpenAI, mid-2024$/m);
});

test("check: a built-in by name is ok with its counts", () => {
  const r = runCli(["check", "openai-2024"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^ok: \d+ params, \d+ series, 5 levers/m);
});

test("check: a broken file gives file:line:col, the line and a caret, exit 1", () => {
  const dir = tmp();
  const file = join(dir, "broken.yaml");
  writeFileSync(
    file,
    [
      "name: broken",
      "start: 2024-07",
      "horizon: 12",
      "series:",
      "  cash: { start: 1B, change: -revnue }",
      "  revenue: 10M",
      "alive: cash >= 0",
      "",
    ].join("\n"),
  );
  const r = runCli(["check", "broken.yaml"], dir);
  assert.equal(r.code, 1);
  assertClean(r);
  assert.match(r.stdout, /^broken\.yaml:5:\d+ error\[unknown_name\]: .*'revnue'/m);
  assert.match(r.stdout, /^5 \|   cash: \{ start: 1B, change: -revnue \}$/m);
  assert.match(r.stdout, /^\s+\|\s+\^{6}/m);
  assert.match(r.stdout, /revenue/);
});

const testFileProblem = (name: string, make: (dir: string) => string, code: string) =>
  test(`check: ${name} is ${code}, exit 1, no stack trace`, () => {
    const dir = tmp();
    const r = runCli(["check", make(dir)], dir);
    assert.equal(r.code, 1);
    assertClean(r);
    assert.match(r.stdout, new RegExp(`error\\[${code}\\]`));
  });
testFileProblem("a missing file", () => "missing.yaml", "file_not_found");
testFileProblem("an unknown name", () => "no-such-builtin", "file_not_found");
testFileProblem("a directory", (dir) => dir, "is_directory");
testFileProblem(
  "a binary file",
  (dir) => {
    writeFileSync(join(dir, "b.yaml"), Buffer.from([0x6e, 0x61, 0x00, 0x01]));
    return "b.yaml";
  },
  "not_text",
);
testFileProblem(
  "invalid UTF-8",
  (dir) => {
    writeFileSync(join(dir, "u.yaml"), Buffer.from([0x6e, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    return "u.yaml";
  },
  "not_text",
);

test("init copies a built-in, then refuses to overwrite (exit 2)", () => {
  const dir = tmp();
  const first = runCli(["init", "mine.yaml", "--from", "openai-2024"], dir);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(
    readFileSync(join(dir, "mine.yaml"), "utf8"),
    readFileSync(join(root, "scenarios/openai-2024.yaml"), "utf8"),
  );
  writeFileSync(join(dir, "mine.yaml"), "mine");
  const second = runCli(["init", "mine.yaml", "--from", "openai-2024"], dir);
  assert.equal(second.code, 2);
  assert.match(second.stderr, /already exists/);
  assert.equal(readFileSync(join(dir, "mine.yaml"), "utf8"), "mine");
});

test("init: an unknown built-in is a usage error listing the choices", () => {
  const r = runCli(["init", "x.yaml", "--from", "nope"], tmp());
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown built-in scenario 'nope'; expected one of .*openai-2024/);
});

test("parse prints the S-expression", () => {
  const r = runCli(["parse", "prev(cash) + revenue * (1 - 20%)"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), "(+ (call prev cash) (* revenue (- 1 0.2)))");
});

test("parse: a syntax error has a caret and exit 1", () => {
  const r = runCli(["parse", "1 + * 2"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^<formula>:1:5 error\[/m);
  assert.match(r.stderr, /^\s+\|\s{5}\^/m);
});

const testUsage = (args: string[], message: RegExp) =>
  test(`usage: outlast ${args.join(" ")} exits 2`, () => {
    const r = runCli(args);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assertClean(r);
    assert.match(r.stderr, message);
  });
testUsage(["frobnicate"], /unknown command 'frobnicate'/);
testUsage(["run"], /missing required argument 'scenario'/);
testUsage(["run", "openai-2024", "--paths", "lots"], /--paths, got 'lots'/);
testUsage(["run", "openai-2024", "--paths", "0"], /--paths, got '0'/);
testUsage(["run", "openai-2024", "--seed", "-3"], /--seed/);
testUsage(["run", "openai-2024", "--horizon", "0"], /--horizon/);
testUsage(["run", "openai-2024", "--precision", "2"], /--precision/);
testUsage(["run", "openai-2024", "--levers", "nope"], /unknown lever 'nope'; expected one of/);
testUsage(["run", "openai-2024", "--bogus"], /unknown option '--bogus'/);

test("run: a bad scenario exits 1 before any simulation", () => {
  const r = runCli(["run", "missing.yaml"], tmp());
  assert.equal(r.code, 1);
  assert.match(r.stderr, /file_not_found/);
});

test("--version and --help exit 0", () => {
  assert.equal(runCli(["--version"]).code, 0);
  const help = runCli(["--help"]);
  assert.equal(help.code, 0);
  for (const command of ["run", "check", "list", "init", "parse", "report"])
    assert.match(help.stdout, new RegExp(`^\\s+${command}\\b`, "m"));
});
