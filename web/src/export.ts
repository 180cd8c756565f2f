// Downloads from the page: a chart as SVG or PNG, results as CSV, the workbook as XLSX
// (built on the server by the same writer as `outlast run --xlsx`).

import type { RunResult } from "../../src/engine/result.js";
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

/** The chart's SVG as a standalone file (Plot puts its styles inside the SVG). */
export function svgText(container: HTMLElement): string | undefined {
  const svg = container.querySelector("svg");
  if (!svg) return undefined;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.querySelectorAll("[aria-label='tip']").forEach((n) => n.remove());
  if (!copy.getAttribute("style")?.includes("background")) copy.style.background = "white";
  return new XMLSerializer().serializeToString(copy);
}

export function downloadSvg(container: HTMLElement, filename: string): void {
  const text = svgText(container);
  if (text) download(new Blob([text], { type: "image/svg+xml" }), filename);
}

/** Renders the SVG onto a canvas at twice its size and saves it as PNG. */
export async function downloadPng(container: HTMLElement, filename: string): Promise<void> {
  const text = svgText(container);
  const svg = container.querySelector("svg");
  if (!text || !svg) return;
  const width = svg.width.baseVal.value || svg.clientWidth;
  const height = svg.height.baseVal.value || svg.clientHeight;
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

/**
 * One row per month: survival with its interval and standard error, then each reported
 * series' mean and percentiles (`cash_p5`, …), so the file opens as one sheet.
 */
export function resultCsv(result: RunResult): string {
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
  return rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}
