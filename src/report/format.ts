// Number formats shared by the terminal, HTML and XLSX writers, so a figure reads the same
// everywhere: money with a K/M/B/T suffix and three significant digits (formatAmount, the one
// number format every command shares), shares as percents.

import { formatAmount } from "../analysis/format.js";

/** `1.234e9` → `$1.23B`; `-4.5e8` → `-$450M`; `1.2e25` → `$1.2e25`; non-finite → `n/a`. */
export function formatMoney(x: number): string {
  if (!Number.isFinite(x)) return "n/a";
  return `${x < 0 ? "-" : ""}$${formatAmount(Math.abs(x), 3, 1e3)}`;
}

/** `0.1234` → `12.3%`. */
export function formatPercent(p: number, digits = 1): string {
  return Number.isFinite(p) ? `${(p * 100).toFixed(digits)}%` : "n/a";
}

/**
 * A share and its 95% half-width, `multiplier` standard errors (intervalZ: 1.96 for plain Monte
 * Carlo, Student's t over the replicates of rqmc and lhs): `62.3% ± 0.3%`.
 */
export function formatShare(p: number, se: number, multiplier: number): string {
  const digits = multiplier * se < 0.001 ? 2 : 1;
  return `${formatPercent(p, digits)} ± ${formatPercent(multiplier * se, digits)}`;
}

/**
 * S(t) with its 95% interval, for a survival point (`multiplier` standard errors): `41.2% ± 0.5%`;
 * or, when every path lives or none does (the standard error is 0 there, and "± 0.00%" would
 * claim certainty), the Wilson interval the run reports: `100% (95%: 99.96–100%)`.
 */
export function formatSurvival(
  p: { alive: number; se: number; low: number; high: number },
  multiplier: number,
): string {
  if (p.se > 0) return formatShare(p.alive, p.se, multiplier);
  const whole = p.alive === 0 || p.alive === 1;
  return `${formatPercent(p.alive, whole ? 0 : 1)} (95%: ${formatPercent(p.low, 2)}–${formatPercent(p.high, 2)})`;
}

/** A signed difference of shares in percentage points, ± `multiplier` standard errors: `+4.1 pp ± 0.2`. */
export function formatDifference(d: number, se: number, multiplier: number): string {
  if (!Number.isFinite(d)) return "n/a";
  const sign = d > 0 ? "+" : d < 0 ? "−" : "±";
  return `${sign}${Math.abs(d * 100).toFixed(1)} pp ± ${(multiplier * se * 100).toFixed(1)}`;
}

/** Months as a number with one decimal at most: 18 → "18", 18.5 → "18.5". */
export function formatMonths(m: number): string {
  return Number.isFinite(m) ? String(Number(m.toFixed(1))) : "n/a";
}

/** The calendar month of simulated month t (t = 1 is `start`, "YYYY-MM"). */
export function monthLabel(start: string, t: number): string {
  const m = /^(\d{4})-(\d{1,2})$/.exec(start);
  if (!m) return `month ${t}`;
  const index = Number(m[1]) * 12 + Number(m[2]) - 1 + (t - 1);
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The survival months a summary shows: 12, 24, 36 where within the horizon, and the horizon itself. */
export function summaryMonths(horizon: number): number[] {
  const months = [12, 24, 36].filter((m) => m <= horizon);
  if (!months.includes(horizon)) months.push(horizon);
  return months;
}
