// The human summary in the terminal: tables (cli-table3, plain style so output off a TTY has
// no colour codes), a fan chart of cash and the survival curve (asciichart).

import asciichart from "asciichart";
import Table from "cli-table3";
import type { RunResult, SeriesPoint } from "../engine/result.js";
import {
  formatDifference,
  formatMoney,
  formatMonths,
  formatPercent,
  formatShare,
  monthLabel,
  summaryMonths,
} from "./format.js";
import type { CalendarCheck, ConditionsTable, FullReport } from "./report-data.js";

export interface TerminalOptions {
  /** Use colours in charts (only when stdout is a terminal). */
  color?: boolean;
  /** Chart height in rows (default 10). */
  height?: number;
}

function plainTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] } });
}

/** The run summary: header, survival, runway, shortfall, and the charts. */
export function renderRunSummary(result: RunResult, options: TerminalOptions = {}): string {
  const out: string[] = [];
  const end = monthLabel(result.start, result.horizon);
  out.push(`${result.scenario} — ${result.file}`);
  out.push(
    `${result.paths.toLocaleString("en-US")} paths, seed ${result.seed}, ${result.horizon} months (${result.start} to ${end})` +
      (result.levers.length > 0 ? `, levers: ${result.levers.join(", ")}` : ""),
  );
  if (result.partial) out.push("partial run: stopped before all paths ran; figures cover the paths finished");
  out.push("");

  const survival = plainTable(["month", "date", "alive (95%)", "interval"]);
  for (const m of summaryMonths(result.horizon)) {
    const s = result.survival[m - 1];
    if (!s) continue;
    survival.push([
      String(m),
      monthLabel(result.start, m),
      formatShare(s.alive, s.se),
      `${formatPercent(s.low)}–${formatPercent(s.high)}`,
    ]);
  }
  out.push("Survival S(t): share of paths still alive at the end of month t", survival.toString(), "");

  const r = result.runway;
  const beyond = (m: number) => (m > result.horizon ? `> ${result.horizon}` : formatMonths(m));
  const runway = plainTable(["runway (months)", "value"]);
  runway.push(["median", beyond(r.median)], ["5th–95th percentile", `${beyond(r.p5)} – ${beyond(r.p95)}`]);
  runway.push(["alive at the horizon", formatShare(r.aliveAtHorizon, r.aliveAtHorizonSe)]);
  if (result.shortfall) {
    const f = result.shortfall;
    runway.push([`shortfall of ${f.series}, median path`, formatMoney(f.p50)]);
    runway.push([`shortfall of ${f.series}, 90th percentile`, formatMoney(f.p90)]);
    runway.push(["paths that run short", formatPercent(f.shareShort)]);
  }
  if (result.breakEven) {
    const b = result.breakEven;
    runway.push(["reach break-even", formatPercent(b.reachedShare)]);
    if (b.median !== null)
      runway.push([
        "break-even month, median",
        `${formatMonths(b.median)} (${monthLabel(result.start, Math.round(b.median))})`,
      ]);
  }
  out.push(runway.toString(), "");

  const fanName = fanSeries(result);
  if (fanName) out.push(renderFan(fanName, result.series[fanName]!, result.start, options), "");
  out.push(renderSurvivalChart(result, options));
  return out.join("\n");
}

/** The full `report` output: the run summary, the calendar-year check and the five conditions. */
export function renderReport(report: FullReport, options: TerminalOptions = {}): string {
  const out = [renderRunSummary(report.result, options)];
  if (report.calendar) out.push("", renderCalendar(report.calendar));
  if (report.conditions) out.push("", renderConditions(report.conditions));
  for (const note of report.notes ?? []) out.push(`note: ${note}`);
  return out.join("\n");
}

