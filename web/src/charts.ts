// The dashboard's charts, drawn with Observable Plot as SVG. Each takes the data and the width
// it may use and returns the element, its legend (for exports) and how many points it drew.
// Time axes show calendar months; y-axes name their unit; data is thinned to the pixels.

import * as Plot from "@observablehq/plot";
import type { RunResult, SeriesPoint, SurvivalPoint } from "../../src/engine/result.js";
import { axisMoney, axisNumber, dateOf, isMoney, monthLabel, percent } from "./format.js";
import type { TornadoRow } from "./protocol.js";
import { maxOf, minOf, stride, sumOf, thinRows } from "./thin.js";

export const PALETTE = ["#2563eb", "#ea580c", "#16a34a", "#9333ea", "#b45309"];
const blue = PALETTE[0]!;

export interface LegendItem {
  label: string;
  color: string;
}

export interface Chart {
  el: SVGSVGElement | HTMLElement;
  legend: LegendItem[];
  /** Points (or bars) handed to Plot, over every mark's data. */
  points: number;
}

/** Left margin wide enough for the widest tick label (about 7 px a character). */
function marginFor(labels: readonly string[], min = 48, max = 120): number {
  return Math.min(max, Math.max(min, 12 + 7 * Math.max(0, ...labels.map((l) => l.length))));
}

/** The fan chart of one series: 5–95 and 25–75 bands and the median, per month. */
export function fanChart(
  points: readonly SeriesPoint[],
  options: {
    name: string;
    label?: string;
    unit?: string;
    start: string;
    width: number;
    log: boolean;
    zoom: [number, number] | null;
  },
): Chart {
  const money = isMoney(options.unit, options.name);
  const fmt = money ? axisMoney : axisNumber;
  const shown = options.zoom
    ? points.filter((p) => p.month >= options.zoom![0] && p.month <= options.zoom![1])
    : points;
  const marginLeft = marginFor([fmt(minOf(shown, (p) => p.p5)), fmt(maxOf(shown, (p) => p.p95))], 56);
  const k = stride(shown.length, options.width - marginLeft - 20);
  const data = thinRows(shown, k, (run) => {
    const last = run[run.length - 1]!;
    return {
      month: last.month,
      first: run[0]!.month,
      date: dateOf(options.start, last.month),
      p5: minOf(run, (p) => p.p5),
      p25: minOf(run, (p) => p.p25),
      p50: last.p50,
      p75: maxOf(run, (p) => p.p75),
      p95: maxOf(run, (p) => p.p95),
      mean: last.mean,
    };
  });
  const unit = options.unit ?? (money ? "USD" : "");
  const yLabel = `${options.label ?? options.name}${unit ? ` (${unit})` : ""}${options.log ? ", log scale" : ""}`;
  const el = Plot.plot({
    width: options.width,
    height: 260,
    marginLeft,
    x: { label: null, type: "utc" },
    y: {
      label: yLabel,
      grid: true,
      tickFormat: fmt,
      ...(options.log ? { type: "symlog" as const, constant: symlogConstant(shown) } : {}),
    },
    marks: [
      Plot.areaY(data, { x: "date", y1: "p5", y2: "p95", fill: blue, fillOpacity: 0.15 }),
      Plot.areaY(data, { x: "date", y1: "p25", y2: "p75", fill: blue, fillOpacity: 0.3 }),
      Plot.lineY(data, { x: "date", y: "p50", stroke: blue, strokeWidth: 2 }),
      Plot.ruleY([0], { stroke: "#888" }),
      Plot.tip(
        data,
        Plot.pointerX({
          x: "date",
          y: "p50",
          title: (d: (typeof data)[number]) =>
            `${monthLabel(options.start, d.month)} (month ${d.first === d.month ? d.month : `${d.first}–${d.month}`})\nmedian ${fmt(d.p50)}\n25–75%: ${fmt(d.p25)} – ${fmt(d.p75)}\n5–95%: ${fmt(d.p5)} – ${fmt(d.p95)}\nmean ${fmt(d.mean)}`,
        }),
      ),
    ],
  });
  return {
    el,
    points: data.length,
    legend: [
      { label: "median", color: blue },
      { label: "25–75%", color: "#93b4f3" },
      { label: "5–95%", color: "#d3e0fb" },
    ],
  };
}

