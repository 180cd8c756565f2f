// The command line on hostile input (issue: no internal error, no hang, no silently wrong
// number): devices, symlink loops, closed pipes, unwritable folders, flat huge values in the
// terminal charts, sheet names that collide, text a spreadsheet would run, a lever's NaN, and
// the analyses' numbers in the one shared format. The scenarios are in test/fixtures/robust.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { formatAmount } from "../../src/analysis/format.js";
import { capThreads } from "../../src/cli/options.js";
import { formatMoney } from "../../src/report/format.js";
import { assertClean, root, runCli } from "./run-cli.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/robust/${name}`, import.meta.url));
const broken = (name: string) => fileURLToPath(new URL(`../fixtures/broken/${name}`, import.meta.url));

test("check /dev/zero stops at the first NUL byte (it used to read until killed)", () => {
  const r = runCli(["check", "/dev/zero"]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /error\[not_text\]: '\/dev\/zero' is not a text file \(it contains a NUL byte\)/);
});

test("a symlink loop is named as one, not blamed on permissions", () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-loop-"));
  try {
    symlinkSync(join(dir, "b.yaml"), join(dir, "a.yaml"));
    symlinkSync(join(dir, "a.yaml"), join(dir, "b.yaml"));
    const r = runCli(["check", join(dir, "a.yaml")]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /its symbolic links form a loop/);
    assert.doesNotMatch(r.stdout, /permission/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("check of a broken scenario into a closed pipe still exits 1", () => {
  const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url));
  const main = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
  const cmd = `"${process.execPath}" --import "${tsx}" "${main}" check "${broken("unknown-name.yaml")}" | true; echo "status \${PIPESTATUS[0]}"`;
  const r = spawnSync("bash", ["-c", cmd], { cwd: root, encoding: "utf8" });
  assert.match(r.stdout, /status 1\n/);
});

test("--csv and --svg under /proc fail with a message instead of looping in mkdir", () => {
  for (const flag of ["--csv", "--svg"]) {
    const r = runCli(["run", fixture("flat-huge-cash.yaml"), "--paths", "100", flag, "/proc/outlast-x/y"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: cannot write '\/proc\/outlast-x' \(E[A-Z]+\)/);
  }
});

for (const name of ["flat-huge-cash.yaml", "flat-negative-cash.yaml"]) {
  test(`run draws the fan chart of ${name} (asciichart looped for ever on it)`, () => {
    const r = runCli(["run", fixture(name), "--paths", "100"]);
    assert.equal(r.code, 0, r.stderr);
    assertClean(r);
    assert.match(r.stdout, /Fan of cash/);
    assert.match(r.stdout, name.includes("huge") ? /\$9\.01e15/ : /-\$1e30/);
  });
}

test("run --xlsx with two series alike in their first 24 characters writes distinct sheets", async () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-xlsx-"));
  try {
    const file = join(dir, "out.xlsx");
    const r = runCli(["run", fixture("long-series-names.yaml"), "--paths", "100", "--xlsx", file]);
    assert.equal(r.code, 0, r.stderr);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const names = wb.worksheets.map((w) => w.name).filter((n) => n.startsWith("series "));
    assert.deepEqual(names, ["series revenue_enterprise_contr", "series revenue_enterprise_c (2)", "series cash"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("summary.csv does not hand a spreadsheet a formula from the scenario's name", () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-csv-"));
  try {
    const r = runCli(["run", fixture("formula-name.yaml"), "--paths", "100", "--csv", dir]);
    assert.equal(r.code, 0, r.stderr);
    const summary = readFileSync(join(dir, "summary.csv"), "utf8");
    assert.match(summary, /^scenario,"'=HYPERLINK\(/m);
    assert.doesNotMatch(summary, /^scenario,"?=/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an escape sequence in the name never reaches the terminal", () => {
  const r = runCli(["run", broken("name-escape-codes.yaml"), "--paths", "100"]);
  assert.equal(r.code, 1);
  assert.ok(!(r.stdout + r.stderr).includes("\u001b"), "no escape character in the output");
  assert.match(r.stderr, /error\[control_character\]/);
});

test("a lever's NaN is reported at the lever's line", () => {
  const r = runCli(["run", fixture("lever-nan.yaml"), "--paths", "100", "--levers", "broken"]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /lever-nan\.yaml:12:7 error\[non_finite\]: series 'burn' is NaN .* \(as set by lever 'broken'\)/,
  );
  assert.match(r.stderr, /12 \|       burn: log\(-1\)/);
});

test("--threads is capped by the run's chunks and the machine's cores, with a note", () => {
  const notes: string[] = [];
  const note = (t: string) => notes.push(t);
  assert.equal(capThreads(1024, 1000, 2, note), 1);
  assert.equal(capThreads(300, 1_000_000, 8, note), 8);
  assert.equal(capThreads(4, 10_000, 8, note), 4);
  assert.equal(capThreads(undefined, 10_000, 8, note), undefined);
  assert.deepEqual(notes, [
    "note: --threads 1024 uses 1 thread: 1,000 paths make 1 chunk of 1024 paths",
    "note: --threads 300 uses 8 threads: this machine has 8 cores",
  ]);
  // mc: the paths as asked (rqmc would run 1,024).
  const r = runCli([
    "run",
    fixture("flat-huge-cash.yaml"),
    "--paths",
    "1000",
    "--threads",
    "1024",
    "--json",
    "--sampling",
    "mc",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^note: --threads 1024 uses 1 thread: 1,000 paths make 1 chunk of 1024 paths\n/);
  assert.equal(JSON.parse(r.stdout).paths, 1000);
});

test("sensitivity and goal-seek print amounts in the one number format ($3.29B reads 3.29B, not 3294000000)", () => {
  const file = fixture("big-numbers.yaml");
  // mc: the errors below are plain Monte Carlo's (rqmc's are smaller, in thousands).
  const s = runCli(["sensitivity", file, "--output", "cash@12", "--paths", "2000", "--sampling", "mc"]);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /mean 1\.\d+B ± \d+(\.\d+)?M/);
  assert.doesNotMatch(s.stdout, /\d{7,}/);
  const g = runCli([
    "goal-seek",
    file,
    "--target",
    "cash@12 >= 50B",
    "--vary",
    "raise",
    "--paths",
    "2000",
    "--sampling",
    "mc",
  ]);
  assert.equal(g.code, 0, g.stderr);
  assert.doesNotMatch(g.stdout, /\d{7,}/);
  // The best value is the range's top and larger values help: widen it upward, and say so.
  assert.match(
    g.stdout,
    /reaches cash@12 >= 50B; the best, at 27\.5B, gives 25\.\d+B ± [\d.]+M\. Larger values might: widen the range upward/,
  );
});

test("formatAmount and formatMoney: suffixes, exponents past the trillions, n/a for non-finite", () => {
  assert.equal(formatAmount(3294000000), "3.294B");
  assert.equal(formatAmount(999_960_000), "1B");
  assert.equal(formatAmount(1.234e25), "1.234e25");
  assert.equal(formatAmount(7.8e-8), "7.8e-8");
  assert.equal(formatAmount(NaN), "n/a");
  assert.equal(formatMoney(3.294e9), "$3.29B");
  assert.equal(formatMoney(-1e30), "-$1e30");
  assert.equal(formatMoney(Infinity), "n/a");
});
