// Number and date formats for the page: the reports' own (src/report/format.ts) wherever one
// exists, so a figure reads the same on the page, in the terminal and in the exports.

import { formatDifference, formatMoney, formatPercent, formatSurvival, monthLabel } from "../../src/report/format.js";
import { studentT } from "../../src/engine/stats/index.js";

export { formatDifference, formatMoney, monthLabel };

export const percent = formatPercent;

/** What a run's 95% intervals are: so many standard errors, and why that many. */
export interface Interval {
  /** Standard errors in the half-width: 1.96 for mc, Student's t(0.975, R − 1) for replicates. */
  multiplier: number;
  /** `1.96 SE`, `2.13 SE`. */
  label: string;
  /** In words: `95%, Student's t with 15 df over 16 rqmc replicates`. */
  detail: string;
}

/**
 * The interval a run's ± figures are: mc's standard errors are over its paths (a normal
 * approximation, 1.96 SE); rqmc's and lhs' are the spread of R independent replicates, and the
 * interval is Student's t with R − 1 degrees of freedom.
 */
export function intervalOf(draws: { sampling: "rqmc" | "lhs" | "mc"; replicates: number | null }): Interval {
  const r = draws.replicates ?? 0;
  if (draws.sampling === "mc" || r < 2)
    return { multiplier: 1.96, label: "1.96 SE", detail: "95%, normal approximation over the paths" };
  const t = studentT(r - 1);
  return {
    multiplier: t,
    label: `${t.toFixed(2)} SE`,
    detail: `95%, Student's t with ${r - 1} df over ${r} ${draws.sampling} replicates`,
  };
}

/** S(t) as the page prints it: the reports' formatSurvival (Wilson's interval where the SE is 0). */
export function shareOf(p: { alive: number; se: number; low: number; high: number }, multiplier = 1.96): string {
  return formatSurvival(p, multiplier);
}

/** Money for an axis: the reports' own format (`$1.2B`; past the suffixes `$5e109`, never `$5e+97T`). */
export const axisMoney = formatMoney;

/** A plain number for an axis or a label: three significant digits, exponent when huge or tiny. */
export function axisNumber(x: number): string {
  if (!Number.isFinite(x)) return "n/a";
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(1);
  return String(Number(x.toPrecision(3)));
}

/** Whether a series or param is money, by its unit or (without one) by its name. */
export function isMoney(unit: string | undefined, name = ""): boolean {
  if (unit) return /usd|\$|eur|gbp/i.test(unit);
  return /cash|revenue|cost|burn|funding|spend|capital|raise/i.test(name);
}

/** The first day of the calendar month of simulated month t (UTC), for time axes. */
export function dateOf(start: string, t: number): Date {
  const [y, m] = start.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + t - 1, 1));
}

/** A param's value the way it is written: money, a percent, or a plain number. */
export function formatValue(x: number, p: { unit?: string; percent?: boolean; name?: string }): string {
  if (!Number.isFinite(x)) return "n/a";
  if (p.percent) return `${Number((x * 100).toPrecision(3))}%`;
  if (isMoney(p.unit, p.name)) return formatMoney(x);
  return axisNumber(x);
}

/** A short fingerprint of a scenario text (FNV-1a, 32 bits): which text produced a figure. */
export function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0").slice(0, 6);
}

export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "scenario"
  );
}

/** The Wilson 95% interval of a share p over n paths (what the engine reports for S(t)). */
export function wilson(p: number, n: number): { low: number; high: number } {
  const z = 1.959963984540054;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Only http and https addresses become links (a scenario's `url: "javascript:…"` stays text). */
export function isWebLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
