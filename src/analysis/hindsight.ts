// Hindsight: the forecast against what happened.
//
// For each actual in the scenario's `actuals:` the month is turned into a simulated month
// (the scenario's start is month 1), the series (or the survival event) is captured per path
// at that month, and the actual is placed in the forecast: its percentile (mid-rank in the
// exact per-path sample), the forecast's 5th/50th/95th percentiles, and its CRPS (crps.ts).
// Events: `alive` is scored against S(t); an event named after a series is scored against the
// probability that the series is nonzero that month (a funding round in `funding`, say). The
// run extends the horizon to cover the latest actual, so actuals past the scenario's horizon
// are still scored. Probabilities of events get a Brier score (p − outcome)².

import type { CompiledModel } from "../engine/index.js";
import type { Capture } from "../engine/options.js";
import type { ActualDef, Model, YearMonth } from "../lang/model.js";
import { formatAmount, formatPercent } from "./format.js";
import { crpsSorted, percentileOf, quantileSorted, sortedSample } from "./crps.js";
import { checkFixed, checkLevers, compiledOf, runVariant, variantPaths, type AnalysisRunOptions } from "./run.js";
import { viewsOf, withView } from "./views.js";

/**
 * The baseline's score and, beside it, each view's (`views:`), on the same paths and seed:
 * a view runs as one more lever switched on, so the draws are shared and the difference
 * between the scores is the view's, not noise.
 */
export async function hindsightWithViews(model: Model, options: AnalysisRunOptions = {}): Promise<HindsightResult> {
  const views = viewsOf(model);
  const step = (i: number): AnalysisRunOptions => ({
    ...options,
    onProgress: (done, total) => options.onProgress?.(i * total + done, (views.length + 1) * total),
  });
  const base = await hindsight(model, step(0));
  if (views.length === 0) return base;
  base.views = [];
  for (const [i, v] of views.entries()) {
    const result = await hindsight(withView(model, v.name), {
      ...step(i + 1),
      levers: [...(options.levers ?? []), v.name],
    });
    base.views.push({ view: v.name, label: v.label, result });
  }
  return base;
}

export interface HindsightActual {
  series?: string;
  event?: string;
  /** "YYYY-MM" */
  month: string;
  /** The simulated month (1 = the scenario's start); null when before the start. */
  t: number | null;
  value: number;
  source: string;
  note?: string;
  /** Series: where the actual fell in the forecast, 0..1 (null when not scored). */
  percentile: number | null;
  forecast: { p5: number; p50: number; p95: number; mean: number } | null;
  crps: number | null;
  /** Events: the forecast probability that it happens, and whether it did. */
  probability: number | null;
  happened: boolean | null;
  brier: number | null;
  reading: string;
}

export interface HindsightSeriesScore {
  series: string;
  actuals: number;
  /** Mean CRPS over its actuals, in the series' unit. */
  crps: number;
  /** Mean CRPS divided by the mean |actual|: a unit-free size of the miss. */
  relativeCrps: number;
  meanPercentile: number;
  /** Actuals inside the forecast's 5–95% band. */
  inside90: number;
}

export interface HindsightResult {
  scenario: string;
  start: string;
  paths: number;
  seed: number;
  horizon: number;
  actuals: HindsightActual[];
  scores: HindsightSeriesScore[];
  /** The `alive` events: did the company survive to that month, and what the forecast said. */
  survival: { month: string; happened: boolean; probability: number }[];
  reading: string[];
  /** The scenario's views (e.g. a forecast beside a counterfactual baseline), scored on the same paths and seed. */
  views?: HindsightView[];
}

/** One view's score, beside the baseline's. */
export interface HindsightView {
  view: string;
  label: string;
  result: HindsightResult;
}

const ym = (m: YearMonth): string => `${m.year}-${String(m.month).padStart(2, "0")}`;
const monthIndex = (start: YearMonth, m: YearMonth): number => (m.year - start.year) * 12 + (m.month - start.month) + 1;
const pct = formatPercent;
const num = (x: number): string => formatAmount(x, 3);

function readPercentile(name: string, p: number): string {
  if (p < 0.05) return `${name} came in below the forecast's 5th percentile: the forecast was too high`;
  if (p > 0.95) return `${name} came in above the forecast's 95th percentile: the forecast was too low`;
  if (p < 0.25) return `${name} was on the low side of the forecast (${pct(p)}), inside its 90% band`;
  if (p > 0.75) return `${name} was on the high side of the forecast (${pct(p)}), inside its 90% band`;
  return `${name} fell near the middle of the forecast (${pct(p)})`;
}