/** symlog's linear zone: a small share of the typical size, so money reads as a log scale. */
function symlogConstant(points: readonly SeriesPoint[]): number {
  const sizes = points.map((p) => Math.abs(p.p50)).filter((x) => x > 0);
  const typical = sizes.length ? sizes.sort((a, b) => a - b)[Math.floor(sizes.length / 2)]! : 1;
  return Math.max(1e-9, typical / 1000);
}

export interface SurvivalLine {
  label: string;
  result: RunResult;
}

/** S(t) with its 95% band; one curve per variant when comparing. */
export function survivalChart(lines: readonly SurvivalLine[], width: number): Chart {
  const marginLeft = 48;
  const marks: Plot.Markish[] = [];
  let points = 0;
  const tipData: {
    which: string;
    date: Date;
    month: number;
    alive: number;
    low: number;
    high: number;
    color: string;
  }[] = [];
  lines.forEach((line, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const k = stride(line.result.survival.length, width - marginLeft - 20);
    const own = thinRows(line.result.survival, k, (run: readonly SurvivalPoint[]) => {
      const last = run[run.length - 1]!;
      return {
        which: line.label,
        color,
        month: last.month,
        date: dateOf(line.result.start, last.month),
        alive: last.alive,
        low: minOf(run, (p) => p.low),
        high: maxOf(run, (p) => p.high),
      };
    });
    points += own.length;
    tipData.push(...own);
    marks.push(Plot.areaY(own, { x: "date", y1: "low", y2: "high", fill: color, fillOpacity: 0.18 }));
    marks.push(Plot.lineY(own, { x: "date", y: "alive", stroke: color, strokeWidth: 2 }));
  });
  const start = lines[0]?.result.start ?? "2000-01";
  marks.push(
    Plot.tip(
      tipData,
      Plot.pointerX({
        x: "date",
        y: "alive",
        stroke: "color",
        title: (d: (typeof tipData)[number]) =>
          `${d.which}\n${monthLabel(start, d.month)} (month ${d.month})\nS = ${percent(d.alive)} (95%: ${percent(d.low)} – ${percent(d.high)})`,
      }),
    ),
  );
  const legend = lines.map((l, i) => ({ label: l.label, color: PALETTE[i % PALETTE.length]! }));
  const el = Plot.plot({
    width,
    height: 240,
    marginLeft,
    x: { label: null, type: "utc" },
    y: { label: "share alive (%)", domain: [0, 1], grid: true, tickFormat: (x: number) => percent(x, 0) },
    marks,
  });
  return { el, legend, points };
}

