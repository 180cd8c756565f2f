// The calendar-year check: does the model agree with the figures reported for a year? The
// scenario's `checks:` block lists them (a series, or series joined by + and −, summed over a
// calendar year, against a reported value or range, with its source). For the months of the
// year before the scenario's start a check gives `before`, a constant formula of numbers and
// params (e.g. a reported first half); the simulation gives the rest of the year as the sum of
// the per-month mean of its terms (the mean of a sum is the sum of the means, so this is the
// expected full-year figure). A scenario without checks gets no such section.

import type { RunResult } from "../engine/result.js";
import type { Expr } from "../lang/ast.js";
import { constValue, type Model } from "../lang/index.js";
import type { CheckDef } from "../lang/model.js";
import type { CalendarCheck, CalendarLine } from "./report-data.js";

/** Series the calendar checks need summarised. */
export function calendarSeries(model: Model): string[] {
  return [...new Set((model.scenario.checks ?? []).flatMap((c) => c.terms.map((t) => t.name)))];
}

/** The value of a check's `before`: numbers and constant params; undefined when a param is random. */
export function beforeValue(model: Model, e: Expr): number | undefined {
  const sub = (x: Expr): Expr | undefined => {
    switch (x.kind) {
      case "name": {
        const p = model.params.find((q) => q.name === x.name);
        const v = p ? constValue(p.expr) : undefined;
        return v === undefined ? undefined : { kind: "number", value: v, text: String(v), span: x.span };
      }
      case "unary": {
        const a = sub(x.arg);
        return a && { ...x, arg: a };
      }
      case "binary": {
        const [l, r] = [sub(x.left), sub(x.right)];
        return l && r && { ...x, left: l, right: r };
      }
      default:
        return x;
    }
  };
  const e2 = sub(e);
  return e2 ? constValue(e2) : undefined;
}

/** One table per calendar year named in `checks:`, in the order the years first appear. */
export function calendarChecks(model: Model, result: RunResult): CalendarCheck[] {
  const checks = model.scenario.checks ?? [];
  const years = [...new Set(checks.map((c) => c.from.year))];
  return years.map((year) =>
    calendarYear(
      model,
      result,
      year,
      checks.filter((c) => c.from.year === year),
    ),
  );
}

/** The check of the scenario's first year with checks, or undefined when it has none. */
export function calendarCheck(model: Model, result: RunResult): CalendarCheck | undefined {
  return calendarChecks(model, result)[0];
}

function calendarYear(model: Model, result: RunResult, year: number, checks: CheckDef[]): CalendarCheck {
  const start = model.scenario.start;
  // Months of the year before the start (reported), and the simulated months of the year.
  const first = (year - start.year) * 12 + (1 - start.month) + 1; // t of January
  const reportedMonths = Math.min(12, Math.max(0, 1 - first));
  const from = Math.max(1, first);
  const to = Math.min(first + 11, result.horizon);
  const simulatedMonths = Math.max(0, to - from + 1);
  const notes: string[] = [];
  if (first + 11 > result.horizon && first <= result.horizon)
    notes.push(`the horizon ends before ${year} does: ${12 - reportedMonths - simulatedMonths} months are missing`);
  const lines = checks.map((c): CalendarLine => {
    let simulated = 0;
    for (const term of c.terms) {
      const points = result.series[term.name];
      if (points === undefined) {
        notes.push(`${c.label}: the series '${term.name}' was not summarised`);
        simulated = NaN;
        continue;
      }
      for (let t = from; t <= to; t++) simulated += term.sign * points[t - 1]!.mean;
    }
    const line: CalendarLine = { name: c.label, simulated, expectedLow: c.low, expectedHigh: c.high };
    if (reportedMonths === 0) line.total = simulated;
    else {
      const part = c.before ? beforeValue(model, c.before) : undefined;
      if (part !== undefined) {
        line.reported = part;
        line.total = part + simulated;
      } else
        notes.push(
          c.before
            ? `${c.label}: 'before' is not a constant, so the months of ${year} before ${result.start} are missing`
            : `${c.label}: the check gives no 'before' figure, so the months of ${year} before ${result.start} are missing`,
        );
    }
    return line;
  });
  const sources = [...new Set(checks.map((c) => c.source))];
  return { year, reportedMonths, simulatedMonths, lines, source: sources.join("; "), notes };
}
