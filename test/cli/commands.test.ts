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

// report: the analysis sections on openai-2024, with small path counts (--paths 5000 runs the
// lever combinations, goal-seek evaluations and tornado ends at 1,000 paths each, which rqmc
// takes as 16 replicates of 64 points: 1,024).
test("report: the conditions, the funding goal-seek and the tornado, with numbers that hold together", () => {
  const dir = tmp();
  const r = runCli(["report", "openai-2024", "--paths", "5000", "--html", "out.html"], dir);
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  assert.equal(r.stderr, "", "no progress bar off a terminal");
  const out = r.stdout;
  const pp = (sign: string, x: string) => (sign === "−" ? -1 : 1) * Number(x);

  // 1. The conditions: all 32 combinations, each lever alone with its main effect, all five together.
  assert.match(out, /all 32 combinations of the levers, 1,024 paths each/);
  const effects = new Map<string, { alone: number; effect: number; se: number }>();
  for (const lever of ["microsoft", "funding", "breakthrough", "applications", "automation"]) {
    const m = new RegExp(`\\[${lever}\\] +│ ([0-9.]+)% ± [0-9.]+% +│ ([+−±])([0-9.]+) pp ± ([0-9.]+)`).exec(out);
    assert.ok(m, `a row for ${lever}`);
    // ± is Student's t with 15 df over the 16 replicates: 2.13 standard errors.
    effects.set(lever, { alone: Number(m[1]), effect: pp(m[2]!, m[3]!), se: Number(m[4]) / 2.131449545559323 });
  }
  assert.match(out, /± is 2\.13 SE \(paired\)/);
  const funding = effects.get("funding")!;
  assert.ok(funding.effect > 0 && funding.se > 0 && funding.se < funding.effect, JSON.stringify(funding));
  const none = Number(/none of them +│ ([0-9.]+)%/.exec(out)?.[1]);
  const all = Number(/all 5 together +│ ([0-9.]+)%/.exec(out)?.[1]);
  assert.ok(none < funding.alone && funding.alone < all, `${none} < ${funding.alone} < ${all}`);
  assert.equal((out.match(/^│ \w+ × \w+ +│ [+−±][0-9.]+ pp ± /gm) ?? []).length, 4, "four interactions");
  assert.match(out, /With none of the 5 conditions, S\(24\) is/);
  assert.match(out, /(One condition is enough|No one condition is enough)/);

  // 2. The goal-seek: each closing month gives an amount inside its bracket, or says it is not reachable.
  assert.match(out, /How much must be raised, and by when, for alive@24 >= 0\.9/);
  assert.match(out, /1,024 paths per evaluation/);
  const money = (s: string) => Number(s.slice(0, -1)) * { K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[s.at(-1)!]!;
  const outer = /over \$0–\$([0-9.]+[KMBT]),/.exec(out)?.[1];
  assert.ok(outer, "the search's range");
  let amounts = 0;
  for (const month of [3, 6, 9, 12]) {
    const row = new RegExp(`│ month ${month} \\(\\d{4}-\\d\\d\\) +│ ([^│]+)│ ([^│]*)│`).exec(out);
    assert.ok(row, `a row for month ${month}`);
    const m = /^\$([0-9.]+[KMBT]) +$/.exec(row[1]!);
    if (m === null) {
      assert.match(row[1]!, new RegExp(`not reachable \\(best S\\(24\\) [0-9.]+% at \\$${outer}\\)`));
      continue;
    }
    amounts++;
    const b = /\$([0-9.]+[KMBT]) – \$([0-9.]+[KMBT])/.exec(row[2]!);
    assert.ok(b, `a bracket for month ${month}: ${row[2]}`);
    const [value, low, high] = [money(m[1]!), money(b[1]!), money(b[2]!)];
    assert.ok(low <= value && value <= high && low < high, `${low} ≤ ${value} ≤ ${high}`);
  }
  assert.ok(amounts >= 1, "at least one closing month is reachable");
  assert.match(out, /assume the round closes for certain \(raise_closes held at 1\)/);

  // 3. The tornado: five params of the scenario, largest swing first.
  const yaml = readFileSync(join(root, "scenarios", "openai-2024.yaml"), "utf8");
  const bars = out.split("\n").filter((l) => /swing [+−±][0-9.]+ pp ± /.test(l));
  assert.equal(bars.length, 5, bars.join("\n"));
  const swings = bars.map((l) => {
    const [name] = l.trim().split(/\s+/);
    assert.match(yaml, new RegExp(`^  ${name}:$`, "m"), `${name} is a param of the scenario`);
    const s = /swing ([+−±])([0-9.]+) pp/.exec(l)!;
    return Math.abs(pp(s[1]!, s[2]!));
  });
  assert.ok(
    swings.every((s, i) => i === 0 || s <= swings[i - 1]! + 0.05),
    `sorted by swing: ${swings.join(", ")}`,
  );
  assert.ok(swings[0]! > 0, "the largest swing is not zero");

  const html = readFileSync(join(dir, "out.html"), "utf8");
  assert.match(html, /<h2>The conditions<\/h2>/);
  assert.match(html, /How much must be raised, and by when/);
  assert.match(html, /aria-label="tornado of alive@24"/);
});

// The same report on the startup template: one lever, and money in thousands, not billions.
test("report on a small company: one condition reads as one, and the raise is found to its own scale", () => {
  const dir = tmp();
  const r = runCli(["report", "startup", "--paths", "20000", "--html", "out.html"], dir);
  assert.equal(r.code, 0, r.stderr);
  assertClean(r);
  const out = r.stdout;
  // One lever: no "all 1 together" row, no empty interactions table, no "none of the 1 conditions".
  assert.match(out, /^The 1 condition: its lever off and on, 4,096 paths each/m);
  assert.match(out, /│ lever off +│ [0-9.]+% ± /);
  assert.doesNotMatch(out, /all 1 together|largest interactions|none of the 1|the best is :/);
  assert.match(out, /Without no_raise, S\(24\) is/);
  // Most paths never run short: the median shortfall is exactly zero.
  assert.match(out, /│ shortfall of cash, median path +│ \$0 +│/);

  // The least raise for a round in month 6 agrees with `goal-seek` on the same paths, seed and held params
  // (both bisect the same common-random-numbers curve; the report prints 3 significant digits).
  const row = /│ month 6 \(2025-06\) +│ \$([0-9.]+)K +│ \$([0-9.]+)K – \$([0-9.]+)K +│/.exec(out);
  assert.ok(row, "a month-6 row in thousands of dollars");
  const [value, low, high] = row.slice(1, 4).map((x) => Number(x) * 1e3) as [number, number, number];
  assert.ok(low < value && value < high, `${low} < ${value} < ${high}`);
  const seek = runCli([
    "goal-seek",
    "startup",
    "--target",
    "alive@24 >= 0.9",
    "--vary",
    "raise_amount",
    "--range",
    "0..1M",
    "--fix",
    "raise_closes=1,raise_month=6",
    "--paths",
    "1000",
    "--json",
  ]);
  assert.equal(seek.code, 0, seek.stderr);
  const direct = (JSON.parse(seek.stdout) as { value: number }).value;
  assert.ok(Math.abs(value - direct) <= 0.005 * direct + 500, `report ${value}, goal-seek ${direct}`);
});