/** Death months, merged to fit the width; the green bar at the end is the paths alive at the horizon. */
export function runwayHistogram(result: RunResult, width: number): Chart {
  const marginLeft = 48;
  const h = result.horizon;
  const k = stride(h + 1, width - marginLeft - 20);
  const months = result.runway.counts.map((count, i) => ({ month: i + 1, count }));
  const deaths = thinRows(months.slice(0, h), k, (run) => ({
    from: run[0]!.month,
    to: run[run.length - 1]!.month,
    share: result.paths > 0 ? sumOf(run, (x) => x.count) / result.paths : 0,
  }));
  const aliveShare = result.paths > 0 ? (result.runway.counts[h] ?? 0) / result.paths : 0;
  const bars = [
    ...deaths.map((d) => ({
      x1: dateOf(result.start, d.from),
      x2: dateOf(result.start, d.to + 1),
      share: d.share,
      alive: false,
      label:
        d.from === d.to
          ? `dies in ${monthLabel(result.start, d.from)}`
          : `dies in ${monthLabel(result.start, d.from)} – ${monthLabel(result.start, d.to)}`,
    })),
    {
      x1: dateOf(result.start, h + 1),
      x2: dateOf(result.start, h + 1 + k),
      share: aliveShare,
      alive: true,
      label: "alive at the horizon",
    },
  ];
  const el = Plot.plot({
    width,
    height: 220,
    marginLeft,
    marginRight: 32,
    x: { label: null, type: "utc" },
    y: { label: "share of paths (%)", grid: true, tickFormat: (x: number) => percent(x, 0) },
    marks: [
      Plot.rectY(bars, {
        x1: "x1",
        x2: "x2",
        y: "share",
        fill: (d: (typeof bars)[number]) => (d.alive ? "#16a34a" : "#ea580c"),
        inset: k === 1 && h <= 120 ? 0.5 : 0,
      }),
      Plot.text([bars[bars.length - 1]!], { x: "x1", y: "share", text: () => "alive", dy: -8, textAnchor: "start" }),
      Plot.tip(
        bars,
        Plot.pointerX({
          x: (d: (typeof bars)[number]) => d.x1,
          y: "share",
          title: (d: (typeof bars)[number]) => `${d.label}: ${percent(d.share)}`,
        }),
      ),
    ],
  });
  return {
    el,
    points: bars.length,
    legend: [
      { label: k === 1 ? "dies that month" : `dies in that ${k}-month span`, color: "#ea580c" },
      { label: "alive at the horizon", color: "#16a34a" },
    ],
  };
}

/** Digits a percent axis needs so that neighbouring ticks read differently. */
function percentDigits(span: number): number {
  return span >= 0.05 ? 0 : span >= 0.005 ? 1 : 2;
}

/** Each param held at its 10th and 90th percentile: S(month) either side of the baseline. */
export function tornadoChart(rows: readonly TornadoRow[], base: number, month: number, width: number): Chart {
  const marginLeft = Math.round(
    Math.min(
      width * 0.45,
      marginFor(
        rows.map((r) => r.label),
        60,
        260,
      ),
    ),
  );
  const room = Math.floor((marginLeft - 12) / 7);
  const short = (label: string) => (label.length > room ? label.slice(0, Math.max(4, room - 1)) + "…" : label);
  const data = rows.flatMap((r) => [
    { label: short(r.label), full: r.label, end: "10th percentile", from: base, to: r.low, value: r.lowValue },
    { label: short(r.label), full: r.label, end: "90th percentile", from: base, to: r.high, value: r.highValue },
  ]);
  const lo = Math.min(base, ...rows.flatMap((r) => [r.low, r.high]));
  const hi = Math.max(base, ...rows.flatMap((r) => [r.low, r.high]));
  const digits = percentDigits(hi - lo);
  const legend = [
    { label: "10th percentile", color: "#93c5fd" },
    { label: "90th percentile", color: blue },
  ];
  const el = Plot.plot({
    width,
    height: 50 + rows.length * 26,
    marginLeft,
    marginRight: 24,
    x: {
      label: `S(${month}), baseline ${percent(base)}`,
      tickFormat: (x: number) => percent(x, digits),
      grid: true,
      ticks: 5,
    },
    y: { label: null, domain: data.map((d) => d.label).filter((l, i, all) => all.indexOf(l) === i) },
    color: { domain: legend.map((l) => l.label), range: legend.map((l) => l.color) },
    marks: [
      Plot.barX(data, { y: "label", x1: "from", x2: "to", fill: "end" }),
      Plot.ruleX([base]),
      Plot.tip(
        data,
        Plot.pointerY({
          y: "label",
          x: "to",
          title: (d: (typeof data)[number]) =>
            `${d.full} at its ${d.end} (${axisNumber(d.value)})\nS(${month}) = ${percent(d.to)} (baseline ${percent(d.from)})`,
        }),
      ),
    ],
  });
  return { el, legend, points: data.length };
}
