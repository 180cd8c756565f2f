// A self-contained HTML report: inline CSS and SVG charts drawn here, no script and no external
// reference, so the file opens offline, in a mail attachment, or years from now.

import type { RunResult, SeriesPoint, SurvivalPoint } from "../engine/result.js";
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
import type { ConditionsTable, FullReport, FundingGoal, TornadoChart } from "./report-data.js";
import { conditionsHeading, formatValue, fundingNote, tornadoGivenNote } from "./conditions.js";
import { formatAmount } from "../analysis/format.js";

export const W = 640;
export const H = 260;
export const M = { top: 16, right: 16, bottom: 32, left: 64 };

export function renderHtml(report: FullReport): string {
  const { result } = report;
  const parts: string[] = [];
  parts.push(`<h1>${esc(result.scenario)}</h1>`);
  parts.push(
    `<p class="meta">${esc(result.file)} · ${result.paths.toLocaleString("en-US")} paths · seed ${result.seed} · ${result.horizon} months from ${esc(result.start)}` +
      (result.levers.length > 0 ? ` · levers: ${esc(result.levers.join(", "))}` : "") +
      (result.partial ? ` · <strong>partial run</strong>` : "") +
      `</p>`,
  );
  parts.push(summaryTable(result));
  parts.push(
    `<h2>Survival curve</h2><p>Share of paths still alive at the end of each month, with its 95% interval.</p>`,
  );
  parts.push(survivalSvg(result.survival, result.start));
  for (const [name, points] of Object.entries(result.series)) {
    const unit = report.units?.[name];
    parts.push(
      `<h2>${esc(name)}${unit ? ` <small>(${esc(unit)})</small>` : ""}</h2><p>Median, 25th–75th and 5th–95th percentiles by month.</p>`,
    );
    parts.push(fanSvg(name, points, result.start, formatterFor(report.units?.[name])));
  }
  parts.push(`<h2>Runway</h2><p>Month in which paths run out (the last bar: alive at the horizon).</p>`);
  parts.push(runwaySvg(result));
  for (const c of report.calendars ?? (report.calendar ? [report.calendar] : [])) {
    const rows = c.lines.map(
      (l) =>
        `<tr><th>${esc(l.name)}</th><td>${l.reported === undefined ? "n/a" : formatMoney(l.reported)}</td><td>${formatMoney(l.simulated)}</td><td>${l.total === undefined ? "n/a" : formatMoney(l.total)}</td><td>${l.expectedLow === l.expectedHigh ? "≈ " + formatMoney(l.expectedLow) : formatMoney(l.expectedLow) + "–" + formatMoney(l.expectedHigh)}</td></tr>`,
    );
    parts.push(
      `<h2>Calendar ${c.year}</h2><p>The model against what was reported (${esc(c.source)}).</p>` +
        `<table><tr><th></th><th>reported (${c.reportedMonths} mo)</th><th>simulated mean (${c.simulatedMonths} mo)</th><th>calendar ${c.year}</th><th>reported for the year</th></tr>${rows.join("")}</table>` +
        c.notes.map((n) => `<p class="note">${esc(n)}</p>`).join(""),
    );
  }
  if (report.conditions) parts.push(conditionsHtml(report.conditions));
  if (report.fundingGoal) parts.push(fundingGoalHtml(report.fundingGoal, result.start));
  if (report.tornado) parts.push(tornadoHtml(report.tornado));
  for (const note of report.notes ?? []) parts.push(`<p class="note">${esc(note)}</p>`);
  return htmlPage(`${result.scenario} — outlast report`, parts.join("\n"), intervalZ(result.replicates));
}

