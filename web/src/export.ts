// Downloads from the page: a chart as SVG or PNG (with its title, the scenario, the levers and
// held values, and a legend, so the file stands on its own), results as CSV, the workbook as
// XLSX (built on the server by the same writer as `outlast run --xlsx`).

import type { RunResult } from "../../src/engine/result.js";
import type { LegendItem } from "./charts.js";
import { monthLabel } from "./format.js";

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What an exported chart says about itself, above and below the plot. */
export interface ChartCaption {
  title: string;
  /** Lines under the title: the scenario, the levers and held values, the paths. */
  lines: string[];
  legend: LegendItem[];
}

const SVG_NS = "http://www.w3.org/2000/svg";

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);
}

/**
 * The chart as one standalone SVG: the title and caption lines on top, the plot (the chart's
 * own `svg.plot`, never a legend swatch), the legend below. Returns its text and size.
 */
export function composeSvg(
  plot: SVGSVGElement,
  caption: ChartCaption,
): { text: string; width: number; height: number } {
  const width = plot.width.baseVal.value || plot.clientWidth;
  const height = plot.height.baseVal.value || plot.clientHeight;
  const copy = plot.cloneNode(true) as SVGSVGElement;
  copy.querySelectorAll("[aria-label='tip']").forEach((n) => n.remove());
  const top = 28 + 18 * caption.lines.length;
  const legendRows = Math.ceil(caption.legend.length / 3);
  const bottom = 12 + 20 * legendRows;
  copy.setAttribute("x", "0");
  copy.setAttribute("y", String(top));
  const out: string[] = [
    `<svg xmlns="${SVG_NS}" width="${width}" height="${top + height + bottom}" viewBox="0 0 ${width} ${top + height + bottom}" font-family="system-ui, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="20" font-size="15" font-weight="600" fill="#111">${escapeXml(caption.title)}</text>`,
    ...caption.lines.map((l, i) => `<text x="8" y="${38 + 18 * i}" font-size="12" fill="#444">${escapeXml(l)}</text>`),
    new XMLSerializer().serializeToString(copy),
  ];
  const colWidth = Math.max(140, Math.floor((width - 16) / 3));
  caption.legend.forEach((item, i) => {
    const x = 8 + (i % 3) * colWidth;
    const y = top + height + 8 + 20 * Math.floor(i / 3);
    out.push(`<rect x="${x}" y="${y}" width="12" height="12" fill="${escapeXml(item.color)}"/>`);
    out.push(`<text x="${x + 18}" y="${y + 10}" font-size="12" fill="#222">${escapeXml(item.label)}</text>`);
  });
  out.push("</svg>");
  return { text: out.join("\n"), width, height: top + height + bottom };
}

/** The chart's plot: Plot marks it with class "plot-…" on the svg that holds the marks. */
export function plotOf(container: HTMLElement): SVGSVGElement | null {
  return container.querySelector<SVGSVGElement>("svg[class^='plot-']:not([class*='swatch'])") ?? null;
}

export function downloadSvg(container: HTMLElement, caption: ChartCaption, filename: string): void {
  const plot = plotOf(container);
  if (plot) download(new Blob([composeSvg(plot, caption).text], { type: "image/svg+xml" }), filename);
}

/** Renders the composed SVG onto a canvas at twice its size and saves it as PNG. */
export async function downloadPng(container: HTMLElement, caption: ChartCaption, filename: string): Promise<void> {
  const plot = plotOf(container);
  if (!plot) return;
  const { text, width, height } = composeSvg(plot, caption);
  const image = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("the chart could not be drawn as an image"));
      image.src = url;
    });
    const scale = 2;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = "white";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(scale, scale);
    ctx.drawImage(image, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    if (blob) download(blob, filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}

function csvCell(x: string | number): string {
  if (typeof x === "number") return Number.isFinite(x) ? String(x) : "";
  return /[",\n]/.test(x) ? `"${x.replaceAll('"', '""')}"` : x;
}

/** What produced the exported figures: written at the top of the CSV as `# key: value` lines. */
export interface CsvContext {
  scenario: string;
  version?: string;
  textHash: string;
  levers: string[];
  fixed: Record<string, number>;
}

/**
 * One row per month: survival with its interval and standard error, then each reported
 * series' mean and percentiles (`cash_p5`, …), so the file opens as one sheet. Dates are
 * YYYY-MM as the CLI writes them; `#` lines on top say which scenario, levers, held values,
 * paths and seed (pandas: `read_csv(comment="#")`).
 */
export function resultCsv(result: RunResult, ctx: CsvContext): string {
  const held = Object.entries(ctx.fixed).map(([k, x]) => `${k}=${x}`);
  const lines = [
    `# scenario: ${ctx.scenario}${ctx.version ? ` (${ctx.version})` : ""}, text #${ctx.textHash}`,
    `# levers: ${ctx.levers.length ? ctx.levers.join(" ") : "none"}`,
    `# held: ${held.length ? held.join(" ") : "none"}`,
    `# paths: ${result.paths}, seed: ${result.seed}, start: ${result.start}, horizon: ${result.horizon}`,
  ];
  const names = Object.keys(result.series);
  const stats = ["mean", "p5", "p25", "p50", "p75", "p95"] as const;
  const header = ["month", "date", "alive", "alive_low", "alive_high", "alive_se"];
  for (const n of names) for (const s of stats) header.push(`${n}_${s}`);
  const rows: (string | number)[][] = [header];
  for (const s of result.survival) {
    const row: (string | number)[] = [s.month, monthLabel(result.start, s.month), s.alive, s.low, s.high, s.se];
    for (const n of names) {
      const p = result.series[n]![s.month - 1];
      for (const k of stats) row.push(p ? p[k] : "");
    }
    rows.push(row);
  }
  return lines.join("\n") + "\n" + rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}
