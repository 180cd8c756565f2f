// XLSX export (`run --xlsx FILE`) with exceljs: a Summary sheet, Survival, Runway, one sheet of
// per-month percentiles per reported series, and Assumptions (every param and series with the
// formula as written in the scenario, its unit and its source; then levers and sources).

import ExcelJS from "exceljs";
import type { RunResult } from "../engine/result.js";
import type { Expr } from "../lang/ast.js";
import type { Model, SeriesBody } from "../lang/model.js";
import { monthLabel, summaryMonths } from "./format.js";

/** Sheet names, in order; series sheets ("series <name>") come between Runway and Assumptions. */
export const XLSX_SHEETS = {
  summary: "Summary",
  survival: "Survival",
  runway: "Runway",
  assumptions: "Assumptions",
} as const;

export async function writeXlsx(file: string, result: RunResult, model?: Model): Promise<void> {
  await buildWorkbook(result, model).xlsx.writeFile(file);
}

export function buildWorkbook(result: RunResult, model?: Model): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = "outlast";

  const summary = wb.addWorksheet(XLSX_SHEETS.summary);
  summary.columns = [
    { header: "item", key: "item", width: 40 },
    { header: "value", key: "value", width: 24 },
  ];
  const add = (item: string, value: string | number | null) => summary.addRow({ item, value });
  add("scenario", result.scenario);
  add("file", result.file);
  add("start", result.start);
  add("paths", result.paths);
  add("seed", result.seed);
  add("horizon (months)", result.horizon);
  add("levers", result.levers.join(", "));
  for (const m of summaryMonths(result.horizon)) {
    const s = result.survival[m - 1];
    if (!s) continue;
    add(`alive after ${m} months`, s.alive);
    add(`alive after ${m} months, standard error`, s.se);
  }
  add("median runway (months; horizon + 1 = alive)", result.runway.median);
  if (result.shortfall) {
    add(`shortfall of ${result.shortfall.series}, median`, result.shortfall.p50);
    add(`shortfall of ${result.shortfall.series}, 90th percentile`, result.shortfall.p90);
    add("share of paths that run short", result.shortfall.shareShort);
  }
  if (result.breakEven) {
    add("share reaching break-even", result.breakEven.reachedShare);
    add("break-even month, median", result.breakEven.median);
  }
  if (result.partial) add("partial run", "yes");
  boldHeader(summary);

  const survival = wb.addWorksheet(XLSX_SHEETS.survival);
  survival.columns = ["month", "date", "alive", "low", "high", "se"].map((k) => ({ header: k, key: k, width: 12 }));
  for (const s of result.survival) survival.addRow({ ...s, date: monthLabel(result.start, s.month) });
  boldHeader(survival);

  const runway = wb.addWorksheet(XLSX_SHEETS.runway);
  runway.columns = ["death_month", "date", "paths", "share"].map((k) => ({ header: k, key: k, width: 14 }));
  result.runway.counts.forEach((paths, k) => {
    const month = k + 1;
    runway.addRow({
      death_month: month,
      date: month > result.horizon ? "alive" : monthLabel(result.start, month),
      paths,
      share: paths / result.paths,
    });
  });
  boldHeader(runway);

  const sheetNames = seriesSheetNames(Object.keys(result.series));
  for (const [k, points] of Object.values(result.series).entries()) {
    const sheet = wb.addWorksheet(sheetNames[k]!);
    sheet.columns = ["month", "date", "mean", "p5", "p25", "p50", "p75", "p95"].map((k) => ({
      header: k,
      key: k,
      width: 14,
    }));
    for (const p of points) sheet.addRow({ ...p, date: monthLabel(result.start, p.month) });
    boldHeader(sheet);
  }

  if (model) addAssumptions(wb.addWorksheet(XLSX_SHEETS.assumptions), model);
  return wb;
}

/** `series cash`, cut to Excel's 31 characters and stripped of the characters it forbids. */
export function seriesSheetName(name: string): string {
  return `series ${name}`.replace(/[[\]:*?/\\]/g, "_").slice(0, 31);
}

/**
 * One sheet name per series, distinct as Excel compares them (ignoring case): names that agree
 * in their first 31 characters (`revenue_enterprise_contracts_us` and `…_eu`) are cut shorter
 * and numbered, `series revenue_enterprise_co (2)`.
 */
export function seriesSheetNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let sheet = seriesSheetName(name);
    for (let k = 2; taken.has(sheet.toLowerCase()); k++) {
      const tag = ` (${k})`;
      sheet = seriesSheetName(name).slice(0, 31 - tag.length) + tag;
    }
    taken.add(sheet.toLowerCase());
    return sheet;
  });
}

function addAssumptions(sheet: ExcelJS.Worksheet, model: Model): void {
  const source = model.scenario.source;
  const text = (e: Expr) => source.slice(e.span.start.offset, e.span.end.offset).trim();
  const body = (b: SeriesBody) => {
    switch (b.kind) {
      case "formula":
        return text(b.expr);
      case "next":
        return `start: ${text(b.start)}; next: ${text(b.next)}`;
      case "stock":
        return `start: ${text(b.start)}; change: ${text(b.change)}`;
      default:
        throw new Error(`internal: ${b satisfies never}`);
    }
  };
  sheet.columns = [
    { header: "kind", key: "kind", width: 10 },
    { header: "name", key: "name", width: 22 },
    { header: "formula", key: "formula", width: 60 },
    { header: "label", key: "label", width: 30 },
    { header: "unit", key: "unit", width: 12 },
    { header: "source", key: "source", width: 60 },
  ];
  for (const p of model.params)
    sheet.addRow({
      kind: "param",
      name: p.name,
      formula: text(p.expr),
      label: p.label ?? "",
      unit: p.unit ?? "",
      source: p.source ?? "",
    });
  for (const s of model.series)
    sheet.addRow({
      kind: "series",
      name: s.name,
      formula: body(s),
      label: s.label ?? "",
      unit: s.unit ?? "",
      source: s.source ?? "",
    });
  sheet.addRow({ kind: "alive", name: "alive", formula: text(model.scenario.alive) });
  for (const l of model.levers) {
    const sets = [
      ...l.set.map((s) => `${s.name} = ${body(s.body)}`),
      ...l.edits.map((e) => `${e.name} ${e.op === "add" ? "+=" : "*="} ${text(e.expr)}`),
    ].join("; ");
    sheet.addRow({
      kind: "lever",
      name: l.name,
      formula: sets,
      label: l.label,
      source: l.source ?? l.description ?? "",
    });
  }
  for (const s of model.scenario.sources)
    sheet.addRow({ kind: "reference", name: s.id, label: s.title, source: s.url ?? "" });
  boldHeader(sheet);
}

function boldHeader(sheet: ExcelJS.Worksheet): void {
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: "frozen", ySplit: 1 }];
}
