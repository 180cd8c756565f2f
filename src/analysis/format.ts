// Numbers in the analyses' sentences, with the scenario language's suffixes: 1.9B, 350M, 0.904.

/**
 * The one number format of every command's human output (the report's money, the analyses'
 * sentences and tables): `digits` significant digits with the language's suffixes K M B T from
 * `kFrom` up (1.9B, 350M, 0.904), exponent form past the trillions and below 1e-4 (1.23e25,
 * 7.8e-8), "n/a" for a value that is not finite. A value that rounds up to the next unit takes
 * it (999.96M at 4 digits is 1B, not 1000M).
 */
export function formatAmount(x: number, digits = 4, kFrom = 1e4): string {
  if (!Number.isFinite(x)) return "n/a";
  const a = Math.abs(x);
  const p = (v: number): string => String(+v.toPrecision(digits));
  const up = 1 - 0.5 * 10 ** -digits; // the fraction of a unit that rounds up to it
  if (a >= 1e15 * up || (a > 0 && a < 1e-4)) return (+x.toPrecision(digits)).toExponential().replace("e+", "e");
  if (a >= 1e12 * up) return `${p(x / 1e12)}T`;
  if (a >= 1e9 * up) return `${p(x / 1e9)}B`;
  if (a >= 1e6 * up) return `${p(x / 1e6)}M`;
  if (a >= kFrom * up) return `${p(x / 1e3)}K`;
  return p(x);
}

/** An estimate and its standard error in the same format: `5B ± 85M`. */
export function formatEstimate(value: number, se: number, digits = 4): string {
  return `${formatAmount(value, digits)} ± ${formatAmount(se, 2)}`;
}

/** A share as a whole percentage: 0.904 → "90%". */
export function formatPercent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

/** A runway in months: "19 months", or "> 36 months" when it reaches past the horizon. */
export function formatMonthsOrMore(months: number, horizon: number): string {
  return months > horizon ? `> ${horizon} months` : `${months} months`;
}
