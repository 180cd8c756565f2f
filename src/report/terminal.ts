// The human summary in the terminal: tables (cli-table3, plain style so output off a TTY has
// no colour codes), a fan chart of cash and the survival curve (asciichart).

import asciichart from "asciichart";
import Table from "cli-table3";
import type { RunResult, SeriesPoint } from "../engine/result.js";
import { intervalLabel, intervalZ } from "../engine/stats/index.js";
import {
  formatDifference,
  formatMoney,
  formatMonths,
  formatPercent,
  formatShare,
  formatSurvival,
  monthLabel,
  summaryMonths,
} from "./format.js";
import { conditionsHeading, formatValue, fundingNote, tornadoGivenNote } from "./conditions.js";
import type { CalendarCheck, ConditionsTable, FullReport, FundingGoal, TornadoChart } from "./report-data.js";

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

  const z = intervalZ(result.replicates);
  const survival = plainTable(["month", "date", "alive (95%)", "interval"]);
  for (const m of summaryMonths(result.horizon)) {
    const s = result.survival[m - 1];
    if (!s) continue;
    survival.push([
      String(m),
      monthLabel(result.start, m),
      formatSurvival(s, z),
      `${formatPercent(s.low)}–${formatPercent(s.high)}`,
    ]);
  }
  out.push("Survival S(t): share of paths still alive at the end of month t", survival.toString(), "");

  const r = result.runway;
  const beyond = (m: number) => (m > result.horizon ? `> ${result.horizon}` : formatMonths(m));
  const runway = plainTable(["runway (months)", "value"]);
  runway.push(["median", beyond(r.median)], ["5th–95th percentile", `${beyond(r.p5)} – ${beyond(r.p95)}`]);
  runway.push(["alive at the horizon", formatSurvival(result.survival[result.horizon - 1]!, z)]);
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

/** The full `report` output: the run summary, the calendar-year check, the conditions, the funding goal-seek and the tornado. */
export function renderReport(report: FullReport, options: TerminalOptions = {}): string {
  const out = [renderRunSummary(report.result, options)];
  for (const c of report.calendars ?? (report.calendar ? [report.calendar] : [])) out.push("", renderCalendar(c));
  if (report.conditions) out.push("", renderConditions(report.conditions));
  if (report.fundingGoal) out.push("", renderFundingGoal(report.fundingGoal, report.result.start));
  if (report.tornado) out.push("", renderTornado(report.tornado));
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
  const s = `S(${c.month})`;
  const table = plainTable(["condition", `${s} alone (95%)`, "main effect (paired, 95%)"]);
  table.push([c.rows.length === 1 ? "lever off" : "none of them", formatShare(c.none.alive, c.none.se, c.z95), ""]);
  for (const row of c.rows)
    table.push([
      `${row.label} [${row.lever}]`,
      formatShare(row.alive, row.se, c.z95),
      formatDifference(row.effect, row.effectSe, c.z95) + (row.clear ? "" : "  (≈ 0)"),
    ]);
  if (c.rows.length > 1) table.push([`all ${c.rows.length} together`, formatShare(c.all.alive, c.all.se, c.z95), ""]);
  const pairs = plainTable(["largest interactions", `on ${s} (paired, 95%)`]);
  for (const e of c.interactions)
    pairs.push([e.levers.join(" × "), formatDifference(e.effect, e.se, c.z95) + (e.clear ? "" : "  (≈ 0)")]);
  const paired = c.interactions.length > 0;
  return [
    `${conditionsHeading(c)}, ${c.paths.toLocaleString("en-US")} paths each, seed ${c.seed}, same random draws in each`,
    `  main effect: ${s} with the lever on minus off` +
      (c.rows.length > 1 ? ", averaged over every setting of the others;" : `; ± is ${intervalLabel(c.z95)} (paired)`),
    ...(paired
      ? [
          `  interaction: what a pair adds beyond the sum of its separate effects; ± is ${intervalLabel(c.z95)} (paired)`,
        ]
      : []),
    table.toString(),
    ...(paired ? [pairs.toString()] : []),
    wrap(c.reading),
  ].join("\n");
}

/** Wraps a paragraph at `width` columns. */
export function wrap(text: string, width = 100): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join("\n");
}

/** "$12.2B" or "below $0" / "beyond $100B" for an open end of a bracket. */
function bracketEnd(x: number | null, range: readonly [number, number], side: "low" | "high"): string {
  if (x !== null) return formatMoney(x);
  return side === "low" ? `below ${formatMoney(range[0])}` : `beyond ${formatMoney(range[1])}`;
}

