// Numbers in the analyses' sentences, with the scenario language's suffixes: 1.9B, 350M, 0.904.

/** Four significant digits, with K M B T for large magnitudes. */
export function formatAmount(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const p = (v: number): string => String(+v.toPrecision(digits));
  if (a >= 1e12) return `${p(x / 1e12)}T`;
  if (a >= 1e9) return `${p(x / 1e9)}B`;
  if (a >= 1e6) return `${p(x / 1e6)}M`;
  if (a >= 1e4) return `${p(x / 1e3)}K`;
  return p(x);
}

/** A share as a whole percentage: 0.904 → "90%". */
export function formatPercent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

/** A runway in months: "19 months", or "> 36 months" when it reaches past the horizon. */
export function formatMonthsOrMore(months: number, horizon: number): string {
  return months > horizon ? `> ${horizon} months` : `${months} months`;
}
