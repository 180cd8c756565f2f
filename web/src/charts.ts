// The dashboard's charts, drawn with Observable Plot as SVG. Each takes the run result and
// the width it may use, and returns a fresh element; hovering shows values (Plot's pointer tips).

import * as Plot from "@observablehq/plot";
import type { RunResult, SeriesPoint } from "../../src/engine/result.js";
import { formatMoney, monthLabel, percent } from "./format.js";
import type { TornadoRow } from "./protocol.js";

const blue = "#2563eb";
const orange = "#ea580c";

function valueFormat(unit: string | undefined): (x: number) => string {
  return unit && /usd|\$/i.test(unit) ? formatMoney : (x: number) => String(Number(x.toPrecision(3)));
}

/** The fan chart of one series: 5–95 and 25–75 bands and the median, per month. */
export function fanChart(
  points: readonly SeriesPoint[],
  options: { name: string; unit?: string; start: string; width: number },
): SVGSVGElement | HTMLElement {
  const fmt = valueFormat(options.unit ?? (/cash|revenue|cost|burn|funding/i.test(options.name) ? "USD" : undefined));
  const data = points.map((p) => ({ ...p, date: monthLabel(options.start, p.month) }));
  return Plot.plot({
    width: options.width,
    height: 260,
    marginLeft: 64,
    x: { label: "month", grid: false },
    y: { label: options.name, grid: true, tickFormat: fmt },
    marks: [
      Plot.areaY(data, { x: "month", y1: "p5", y2: "p95", fill: blue, fillOpacity: 0.15 }),
      Plot.areaY(data, { x: "month", y1: "p25", y2: "p75", fill: blue, fillOpacity: 0.3 }),
      Plot.lineY(data, { x: "month", y: "p50", stroke: blue, strokeWidth: 2 }),
      Plot.ruleY([0], { stroke: "#888" }),
      Plot.tip(
        data,
        Plot.pointerX({
          x: "month",
          y: "p50",
          title: (d: (typeof data)[number]) =>
            `${d.date} (month ${d.month})\nmedian ${fmt(d.p50)}\n25–75%: ${fmt(d.p25)} – ${fmt(d.p75)}\n5–95%: ${fmt(d.p5)} – ${fmt(d.p95)}\nmean ${fmt(d.mean)}`,
        }),
      ),
    ],
  });
}

interface SurvivalLine {
  label: string;
  result: RunResult;
}

/** S(t) with its 95% band; a second curve overlaid when comparing. */
export function survivalChart(lines: readonly SurvivalLine[], width: number): SVGSVGElement | HTMLElement {
  const colors = [blue, orange];
  const data = lines.flatMap((line, i) =>
    line.result.survival.map((s) => ({
      ...s,
      which: line.label,
      color: colors[i % colors.length]!,
      date: monthLabel(line.result.start, s.month),
    })),
  );
  const marks: Plot.Markish[] = [];
  lines.forEach((line, i) => {
    const own = data.filter((d) => d.which === line.label);
    marks.push(Plot.areaY(own, { x: "month", y1: "low", y2: "high", fill: colors[i], fillOpacity: 0.18 }));
    marks.push(Plot.lineY(own, { x: "month", y: "alive", stroke: colors[i], strokeWidth: 2 }));
  });
  marks.push(
    Plot.tip(
      data,
      Plot.pointerX({
        x: "month",
        y: "alive",
        stroke: "color",
        title: (d: (typeof data)[number]) =>
          `${d.which}\n${d.date} (month ${d.month})\nS = ${percent(d.alive)} (95%: ${percent(d.low)} – ${percent(d.high)})`,
      }),
    ),
  );
  return Plot.plot({
    width,
    height: 240,
    marginLeft: 48,
    x: { label: "month" },
    y: { label: "share alive", domain: [0, 1], grid: true, tickFormat: (x: number) => percent(x, 0) },
    ...(lines.length > 1 ? { color: { legend: true, domain: lines.map((l) => l.label), range: colors } } : {}),
    marks,
  });
}

/** Death months; the last bar is the paths alive at the horizon. */
export function runwayHistogram(result: RunResult, width: number): SVGSVGElement | HTMLElement {
  const data = result.runway.counts.map((count, k) => ({
    month: k + 1,
    share: result.paths > 0 ? count / result.paths : 0,
    alive: k + 1 > result.horizon,
    label: k + 1 > result.horizon ? "alive at the horizon" : `dies in ${monthLabel(result.start, k + 1)}`,
  }));
  return Plot.plot({
    width,
    height: 220,
    marginLeft: 48,
    x: {
      label: "death month (last bar: alive at the horizon)",
      tickFormat: (m: number) => (m % 6 === 0 ? String(m) : ""),
    },
    y: { label: "share of paths", grid: true, tickFormat: (x: number) => percent(x, 0) },
    marks: [
      Plot.barY(data, { x: "month", y: "share", fill: (d: (typeof data)[number]) => (d.alive ? "#16a34a" : orange) }),
      Plot.tip(
        data,
        Plot.pointerX({
          x: "month",
          y: "share",
          title: (d: (typeof data)[number]) => `${d.label}: ${percent(d.share)}`,
        }),
      ),
    ],
  });
}

/** Each param held at its 10th and 90th percentile: S(month) either side of the baseline. */
export function tornadoChart(rows: readonly TornadoRow[], base: number, month: number, width: number) {
  const data = rows.flatMap((r) => [
    { label: r.label, end: "10th percentile", from: base, to: r.low, value: r.lowValue },
    { label: r.label, end: "90th percentile", from: base, to: r.high, value: r.highValue },
  ]);
  return Plot.plot({
    width,
    height: 40 + rows.length * 26,
    marginLeft: Math.min(220, width * 0.45),
    x: { label: `S(${month})`, tickFormat: (x: number) => percent(x, 0), grid: true },
    y: { label: null, domain: rows.map((r) => r.label) },
    color: { legend: true, domain: ["10th percentile", "90th percentile"], range: ["#93c5fd", blue] },
    marks: [
      Plot.barX(data, { y: "label", x1: "from", x2: "to", fill: "end" }),
      Plot.ruleX([base]),
      Plot.tip(
        data,
        Plot.pointerY({
          y: "label",
          x: "to",
          title: (d: (typeof data)[number]) =>
            `${d.label} at its ${d.end} (${Number(d.value.toPrecision(3))})\nS(${month}) = ${percent(d.to)} (baseline ${percent(d.from)})`,
        }),
      ),
    ],
  });
}