export function renderFundingGoal(g: FundingGoal, start: string): string {
  const stat = g.target.replace(/\s*(>=|>).*$/, "").replace(/^alive@(\d+)$/, "S($1)");
  const table = plainTable([
    "round closes in",
    `least ${g.param}`,
    `bracket (±${g.z} SE)`,
    `${stat} there`,
    ...(g.closesParam ? [`${stat}, close uncertain`] : []),
  ]);
  for (const r of g.rows) {
    const when = `month ${r.month} (${monthLabel(start, r.month)})`;
    if (!r.reached) {
      table.push([
        when,
        `not reachable (best ${stat} ${formatPercent(r.achieved)} at ${formatMoney(r.value)})`,
        r.low === null ? "" : `from ${formatMoney(r.low)} within the error`,
        "",
        ...(g.closesParam ? [""] : []),
      ]);
      continue;
    }
    table.push([
      when,
      formatMoney(r.value),
      `${bracketEnd(r.low, g.range, "low")} – ${bracketEnd(r.high, g.range, "high")}`,
      formatShare(r.achieved, r.achievedSe, g.z95),
      ...(g.closesParam ? [r.uncertain ? formatShare(r.uncertain.alive, r.uncertain.se, g.z95) : ""] : []),
    ]);
  }
  return [
    `How much must be raised, and by when, for ${g.target}: the least ${g.param} by bisection on common random numbers`,
    `  over ${formatMoney(g.range[0])}–${formatMoney(g.range[1])}, ${g.paths.toLocaleString("en-US")} paths per evaluation, seed ${g.seed}` +
      (g.levers.length ? `, levers on: ${g.levers.join(", ")}` : ""),
    table.toString(),
    wrap(fundingNote(g, stat)),
  ].join("\n");
}

/** A text tornado: each param's bar runs from the output at its 10th to its 90th percentile. */
export function renderTornado(t: TornadoChart, width = 30): string {
  const s = t.output.replace(/^alive@(\d+)$/, "S($1)");
  const values = t.bars.flatMap((b) => [b.low, b.high]).concat(t.base);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!(hi > lo)) [lo, hi] = [lo - 0.005, hi + 0.005];
  const col = (v: number) => Math.max(0, Math.min(width - 1, Math.round(((v - lo) / (hi - lo)) * (width - 1))));
  const baseCol = col(t.base);
  const name = Math.max(...t.bars.map((b) => b.param.length), 5);
  const ends = t.bars.map((b) => `${formatValue(b.lowValue, b.unit)} → ${formatValue(b.highValue, b.unit)}`);
  const endsHead = "param at P10 → P90";
  const endsWidth = Math.max(...ends.map((e) => e.length), endsHead.length);
  const lines = t.bars.map((b, i) => {
    const a = col(Math.min(b.low, b.high));
    const z = col(Math.max(b.low, b.high));
    const cells = Array.from({ length: width }, (_, x) => (x >= a && x <= z ? "█" : x === baseCol ? "│" : "·"));
    return (
      `  ${b.param.padEnd(name)}  ${ends[i]!.padEnd(endsWidth)}  ${formatPercent(b.low).padStart(6)} ${cells.join("")} ${formatPercent(b.high).padEnd(6)}` +
      `  swing ${formatDifference(b.swing, b.swingSe, t.z95)}`
    );
  });
  const scale =
    `  ${"".padEnd(name)}  ${endsHead.padEnd(endsWidth)}  ${"".padStart(6)} ` +
    `${formatPercent(lo)}${" ".repeat(Math.max(1, width - formatPercent(lo).length - formatPercent(hi).length))}${formatPercent(hi)}`;
  return [
    `What moves ${s} most: ${t.bars.length === t.varied ? `the ${t.varied} param${t.varied === 1 ? "" : "s"}` : `the top ${t.bars.length} of ${t.varied} params`}, each held at its 10th then its 90th percentile while the others stay random`,
    `  no lever on; ${s} with every param random ${formatShare(t.base, t.baseSe, t.z95)} (│); ${t.paths.toLocaleString("en-US")} paths per end, seed ${t.seed}; ± is ${intervalLabel(t.z95)} (paired)`,
    scale,
    ...lines,
    ...[tornadoGivenNote(t.bars)].flatMap((note) => (note === undefined ? [] : [wrap(note)])),
  ].join("\n");
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
  const chart = plotScaled(lines, options.height ?? 10, (x) => formatMoney(x).padStart(9), options.color);
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

/**
 * asciichart over values mapped onto the chart's rows first, labels mapped back. asciichart
 * steps its axis one unit at a time from min·ratio to max·ratio, which never ends when the
 * values are flat at 2^53 or beyond (x + 1 === x), so it is only ever given 0..height.
 */
function plotScaled(lines: number[][], height: number, label: (x: number) => string, color?: boolean): string {
  const finite = lines.map((l) => l.map(finiteOr0));
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of finite) for (const x of l) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
  const step = hi / height - lo / height; // not (hi - lo) / height, which overflows at ±1e308
  const scale = step > 0 && Number.isFinite(step) ? step : 0;
  const toRow = (x: number) => (scale > 0 ? (x - lo) / scale : 0);
  return asciichart.plot(
    finite.map((l) => l.map(toRow)),
    {
      height,
      min: 0,
      max: scale > 0 ? height : 0,
      format: (y: number) => label(scale > 0 ? lo + y * scale : lo),
      ...(color
        ? { colors: [asciichart.blue, asciichart.cyan, asciichart.default, asciichart.cyan, asciichart.blue] }
        : {}),
    },
  );
}

function finiteOr0(x: number): number {
  return Number.isFinite(x) ? x : 0;
}
