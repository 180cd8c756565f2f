// The survival curves of several scenarios on one chart — in the terminal (one letter a
// scenario), as SVG and in a self-contained HTML page — for `outlast compare`.

import type { CompareResult } from "../analysis/compare.js";
import { scenarioLabels } from "../analysis/compare.js";
import { intervalZ } from "../engine/stats/index.js";
import { formatDifference, formatPercent, formatSurvival, monthLabel, summaryMonths } from "./format.js";
import { esc, frame, H, htmlPage, line, M, scales, svg, W } from "./html.js";

/** Distinct at a glance and for the common colour blindnesses (Okabe and Ito's palette). */
const COLOURS = ["#000000", "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442"];

/** The letter that marks scenario k in the terminal chart and its legend. */
export function marker(k: number): string {
  return k < 26 ? String.fromCharCode(65 + k) : String(k + 1);
}

/**
 * S(t) of every scenario as text: a grid `width` columns by `height` rows from 0% to 100%,
 * each scenario drawn with its own letter, `*` where two or more fall on one cell.
 */
export function survivalCurvesText(r: CompareResult, width = 72, height = 12): string {
  const columns = width;
  const grid = Array.from({ length: height + 1 }, () => Array<string>(columns).fill(" "));
  const monthAt = (c: number) => (columns === 1 ? r.horizon : 1 + Math.round((c * (r.horizon - 1)) / (columns - 1)));
  r.scenarios.forEach((s, k) => {
    for (let c = 0; c < columns; c++) {
      const alive = s.survival[monthAt(c) - 1]!.alive;
      const row = height - Math.round(alive * height);
      const cell = grid[row]![c]!;
      grid[row]![c] = cell === " " || cell === marker(k) ? marker(k) : "*";
    }
  });
  const lines = grid.map((cells, row) => {
    const share = (height - row) / height;
    const label = row % (height / 4) === 0 ? formatPercent(share, 0) : "";
    return `${label.padStart(5)} ┤${cells.join("")}`;
  });
  const left = monthLabel(r.scenarios[0]!.start, 1);
  const right = monthLabel(r.scenarios[0]!.start, r.horizon);
  lines.push(`${" ".repeat(7)}${left}${" ".repeat(Math.max(1, columns - left.length - right.length))}${right}`);
  const labels = scenarioLabels(r.scenarios);
  lines.push(...labels.map((label, k) => `${" ".repeat(7)}${marker(k)}  ${label}`));
  return ["Survival S(t) of each scenario (* where curves meet)", ...lines].join("\n");
}

/** S(t) of every scenario as one SVG chart with a legend; the base's 95% band is shaded. */
export function survivalCurvesSvg(r: CompareResult): string {
  const s = scales(1, r.horizon, 0, 1);
  const labels = scenarioLabels(r.scenarios);
  const curves = r.scenarios.map((sc, k) => {
    const colour = COLOURS[k % COLOURS.length]!;
    const dash = k >= COLOURS.length ? ` stroke-dasharray="6 3"` : "";
    return `<polyline points="${line(sc.survival, s, (p) => p.alive)}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`;
  });
  const legend = labels.map((label, k) => {
    const y = H + 4 + 16 * k;
    const x = M.left;
    return (
      `<line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${COLOURS[k % COLOURS.length]}" stroke-width="2"/>` +
      `<text x="${x + 24}" y="${y}" dominant-baseline="middle">${esc(label)}</text>`
    );
  });
  const height = H + 16 * labels.length + 4; // the legend goes under the x axis
  const body =
    frame(s, r.scenarios[0]!.start, 1, r.horizon, 0, 1, (v) => formatPercent(v, 0)) + curves.join("") + legend.join("");
  return svg("survival curves of the compared scenarios", body).replace(
    `viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"`,
    `viewBox="0 0 ${W} ${height}" width="${W}" height="${height}"`,
  );
}

/** The comparison as a self-contained HTML page: the chart, the table of S(t), the differences. */
export function comparisonHtml(r: CompareResult): string {
  const labels = scenarioLabels(r.scenarios);
  const months = summaryMonths(r.horizon);
  const z = intervalZ(r.replicates);
  const head = `<tr><th>scenario</th>${months.map((m) => `<th>S(${m}) · ${esc(monthLabel(r.scenarios[0]!.start, m))}</th>`).join("")}</tr>`;
  const rows = r.scenarios.map(
    (s, k) =>
      `<tr><th>${esc(labels[k]!)}</th>${months.map((m) => `<td>${esc(formatSurvival(s.survival[m - 1]!, z))}</td>`).join("")}</tr>`,
  );
  const diffs = r.differences.map(
    (d) =>
      `<tr><th>${esc(labels[d.other]!)} − ${esc(labels[0]!)}${d.shared.length ? " (paired)" : " (independent)"}</th>${months
        .map((m) => `<td>${esc(formatDifference(d.months[m - 1]!.diff, d.months[m - 1]!.se, z))}</td>`)
        .join("")}</tr>`,
  );
  const title = `Compared: ${labels.join(", ")}`;
  const body = [
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">${r.paths.toLocaleString("en-US")} paths each · seed ${r.seed} · ${r.horizon} months` +
      (r.levers.length ? ` · levers on: ${esc(r.levers.join(", "))}` : "") +
      `</p>`,
    `<h2>Survival curves</h2>`,
    survivalCurvesSvg(r),
    `<table>${head}${rows.join("")}</table>`,
    `<h2>Differences from ${esc(labels[0]!)}</h2>`,
    `<table>${head.replace("<th>scenario</th>", "<th></th>")}${diffs.join("")}</table>`,
    ...r.summary.map((line) => `<p class="note">${esc(line.trim())}</p>`),
  ];
  return htmlPage(`${title} — outlast`, body.join("\n"), z);
}
