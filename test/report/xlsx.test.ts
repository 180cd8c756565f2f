import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import ExcelJS from "exceljs";
import { checkText } from "../../src/lang/index.js";
import { seriesSheetName, writeXlsx, XLSX_SHEETS } from "../../src/report/xlsx.js";
import { fixtureResult } from "./fixture.js";

test("xlsx: round trip: sheet names, a survival value, the summary", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "outlast-xlsx-")), "run.xlsx");
  const result = fixtureResult(36);
  await writeXlsx(file, result);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  assert.deepEqual(
    wb.worksheets.map((s) => s.name),
    [XLSX_SHEETS.summary, XLSX_SHEETS.survival, XLSX_SHEETS.runway, "series cash", "series revenue"],
  );
  const survival = wb.getWorksheet(XLSX_SHEETS.survival)!;
  assert.deepEqual((survival.getRow(1).values as unknown[]).slice(1), ["month", "date", "alive", "low", "high", "se"]);
  assert.equal(survival.getCell("C13").value, result.survival[11]!.alive);
  assert.equal(survival.getCell("B13").value, "2025-06");
  const summary = wb.getWorksheet(XLSX_SHEETS.summary)!;
  const rows = new Map<string, unknown>();
  summary.eachRow((row) => rows.set(String(row.getCell(1).value), row.getCell(2).value));
  assert.equal(rows.get("paths"), 1000);
  assert.equal(rows.get("shortfall of cash, 90th percentile"), 9.87654321e9);
});

test("xlsx: Assumptions lists params with their formulas as written and their sources", async () => {
  const path = new URL("../../scenarios/openai-2024.yaml", import.meta.url);
  const { model, diagnostics } = checkText(readFileSync(path, "utf8"), "openai-2024.yaml");
  assert.ok(model, diagnostics.map((d) => d.message).join("\n"));
  const file = join(mkdtempSync(join(tmpdir(), "outlast-xlsx-")), "run.xlsx");
  await writeXlsx(file, fixtureResult(), model);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const sheet = wb.getWorksheet(XLSX_SHEETS.assumptions)!;
  const params: Record<string, { formula: unknown; source: unknown }> = {};
  sheet.eachRow((row) => {
    if (row.getCell(1).value === "param")
      params[String(row.getCell(2).value)] = { formula: row.getCell(3).value, source: row.getCell(6).value };
  });
  assert.equal(Object.keys(params).length, model.params.length);
  const first = model.params[0]!;
  const text = model.scenario.source.slice(first.expr.span.start.offset, first.expr.span.end.offset).trim();
  assert.equal(params[first.name]!.formula, text);
  assert.equal(params[first.name]!.source, first.source ?? "");
});

test("xlsx: series sheet names obey Excel's rules", () => {
  assert.equal(seriesSheetName("cash"), "series cash");
  assert.equal(seriesSheetName("a/b:c"), "series a_b_c");
  assert.equal(seriesSheetName("x".repeat(40)).length, 31);
});
