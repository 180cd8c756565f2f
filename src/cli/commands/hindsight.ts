// `outlast hindsight`: the scenario's forecast against its `actuals:`; with `views:`, every
// view scored beside the baseline on the same paths and seed.

import { hindsightWithViews, type HindsightActual, type HindsightResult } from "../../analysis/index.js";
import { plainTable, prepareAnalysis, share, toJson, withAnalysis, type AnalysisFlags } from "./levers.js";
import { formatAmount } from "../../analysis/format.js";

export async function hindsightCommand(scenario: string, flags: AnalysisFlags): Promise<void> {
  const prepared = prepareAnalysis(scenario, flags, 100_000);
  const result = await withAnalysis(prepared, (options) => hindsightWithViews(prepared.model, options));
  if (flags.json) {
    process.stdout.write(toJson(result) + "\n");
    return;
  }
  process.stdout.write(renderHindsight(result) + "\n");
}

const num = (x: number): string => formatAmount(x, 3);

const where = (a: HindsightActual): string =>
  a.percentile !== null ? share(a.percentile) : a.probability !== null ? `P = ${share(a.probability)}` : "not scored";
const score = (a: HindsightActual): string =>
  a.crps !== null ? num(a.crps) : a.brier !== null ? `Brier ${a.brier.toFixed(3)}` : "";
const short = (s: string): string => (s.length > 48 ? s.slice(0, 47) + "…" : s);

export function renderHindsight(r: HindsightResult): string {
  if (r.views && r.views.length > 0) return renderSideBySide(r);
  const out: string[] = [];
  out.push(
    `${r.scenario}: the forecast from ${r.start} against what happened (${r.paths.toLocaleString("en-US")} paths, seed ${r.seed})`,
  );
  const t = plainTable(["actual", "month", "value", "forecast 5–50–95%", "percentile / P(event)", "CRPS", "source"]);
  for (const a of r.actuals)
    t.push([
      a.series ?? `event: ${a.event}`,
      a.month,
      a.event !== undefined ? (a.value ? "happened" : "did not") : num(a.value),
      a.forecast ? `${num(a.forecast.p5)} – ${num(a.forecast.p50)} – ${num(a.forecast.p95)}` : "",
      where(a),
      score(a),
      short(a.source),
    ]);
  if (r.actuals.length) out.push(t.toString());
  out.push(...r.reading);
  return out.join("\n");
}

/** The baseline and each view, actual by actual, then each one's reading. */
function renderSideBySide(r: HindsightResult): string {
  const views = r.views!;
  const out: string[] = [];
  out.push(
    `${r.scenario}: the scenario as written and its ${views.length === 1 ? "view" : "views"} ${views.map((v) => `'${v.view}'`).join(", ")} from ${r.start} against what happened ` +
      `(${r.paths.toLocaleString("en-US")} paths, seed ${r.seed}, the same draws for each)`,
  );
  const head = ["actual", "month", "value"];
  for (const name of ["as written", ...views.map((v) => v.view)]) head.push(`${name}: 5–50–95%`, "pct / P", "score");
  const t = plainTable(head);
  r.actuals.forEach((a, i) => {
    const row = [
      a.series ?? `event: ${a.event}`,
      a.month,
      a.event !== undefined ? (a.value ? "happened" : "did not") : num(a.value),
    ];
    for (const x of [a, ...views.map((v) => v.result.actuals[i]!)])
      row.push(
        x.forecast ? `${num(x.forecast.p5)} – ${num(x.forecast.p50)} – ${num(x.forecast.p95)}` : "",
        where(x),
        score(x),
      );
    t.push(row);
  });
  if (r.actuals.length) out.push(t.toString());
  out.push("", "As written (the scenario's baseline):", ...r.reading.map((l) => `  ${l}`));
  for (const v of views) out.push("", `View '${v.view}' (${v.label}):`, ...v.result.reading.map((l) => `  ${l}`));
  const sources = r.actuals.map((a, i) => `  ${i + 1}. ${a.series ?? a.event} ${a.month}: ${short(a.source)}`);
  if (sources.length) out.push("", "Sources:", ...sources);
  return out.join("\n");
}