/** A whole self-contained page around a report's body: inline CSS, no script. */
export function htmlPage(title: string, body: string, z: number): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; max-width: 720px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
.meta, .note { color: #666; font-size: 0.9em; }
.reading { background: #f6f8fa; padding: 0.6em 0.9em; border-left: 3px solid #4a7fc1; }
table { border-collapse: collapse; margin: 0.5em 0; } th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child { text-align: left; } svg { display: block; max-width: 100%; height: auto; }
svg text { font: 11px system-ui, sans-serif; fill: #555; }
</style>
</head>
<body>
${body}
<p class="note">Made by outlast. Every probability carries its Monte Carlo error: ± is a 95% interval, ${intervalLabel(z)}${z > 1.97 ? " (Student's t over the sampling's independent replicates)" : ""}.</p>
</body>
</html>
`;
}

function conditionsHtml(c: ConditionsTable): string {
  const s = `S(${c.month})`;
  const rows = c.rows.map(
    (r) =>
      `<tr><th>${esc(r.label)} <code>${esc(r.lever)}</code></th><td>${formatShare(r.alive, r.se, c.z95)}</td><td>${formatDifference(r.effect, r.effectSe, c.z95)}${r.clear ? "" : " (≈ 0)"}</td></tr>`,
  );
  const pairs = c.interactions.map(
    (e) =>
      `<tr><th>${esc(e.levers.join(" × "))}</th><td>${formatDifference(e.effect, e.se, c.z95)}${e.clear ? "" : " (≈ 0)"}</td></tr>`,
  );
  return (
    `<h2>The conditions</h2><p>${esc(conditionsHeading(c))}, ${c.paths.toLocaleString("en-US")} paths each (seed ${c.seed}), with the same random draws in each. ` +
    (c.rows.length > 1
      ? `The main effect is ${s} with the lever on minus off, averaged over every setting of the others; an interaction is what a pair adds beyond the sum of its separate effects. Both are paired estimates, ± ${intervalLabel(c.z95)}.</p>`
      : `The main effect is ${s} with the lever on minus off, a paired estimate, ± ${intervalLabel(c.z95)}.</p>`) +
    `<table><tr><th>condition</th><th>${s} alone</th><th>main effect</th></tr>` +
    `<tr><th>${c.rows.length === 1 ? "lever off" : "none of them"}</th><td>${formatShare(c.none.alive, c.none.se, c.z95)}</td><td></td></tr>${rows.join("")}` +
    (c.rows.length > 1
      ? `<tr><th>all ${c.rows.length} together</th><td>${formatShare(c.all.alive, c.all.se, c.z95)}</td><td></td></tr>`
      : "") +
    `</table>` +
    (pairs.length ? `<table><tr><th>largest interactions</th><th>on ${s}</th></tr>${pairs.join("")}</table>` : "") +
    `<p class="reading">${esc(c.reading)}</p>`
  );
}

function fundingGoalHtml(g: FundingGoal, start: string): string {
  const stat = g.target.replace(/\s*(>=|>).*$/, "").replace(/^alive@(\d+)$/, "S($1)");
  const uncertain = g.closesParam !== undefined;
  const rows = g.rows.map((r) => {
    const when = `<th>month ${r.month} (${monthLabel(start, r.month)})</th>`;
    if (!r.reached)
      return `<tr>${when}<td colspan="${uncertain ? 4 : 3}">not reachable (best ${stat} ${formatShare(r.achieved, r.achievedSe, g.z95)} at ${formatMoney(r.value)})</td></tr>`;
    const low = r.low === null ? `below ${formatMoney(g.range[0])}` : formatMoney(r.low);
    const high = r.high === null ? `beyond ${formatMoney(g.range[1])}` : formatMoney(r.high);
    return (
      `<tr>${when}<td>${formatMoney(r.value)}</td><td>${low} – ${high}</td><td>${formatShare(r.achieved, r.achievedSe, g.z95)}</td>` +
      (uncertain ? `<td>${r.uncertain ? formatShare(r.uncertain.alive, r.uncertain.se, g.z95) : ""}</td>` : "") +
      `</tr>`
    );
  });
  return (
    `<h2>How much must be raised, and by when</h2><p>The least <code>${esc(g.param)}</code> that reaches <code>${esc(g.target)}</code>, by bisection on common random numbers over ${formatMoney(g.range[0])}–${formatMoney(g.range[1])}` +
    (g.levers.length ? ` (levers on: ${esc(g.levers.join(", "))})` : "") +
    `, ${g.paths.toLocaleString("en-US")} paths per evaluation; the bracket is what the Monte Carlo error (±${g.z} SE) leaves.</p>` +
    `<table><tr><th>round closes in</th><th>least ${esc(g.param)}</th><th>bracket</th><th>${stat} at that amount</th>${uncertain ? `<th>${stat} if the close is uncertain</th>` : ""}</tr>${rows.join("")}</table>` +
    `<p class="reading">${esc(fundingNote(g, stat))}</p>`
  );
}

function tornadoHtml(t: TornadoChart): string {
  const s = t.output.replace(/^alive@(\d+)$/, "S($1)");
  const given = tornadoGivenNote(t.bars);
  return (
    `<h2>What moves ${s} most</h2><p>${t.bars.length === t.varied ? `The ${t.varied} param${t.varied === 1 ? "" : "s"}` : `The top ${t.bars.length} of ${t.varied} params`}: each held at its 10th (light) and then its 90th percentile (dark) while the others stay random, with no lever on; ` +
    `the line is ${s} with every param random (${formatShare(t.base, t.baseSe, t.z95)}). ${t.paths.toLocaleString("en-US")} paths per end.` +
    `${given === undefined ? "" : ` ${esc(given)}`}</p>` +
    tornadoSvg(t)
  );
}

/** Horizontal tornado bars: from the base line to the output at the param's 10th and 90th percentiles. */
export function tornadoSvg(t: TornadoChart): string {
  if (t.bars.length === 0) return `<p class="note">no params to draw</p>`;
  const left = 250;
  const rowH = 34;
  const height = M.top + rowH * t.bars.length + M.bottom;
  const values = t.bars.flatMap((b) => [b.low, b.high]).concat(t.base);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!(hi > lo)) [lo, hi] = [lo - 0.005, hi + 0.005];
  const pad = (hi - lo) * 0.05;
  lo = Math.max(0, lo - pad);
  hi = Math.min(1, hi + pad);
  const x = (v: number) => left + ((v - lo) / (hi - lo || 1)) * (W - left - M.right);
  const out: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    const xv = x(v).toFixed(1);
    out.push(`<line x1="${xv}" x2="${xv}" y1="${M.top}" y2="${height - M.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${xv}" y="${height - M.bottom + 16}" text-anchor="middle">${esc(formatPercent(v, 1))}</text>`);
  }
  t.bars.forEach((b, i) => {
    const y = M.top + i * rowH + 6;
    const h = rowH - 12;
    const bar = (v: number, fill: string) => {
      const a = Math.min(x(v), x(t.base));
      const w = Math.max(1, Math.abs(x(v) - x(t.base)));
      return `<rect x="${a.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${h}" fill="${fill}"/>`;
    };
    out.push(bar(b.low, "#9dbde3"), bar(b.high, "#1f4e8c"));
    out.push(
      `<text x="${left - 8}" y="${y + h / 2 - 6}" text-anchor="end" dominant-baseline="middle">${esc(b.param)}</text>` +
        `<text x="${left - 8}" y="${y + h / 2 + 7}" text-anchor="end" dominant-baseline="middle">${esc(`${formatValue(b.lowValue, b.unit)} → ${formatValue(b.highValue, b.unit)}`)}</text>`,
    );
    // The ends' values beside the bar: right of it, else left of it, else (a bar across the
    // whole chart) on it, with a white halo.
    const start = Math.min(x(b.low), x(b.high), x(t.base));
    const end = Math.max(x(b.low), x(b.high), x(t.base));
    const label = `${formatPercent(b.low)} → ${formatPercent(b.high)}`;
    const width = label.length * 6.5;
    const place =
      end + 6 + width <= W
        ? `x="${(end + 6).toFixed(1)}" text-anchor="start"`
        : start - 6 - width >= left
          ? `x="${(start - 6).toFixed(1)}" text-anchor="end"`
          : `x="${(start + 6).toFixed(1)}" text-anchor="start" stroke="white" stroke-width="3" paint-order="stroke"`;
    out.push(`<text ${place} y="${y + h / 2}" dominant-baseline="middle">${esc(label)}</text>`);
  });
  const xb = x(t.base).toFixed(1);
  out.push(
    `<line x1="${xb}" x2="${xb}" y1="${M.top - 4}" y2="${height - M.bottom}" stroke="#222" stroke-width="1.5"/>`,
  );
  return `<svg viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(`tornado of ${t.output}`)}">${out.join("")}</svg>`;
}

function summaryTable(result: RunResult): string {
  const rows: string[] = [];
  for (const m of summaryMonths(result.horizon)) {
    const s = result.survival[m - 1];
    if (s)
      rows.push(
        `<tr><th>alive after ${m} months (${monthLabel(result.start, m)})</th><td>${formatSurvival(s, intervalZ(result.replicates))}</td></tr>`,
      );
  }
  const r = result.runway;
  rows.push(
    `<tr><th>median runway</th><td>${r.median > result.horizon ? `&gt; ${result.horizon}` : formatMonths(r.median)} months</td></tr>`,
  );
  if (result.shortfall) {
    rows.push(`<tr><th>shortfall, median path</th><td>${formatMoney(result.shortfall.p50)}</td></tr>`);
    rows.push(`<tr><th>shortfall, 90th percentile</th><td>${formatMoney(result.shortfall.p90)}</td></tr>`);
  }
  return `<table>${rows.join("")}</table>`;
}

export interface Scale {
  x(month: number): number;
  y(v: number): number;
}

export function scales(firstMonth: number, lastMonth: number, lo: number, hi: number): Scale {
  const span = hi - lo || 1;
  const months = lastMonth - firstMonth || 1;
  return {
    x: (m) => M.left + ((m - firstMonth) / months) * (W - M.left - M.right),
    y: (v) => H - M.bottom - ((v - lo) / span) * (H - M.top - M.bottom),
  };
}

export function frame(
  s: Scale,
  start: string,
  first: number,
  last: number,
  lo: number,
  hi: number,
  fmt: (v: number) => string,
  lastLabel?: string,
): string {
  const out: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    const y = s.y(v).toFixed(1);
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(fmt(v))}</text>`);
  }
  // Year ticks between the ends, leaving out any too close to an end's label to be read.
  const clear = (m: number) => Math.min(Math.abs(s.x(m) - s.x(first)), Math.abs(s.x(m) - s.x(last))) >= 70;
  const ticks = new Set([
    first,
    last,
    ...[12, 24, 36, 48, 60, 72, 84, 96, 108, 120].filter((m) => m > first && m < last && clear(m)),
  ]);
  for (const m of ticks) {
    const anchor = m === first ? "start" : m === last ? "end" : "middle";
    const label = m === last && lastLabel !== undefined ? lastLabel : monthLabel(start, m);
    out.push(`<text x="${s.x(m).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="${anchor}">${esc(label)}</text>`);
  }
  if (lo < 0 && hi > 0)
    out.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${s.y(0).toFixed(1)}" y2="${s.y(0).toFixed(1)}" stroke="#999"/>`,
    );
  return out.join("");
}