/** Scores the scenario's forecast against its `actuals:`. */
export async function hindsight(m: Model | CompiledModel, options: AnalysisRunOptions = {}): Promise<HindsightResult> {
  const compiled = compiledOf(m);
  const model = compiled.model;
  const levers = checkLevers(model, options.levers ?? []);
  checkFixed(model, options.fixed);
  const start = model.scenario.start;
  const actuals = model.scenario.actuals;
  const seriesNames = new Set(model.series.map((s) => s.name));

  // What to capture for each actual (null: it cannot be scored, with the reason).
  const plans = actuals.map((a): { capture: Capture; as: "series" | "alive" | "nonzero" } | string => {
    const t = monthIndex(start, a.month);
    if (t < 1) return `before the forecast starts (${ym(start)})`;
    if (t > 1200) return "more than 1200 months after the start";
    if (a.series !== undefined)
      return seriesNames.has(a.series)
        ? { capture: { kind: "series", name: a.series, month: t }, as: "series" }
        : `the scenario has no series '${a.series}'`;
    if (a.event === "alive") return { capture: { kind: "alive", month: t }, as: "alive" };
    if (a.event !== undefined && seriesNames.has(a.event))
      return { capture: { kind: "series", name: a.event, month: t }, as: "nonzero" };
    return `the model has no forecast for the event '${a.event ?? "?"}'`;
  });
  const captures = plans.filter((p) => typeof p !== "string").map((p) => p.capture);
  const horizon = Math.max(options.horizon ?? model.horizon, ...captures.map((c) => ("month" in c ? c.month : 0)));
  const paths = variantPaths(options, 100_000);
  const seed = options.seed ?? 1;
  const run =
    captures.length > 0
      ? await runVariant(compiled, { ...options, paths, seed, levers, horizon }, { capture: captures, horizon })
      : null;
  options.onProgress?.(1, 1);

  let k = 0;
  const scored: HindsightActual[] = actuals.map((a, i) => {
    const plan = plans[i]!;
    const t = monthIndex(start, a.month);
    const row: HindsightActual = {
      month: ym(a.month),
      t: t >= 1 ? t : null,
      value: a.value,
      source: a.source,
      percentile: null,
      forecast: null,
      crps: null,
      probability: null,
      happened: null,
      brier: null,
      reading: "",
    };
    if (a.series !== undefined) row.series = a.series;
    if (a.event !== undefined) row.event = a.event;
    if (a.note !== undefined) row.note = a.note;
    const label = a.series ?? a.event ?? "?";
    if (typeof plan === "string") {
      row.reading = `${label} ${ym(a.month)}: not scored, ${plan}`;
      return row;
    }
    const sample = run!.captures[k++]!;
    if (plan.as === "series") {
      const sorted = sortedSample(sample);
      let mean = 0;
      for (const x of sorted) mean += x;
      row.percentile = percentileOf(sorted, a.value);
      row.forecast = {
        p5: quantileSorted(sorted, 0.05),
        p50: quantileSorted(sorted, 0.5),
        p95: quantileSorted(sorted, 0.95),
        mean: mean / sorted.length,
      };
      row.crps = crpsSorted(sorted, a.value);
      row.reading =
        `${readPercentile(`${label} ${ym(a.month)}`, row.percentile)}: actual ${num(a.value)}, ` +
        `forecast median ${num(row.forecast.p50)} (90%: ${num(row.forecast.p5)}–${num(row.forecast.p95)}).`;
    } else {
      let hits = 0;
      for (let j = 0; j < sample.length; j++) if (plan.as === "alive" ? sample[j] === 1 : sample[j] !== 0) hits++;
      const p = hits / sample.length;
      const happened = a.value !== 0;
      row.probability = p;
      row.happened = happened;
      row.brier = (p - (happened ? 1 : 0)) ** 2;
      const what = plan.as === "alive" ? `alive at the end of ${ym(a.month)}` : `${label} in ${ym(a.month)}`;
      const surprise = happened ? p < 0.2 : p > 0.8;
      row.reading =
        `${what}: ${happened ? "happened" : "did not happen"}; the forecast gave it ${pct(p)}` +
        (surprise ? " (a surprise for the forecast)." : ".");
    }
    return row;
  });

  const scores: HindsightSeriesScore[] = [];
  for (const name of new Set(scored.filter((r) => r.crps !== null).map((r) => r.series!))) {
    const rows = scored.filter((r) => r.series === name && r.crps !== null);
    const crps = rows.reduce((s, r) => s + r.crps!, 0) / rows.length;
    const scale = rows.reduce((s, r) => s + Math.abs(r.value), 0) / rows.length;
    scores.push({
      series: name,
      actuals: rows.length,
      crps,
      relativeCrps: scale > 0 ? crps / scale : NaN,
      meanPercentile: rows.reduce((s, r) => s + r.percentile!, 0) / rows.length,
      inside90: rows.filter((r) => r.percentile! >= 0.05 && r.percentile! <= 0.95).length,
    });
  }
  const survival = scored
    .filter((r) => r.event === "alive" && r.probability !== null)
    .map((r) => ({ month: r.month, happened: r.happened!, probability: r.probability! }));

  return {
    scenario: model.scenario.name,
    start: ym(start),
    paths,
    seed,
    horizon,
    actuals: scored,
    scores,
    survival,
    reading: readHindsight(scores, scored, actuals),
  };
}

function readHindsight(
  scores: HindsightSeriesScore[],
  rows: HindsightActual[],
  actuals: readonly ActualDef[],
): string[] {
  const out: string[] = [];
  if (actuals.length === 0) return ["The scenario lists no actuals (add an `actuals:` section to score it)."];
  for (const s of scores) {
    const bias =
      s.meanPercentile > 0.75
        ? "the actuals ran above the forecast: it was too low"
        : s.meanPercentile < 0.25
          ? "the actuals ran below the forecast: it was too high"
          : "no strong lean either way";
    out.push(
      `${s.series}: ${s.inside90} of ${s.actuals} actuals inside the forecast's 90% band; mean percentile ${pct(s.meanPercentile)} (${bias}); ` +
        `CRPS ${num(s.crps)}${Number.isFinite(s.relativeCrps) ? ` (${pct(s.relativeCrps)} of the typical actual)` : ""}.`,
    );
  }
  for (const r of rows) if (r.event !== undefined && r.probability !== null) out.push(r.reading);
  const unscored = rows.filter((r) => r.percentile === null && r.probability === null);
  if (unscored.length)
    out.push(`${unscored.length} actual(s) not scored: ${unscored.map((r) => r.reading).join("; ")}.`);
  return out;
}
