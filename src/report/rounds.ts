// The rounds of a run: for each round of the scenario's `rounds:`, the chance it has closed by
// each month (the mean of its NAME_closed series, 1 from the closing month on) with its
// standard error, and the closing month's percentiles read off that curve (the month by which
// a share q of all paths has closed; none when fewer than q close within the horizon).

import type { RunResult } from "../engine/result.js";
import { namesIn } from "../lang/ast.js";
import type { Model, SeriesBody } from "../lang/model.js";
import { formatPercent, monthLabel } from "./format.js";

export interface RoundSummary {
  round: string;
  label: string;
  /** P(closed by the end of month m), m = 1..horizon, with its binomial standard error. */
  closedBy: { month: number; p: number; se: number }[];
  /** P(closed within the horizon). */
  closed: number;
  /** Closing month percentiles over all paths (null: fewer than that share close within the horizon). */
  p5: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  p95: number | null;
}

/**
 * The rounds whose money the run pays: some formula in force with these levers (a lever's or a
 * view's replacement where it is on) reads the round's money series. A round computed but paid
 * to nothing (openai-2024's rounds without its forecast view) is not reported.
 */
export function roundsInPlay(model: Model, levers: readonly string[]): string[] {
  const replaced = new Map<string, SeriesBody>();
  for (const l of model.levers) if (levers.includes(l.name)) for (const s of l.set) replaced.set(s.name, s.body);
  const read = new Set<string>();
  const body = (b: SeriesBody) => {
    if (b.kind === "formula") namesIn(b.expr, read);
    else namesIn(b.kind === "next" ? b.next : b.change, read);
  };
  for (const s of model.series) if (s.round !== s.name) body(replaced.get(s.name) ?? s);
  for (const l of model.levers) if (levers.includes(l.name)) for (const e of l.edits ?? []) namesIn(e.expr, read);
  namesIn(model.scenario.alive, read);
  return (model.scenario.rounds ?? []).map((r) => r.name).filter((n) => read.has(n));
}

/** The series a run must summarise for roundSummaries (each round in play's NAME_closed). */
export function roundSeries(model: Model, levers: readonly string[]): string[] {
  return roundsInPlay(model, levers).map((n) => `${n}_closed`);
}

export function roundSummaries(model: Model, result: RunResult): RoundSummary[] {
  const out: RoundSummary[] = [];
  const inPlay = new Set(roundsInPlay(model, result.levers));
  for (const r of model.scenario.rounds ?? []) {
    const points = inPlay.has(r.name) ? result.series[`${r.name}_closed`] : undefined;
    if (!points) continue;
    const closedBy = points.map((x) => ({
      month: x.month,
      p: x.mean,
      se: Math.sqrt((x.mean * (1 - x.mean)) / result.paths),
    }));
    const at = (q: number): number | null => closedBy.find((x) => x.p >= q)?.month ?? null;
    out.push({
      round: r.name,
      label: r.label ?? r.name,
      closedBy,
      closed: closedBy.at(-1)?.p ?? 0,
      p5: at(0.05),
      p25: at(0.25),
      median: at(0.5),
      p75: at(0.75),
      p95: at(0.95),
    });
  }
  return out;
}

/** A plain text block: one line per round; ± is z standard errors (intervalZ of the run). */
export function renderRounds(rounds: readonly RoundSummary[], start: string, z: number): string {
  const month = (m: number | null) => (m === null ? "not within the horizon" : `${m} (${monthLabel(start, m)})`);
  const lines = ["Rounds: chance of closing within the horizon, and the closing month over all paths"];
  for (const r of rounds) {
    const when = r.closedBy
      .filter((x) => x.month % 12 === 0)
      .map((x) => `by ${x.month}: ${formatPercent(x.p)}`)
      .join(", ");
    lines.push(
      `  ${r.round}: closes on ${formatPercent(r.closed)} of paths ± ${formatPercent(z * (r.closedBy.at(-1)?.se ?? 0))}` +
        (when ? ` (${when})` : "") +
        `; median closing month ${month(r.median)}, 5–95%: ${month(r.p5)} – ${month(r.p95)}`,
    );
  }
  return lines.join("\n");
}
