import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CSV_FILES, csvTables, writeCsv } from "../../src/report/csv.js";
import { fixtureResult } from "./fixture.js";

const testHeader = (file: (typeof CSV_FILES)[number], header: string) =>
  test(`csv: ${file} header is ${header}`, () => assert.equal(csvTables(fixtureResult())[file].split("\n")[0], header));

testHeader("survival.csv", "month,date,alive,low,high,se");
testHeader("runway.csv", "death_month,date,paths,share");
testHeader("series.csv", "series,month,date,mean,p5,p25,p50,p75,p95");
testHeader("summary.csv", "key,value");

test("csv: one row per month and per series-month; calendar dates from the start month", () => {
  const t = csvTables(fixtureResult(36));
  const survival = t["survival.csv"].trim().split("\n");
  assert.equal(survival.length, 1 + 36);
  assert.match(survival[1]!, /^1,2024-07,/);
  assert.match(survival[36]!, /^36,2027-06,/);
  assert.equal(t["series.csv"].trim().split("\n").length, 1 + 2 * 36);
  assert.match(t["runway.csv"].trim().split("\n").at(-1)!, /^37,alive,/);
});

test("csv: writeCsv creates the folder and writes every file", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "outlast-csv-")), "out");
  const paths = writeCsv(dir, fixtureResult());
  assert.deepEqual(
    paths,
    CSV_FILES.map((f) => join(dir, f)),
  );
  assert.match(readFileSync(join(dir, "summary.csv"), "utf8"), /^scenario,"Fixture, mid-2024"$/m);
});