export function band<T extends { month: number }>(
  points: readonly T[],
  s: Scale,
  lo: (p: T) => number,
  hi: (p: T) => number,
): string {
  const top = points.map((p) => `${s.x(p.month).toFixed(1)},${s.y(hi(p)).toFixed(1)}`);
  const bottom = points.map((p) => `${s.x(p.month).toFixed(1)},${s.y(lo(p)).toFixed(1)}`).reverse();
  return [...top, ...bottom].join(" ");
}

export function line<T extends { month: number }>(points: readonly T[], s: Scale, v: (p: T) => number): string {
  return points.map((p) => `${s.x(p.month).toFixed(1)},${s.y(v(p)).toFixed(1)}`).join(" ");
}

export function svg(label: string, body: string): string {
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(label)}">${body}</svg>`;
}

/** Money for USD series (and series without a unit), otherwise three significant digits and the unit. */
export function formatterFor(unit: string | undefined): (v: number) => string {
  if (unit === undefined || /usd|\$/i.test(unit)) return formatMoney;
  return (v) => formatAmount(v, 3);
}

export function fanSvg(
  name: string,
  points: readonly SeriesPoint[],
  start: string,
  format: (v: number) => string = formatMoney,
): string {
  const finite = points.filter((p) => [p.p5, p.p95, p.p25, p.p75, p.p50].every(Number.isFinite));
  if (finite.length === 0) return `<p class="note">no finite values to draw</p>`;
  let lo = Math.min(...finite.map((p) => p.p5));
  let hi = Math.max(...finite.map((p) => p.p95));
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  const first = finite[0]!.month;
  const last = finite.at(-1)!.month;
  const s = scales(first, last, lo, hi);
  return svg(
    `fan chart of ${name}`,
    frame(s, start, first, last, lo, hi, format) +
      `<polygon class="band-outer" points="${band(
        finite,
        s,
        (p) => p.p5,
        (p) => p.p95,
      )}" fill="#4a7fc1" fill-opacity="0.18"/>` +
      `<polygon class="band-inner" points="${band(
        finite,
        s,
        (p) => p.p25,
        (p) => p.p75,
      )}" fill="#4a7fc1" fill-opacity="0.35"/>` +
      `<polyline points="${line(finite, s, (p) => p.p50)}" fill="none" stroke="#1f4e8c" stroke-width="2"/>`,
  );
}

