// Number and date formats for the page (the same money format as the reports).

import { formatMoney } from "../../src/report/format.js";

export { formatMoney };

/** Only http and https addresses become links (a scenario's `url: "javascript:…"` stays text). */
export function isWebLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

export function percent(p: number, digits = 1): string {
  return Number.isFinite(p) ? `${(p * 100).toFixed(digits)}%` : "n/a";
}

/** `0.412 ± 0.005` as `41.2% ± 0.5%` (the ± is 1.96 standard errors). */
export function shareWithError(p: number, se: number): string {
  return `${percent(p)} ± ${percent(1.96 * se)}`;
}

/** "2024-07" and month t (1-based) → "Jul 2024" (the month t ends). */
export function monthLabel(start: string, t: number): string {
  const [y, m] = start.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + t - 1, 1));
  return d.toLocaleString("en", { month: "short", year: "numeric", timeZone: "UTC" });
}

/** A param's value the way its unit suggests. */
export function formatValue(x: number, unit?: string): string {
  if (!Number.isFinite(x)) return "n/a";
  if (unit && /usd|\$/i.test(unit)) return formatMoney(x);
  if (unit && /share|%|rate|fraction/i.test(unit)) return `${Number((x * 100).toPrecision(3))}%`;
  if (Math.abs(x) >= 1e3) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}
