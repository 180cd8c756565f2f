// Months and years in formulas: a `YYYY-MM` date is the month's `t` (the scenario's start is
// t = 1), `year` and `month` are the calendar of the current month, and the yearly notation
// (`4B/yr`, `30%/yr`) turns yearly figures into monthly ones. One place for these rules, so
// the lexer, the checker, the compiled kernel and the interpreter all use the same arithmetic.

import type { YearMonth } from "./model.js";

/** The calendar names a formula may read besides `t`: the current month's year and month (1–12). */
export const CALENDAR_NAMES = ["year", "month"] as const;

/** The `t` of a month: the start is 1, the month before it 0, earlier months negative. */
export function monthToT(date: YearMonth, start: YearMonth): number {
  return (date.year - start.year) * 12 + (date.month - start.month) + 1;
}

/**
 * The calendar at month t as `(offset + t)`: floor(·/12) is the year and (· mod 12) + 1 the
 * month, for every t ≥ 1 (offset + t ≥ 0 since years are ≥ 1000).
 */
export function calendarOffset(start: YearMonth): number {
  return start.year * 12 + (start.month - 1) - 1;
}

/** The calendar year at month t. */
export function calendarYear(start: YearMonth, t: number): number {
  return Math.floor((calendarOffset(start) + t) / 12);
}

/** The calendar month (1–12) at month t. */
export function calendarMonth(start: YearMonth, t: number): number {
  return ((calendarOffset(start) + t) % 12) + 1;
}

/** `r/yr` as a monthly rate: the rate that compounds to r over 12 months, (1 + r)^(1/12) − 1. */
export function monthlyRate(yearly: number): number {
  return Math.pow(1 + yearly, 1 / 12) - 1;
}

/** `x/yr` as a monthly amount: x / 12. */
export function monthlyAmount(yearly: number): number {
  return yearly / 12;
}

/** A month written `YYYY-MM` (or `YYYY-M`), as in `start:` and `actuals`. */
export function formatMonth(m: YearMonth): string {
  return `${m.year}-${String(m.month).padStart(2, "0")}`;
}