export function renderCalendar(c: CalendarCheck): string {
  const head =
    c.reportedMonths > 0
      ? [
          "",
          `reported (${c.reportedMonths} mo)`,
          `simulated mean (${c.simulatedMonths} mo)`,
          `calendar ${c.year}`,
          "reported for the year",
        ]
      : ["", `simulated mean (${c.simulatedMonths} mo)`, `calendar ${c.year}`, "reported for the year"];
  const table = plainTable(head);
  for (const l of c.lines) {
    const expected =
      l.expectedLow === l.expectedHigh
        ? `≈ ${formatMoney(l.expectedLow)}`
        : `${formatMoney(l.expectedLow)}–${formatMoney(l.expectedHigh)}`;
    const total = l.total === undefined ? "n/a" : formatMoney(l.total);
    const cells =
      c.reportedMonths > 0
        ? [
            l.name,
            l.reported === undefined ? "n/a" : formatMoney(l.reported),
            formatMoney(l.simulated),
            total,
            expected,
          ]
        : [l.name, formatMoney(l.simulated), total, expected];
    table.push(cells);
  }
  const lines = [`Calendar ${c.year}: the model against what was reported (${c.source})`, table.toString()];
  for (const note of c.notes) lines.push(`  ${note}`);
  return lines.join("\n");
}

export function renderConditions(c: ConditionsTable): string {
  const table = plainTable(["condition (lever on alone)", `S(${c.month}) (95%)`, "vs baseline (paired, 95%)"]);
  table.push(["baseline (no lever)", formatShare(c.baseline.alive, c.baseline.se), ""]);
  for (const row of c.rows)
    table.push([`${row.label} [${row.lever}]`, formatShare(row.alive, row.se), formatDifference(row.diff, row.diffSe)]);
  return [`The conditions: each lever switched on alone, same random draws as the baseline`, table.toString()].join(
    "\n",
  );
}

/** The series to draw as a fan: the shortfall series, else `cash`, else the first reported series. */
export function fanSeries(result: RunResult): string | undefined {
  const names = Object.keys(result.series);
  if (result.shortfall && names.includes(result.shortfall.series)) return result.shortfall.series;
  if (names.includes("cash")) return "cash";
  return names[0];
}

/** At most `width` evenly spaced points (asciichart draws one column per point). */
function thin<T>(points: readonly T[], width = 72): T[] {
  if (points.length <= width) return [...points];
  const step = points.length / width;
  return Array.from({ length: width }, (_, k) => points[Math.floor(k * step)]!).concat(points.at(-1)!);
}

export function renderFan(
  name: string,
  points: readonly SeriesPoint[],
  start: string,
  options: TerminalOptions = {},
): string {
  const shown = thin(points);
  if (shown.length === 0) return "";
  const lines = [
    shown.map((p) => p.p5),
    shown.map((p) => p.p25),
    shown.map((p) => p.p50),
    shown.map((p) => p.p75),
    shown.map((p) => p.p95),
  ];
  const chart = asciichart.plot(
    lines.map((l) => l.map(finiteOr0)),
    {
      height: options.height ?? 10,
      format: (x: number) => formatMoney(x).padStart(9),
      ...(options.color
        ? { colors: [asciichart.blue, asciichart.cyan, asciichart.default, asciichart.cyan, asciichart.blue] }
        : {}),
    },
  );
  const first = shown[0]!.month;
  const last = shown.at(-1)!.month;
  return [
    `Fan of ${name}: 5th, 25th, 50th, 75th, 95th percentiles by month`,
    chart,
    axis(start, first, last, shown.length),
  ].join("\n");
}

export function renderSurvivalChart(result: RunResult, options: TerminalOptions = {}): string {
  const shown = thin(result.survival);
  if (shown.length === 0) return "";
  const chart = asciichart.plot(
    shown.map((s) => s.alive),
    {
      height: options.height ?? 10,
      min: 0,
      max: 1,
      format: (x: number) => formatPercent(x, 0).padStart(9),
      ...(options.color ? { colors: [asciichart.green] } : {}),
    },
  );
  return ["Survival curve S(t)", chart, axis(result.start, shown[0]!.month, shown.at(-1)!.month, shown.length)].join(
    "\n",
  );
}

/** An x-axis line under a chart: first and last calendar month at the chart's ends. */
function axis(start: string, first: number, last: number, columns: number): string {
  const left = monthLabel(start, first);
  const right = monthLabel(start, last);
  const gap = Math.max(1, columns - left.length - right.length + 1);
  return " ".repeat(11) + left + " ".repeat(gap) + right;
}

function finiteOr0(x: number): number {
  return Number.isFinite(x) ? x : 0;
}
