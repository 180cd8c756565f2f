// The calendar-year check: does the model's first year agree with what was reported? The
// scenario gives the months of the year before its start as constant params named
// `h1_<year>_revenue` and `h1_<year>_costs` (reported first-half figures); the simulation
// gives the rest of the year as the sum of the per-month mean of the revenue and cost series
// (the mean of a sum is the sum of the means, so this is the expected full-year figure).

import type { RunResult } from "../engine/result.js";
import { constValue, type Model } from "../lang/index.js";
import type { CalendarCheck, CalendarLine } from "./report-data.js";

/** Full-year figures reported for a year, keyed by year. */
export const REPORTED_YEARS: Readonly<
  Record<number, { revenue: [number, number]; costs: [number, number]; loss: [number, number]; source: string }>
> = {
  // facts/openai-2024.md §1: The Information, ~24 Jul 2024 — revenue $3.5–4.5B, costs ≈ $8.5B, loss up to ≈ $5B.
  2024: { revenue: [3.5e9, 4.5e9], costs: [8.5e9, 8.5e9], loss: [5e9, 5e9], source: "The Information, Jul 2024" },
};

/** Names tried, in order, for the cost series (the first that is reported wins). */
export const COST_SERIES = ["costs", "total_costs", "expenses", "opex", "spend"] as const;
export const REVENUE_SERIES = ["revenue", "total_revenue"] as const;

/** Series the calendar check needs summarised, among those the model has. */
export function calendarSeries(model: Model): string[] {
  const names = new Set(model.series.map((s) => s.name));
  const pick = (candidates: readonly string[]) => candidates.find((c) => names.has(c));
  return [pick(REVENUE_SERIES), pick(COST_SERIES)].filter((s): s is string => s !== undefined);
}

/** The check, or undefined when the scenario gives no reported first-half figures and its year was not reported. */
export function calendarCheck(model: Model, result: RunResult): CalendarCheck | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(result.start);
  if (!m) return undefined;
  const year = Number(m[1]);
  const startMonth = Number(m[2]);
  const reportedMonths = startMonth - 1;
  const simulatedMonths = Math.min(12 - reportedMonths, result.horizon);
  const expected = REPORTED_YEARS[year];
  const reported = (what: string) => {
    const p = model.params.find((q) => q.name === `h1_${year}_${what}`);
    return p ? constValue(p.expr) : undefined;
  };
  const h1Revenue = reported("revenue");
  const h1Costs = reported("costs");
  if (!expected && h1Revenue === undefined && h1Costs === undefined) return undefined;

  const notes: string[] = [];
  const sumMeans = (candidates: readonly string[], what: string) => {
    const name = candidates.find((c) => result.series[c] !== undefined);
    if (name === undefined) {
      notes.push(`no ${what} series (expected one named ${candidates.join(" or ")}), so ${what} is not simulated`);
      return NaN;
    }
    return result.series[name]!.slice(0, simulatedMonths).reduce((sum, p) => sum + p.mean, 0);
  };
  const simRevenue = sumMeans(REVENUE_SERIES, "revenue");
  const simCosts = sumMeans(COST_SERIES, "costs");
  if (reportedMonths > 0 && (h1Revenue === undefined || h1Costs === undefined)) {
    notes.push(
      `the scenario has no constant params h1_${year}_revenue and h1_${year}_costs, so the months before ${result.start} are missing`,
    );
  }
  const h1Loss = h1Revenue !== undefined && h1Costs !== undefined ? h1Costs - h1Revenue : undefined;
  const line = (
    name: CalendarLine["name"],
    part: number | undefined,
    simulated: number,
    range: [number, number] | undefined,
  ): CalendarLine => {
    const l: CalendarLine = { name, simulated, expectedLow: range?.[0] ?? NaN, expectedHigh: range?.[1] ?? NaN };
    if (reportedMonths === 0) l.total = simulated;
    else if (part !== undefined) {
      l.reported = part;
      l.total = part + simulated;
    }
    return l;
  };
  return {
    year,
    reportedMonths,
    simulatedMonths,
    lines: [
      line("revenue", h1Revenue, simRevenue, expected?.revenue),
      line("costs", h1Costs, simCosts, expected?.costs),
      line("loss", h1Loss, simCosts - simRevenue, expected?.loss),
    ],
    source: expected?.source ?? "no full-year figures on record",
    notes,
  };
}