export function survivalSvg(points: readonly SurvivalPoint[], start: string): string {
  if (points.length === 0) return `<p class="note">no months to draw</p>`;
  const first = points[0]!.month;
  const last = points.at(-1)!.month;
  const s = scales(first, last, 0, 1);
  return svg(
    "survival curve",
    frame(s, start, first, last, 0, 1, (v) => formatPercent(v, 0)) +
      `<polygon points="${band(
        points,
        s,
        (p) => p.low,
        (p) => p.high,
      )}" fill="#3a9a5b" fill-opacity="0.25"/>` +
      `<polyline points="${line(points, s, (p) => p.alive)}" fill="none" stroke="#2a7a43" stroke-width="2"/>`,
  );
}

export function runwaySvg(result: RunResult): string {
  const counts = result.runway.counts;
  const total = counts.reduce((a, b) => a + b, 0);
  if (counts.length === 0 || total === 0) return `<p class="note">no paths</p>`;
  const shares = counts.map((c) => c / total);
  const hi = Math.max(...shares);
  const s = scales(1, counts.length + 1, 0, hi);
  const barW = Math.max(1, (W - M.left - M.right) / counts.length - 1);
  const bars = shares
    .map((v, k) => {
      const x = s.x(k + 1);
      const y = s.y(v);
      const fill = k + 1 > result.horizon ? "#3a9a5b" : "#c1614a";
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${(s.y(0) - y).toFixed(1)}" fill="${fill}"/>`;
    })
    .join("");
  const axes = frame(s, result.start, 1, counts.length, 0, hi, (v) => formatPercent(v, 1), "alive");
  return svg("runway distribution", axes + bars);
}

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
