// oxlint-disable no-loss-of-precision -- coefficients are written as published (Cody, AS241, Lanczos), more digits than a double holds
// Special functions for the distributions' metadata (means, quantiles) and for samplers that
// need them (Poisson's PTRS uses log-gamma).
//
// - normalCdf: W. J. Cody's rational Chebyshev approximations to erf/erfc (Math. Comp. 22, 1969,
//   631–637), the same tables as SPECFUN's CALERF; relative error near 1e-16 in both tails. exp(−x²)
//   is split as exp(−x₀²)·exp(−(x − x₀)(x + x₀)) with x₀ = x rounded to 1/16, so the square
//   loses nothing in the far tail.
// - normalQuantile: Wichura's AS241 PPND16 (Appl. Statist. 37, 1988, 477–484), about 1e-16 relative.
// - logGamma: Stirling's series after shifting the argument above 7 by the recurrence (as numpy's
//   random_loggam and Numerical Recipes' gammln do, with more terms); about 1e-15 relative for x > 0.
// - regularizedIncompleteBeta: the continued fraction of Numerical Recipes §6.4 (betacf), evaluated
//   by the modified Lentz method, on whichever side of the mean converges fast.
// - betaQuantile: safeguarded Newton (bisection whenever a step leaves the bracket).
// - regularizedGammaP/Q: series and Lentz continued fraction (Numerical Recipes §6.2), for the
//   Poisson CDF.
//
// Nothing here is on a per-draw hot path except logGamma (Poisson rate ≥ 10, after a squeeze fails).

const SQRT1_2 = Math.SQRT1_2;
const LN_SQRT_2PI = 0.9189385332046728; // log(√(2π))
const ONE_OVER_SQRT_PI = 0.5641895835477563;

// Cody (1969), |x| ≤ 0.46875: erf(x) = x·P1(x²)/Q1(x²).
const P1 = [242.66795523053175, 21.979261618294152, 6.9963834886191355, -0.035609843701815385];
const Q1 = [215.0588758698612, 91.164905404514901, 15.082797630407787, 1.0];
// 0.46875 < |x| ≤ 4: erfc(x) = exp(−x²)·P2(x)/Q2(x).
const P2 = [
  300.4592610201616005, 451.9189537118729422, 339.320816734343687, 152.9892850469404039, 43.1622272220567353,
  7.211758250883093659, 0.5641955174789739711, -1.368648573827167067e-7,
];
const Q2 = [
  300.4592609569832933, 790.9509253278980272, 931.3540948506096211, 638.9802644656311665, 277.5854447439876434,
  77.00015293522947295, 12.78272731962942351, 1.0,
];
// |x| > 4: erfc(x) = exp(−x²)/x·(1/√π + R3(1/x²)/x²), R3 = P3/Q3.
const P3 = [
  -0.00299610707703542174, -0.0494730910623250734, -0.22695659353968693, -0.278661308609647788, -0.0223192459734184686,
];
const Q3 = [0.0106209230528467918, 0.191308926107829841, 1.05167510706793207, 1.98733201817135256, 1.0];

/** exp(−a²) for a ≥ 0, without the rounding of a·a in the exponent. */
function expMinusSquare(a: number): number {
  const a0 = Math.trunc(a * 16) / 16;
  return Math.exp(-a0 * a0) * Math.exp(-(a - a0) * (a + a0));
}

/** erfc(a) for a > 0.46875 (Cody 1969). */
function erfcLarge(a: number): number {
  if (a > 27.3) return 0; // below the smallest subnormal
  if (a <= 4) {
    let num = P2[7]!;
    let den = Q2[7]!;
    for (let i = 6; i >= 0; i--) {
      num = num * a + P2[i]!;
      den = den * a + Q2[i]!;
    }
    return (expMinusSquare(a) * num) / den;
  }
  const z = 1 / (a * a);
  let num = P3[4]!;
  let den = Q3[4]!;
  for (let i = 3; i >= 0; i--) {
    num = num * z + P3[i]!;
    den = den * z + Q3[i]!;
  }
  return (expMinusSquare(a) / a) * (ONE_OVER_SQRT_PI + (z * num) / den);
}

/** The error function erf(x). */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a <= 0.46875) {
    const s = x * x;
    return (x * (P1[0]! + s * (P1[1]! + s * (P1[2]! + s * P1[3]!)))) / (Q1[0]! + s * (Q1[1]! + s * (Q1[2]! + s)));
  }
  if (x !== x) return NaN;
  const c = erfcLarge(a);
  return x > 0 ? 1 - c : c - 1;
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate in the right tail. */
export function erfc(x: number): number {
  const a = Math.abs(x);
  if (a <= 0.46875) return 1 - erf(x);
  if (x !== x) return NaN;
  const c = erfcLarge(a);
  return x > 0 ? c : 2 - c;
}

/** Φ(x), the standard normal CDF, with relative accuracy in both tails (Φ(−x) is not 1 − Φ(x)). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

/** The standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x - LN_SQRT_2PI);
}

// Wichura AS241 PPND16 coefficients (numerators a, c, e; denominators b, d, f; constant terms first).
const A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457,
  67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const B = [
  1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061,
  28729.085735721942674, 5226.495278852854561,
];
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const D = [
  1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093,
  0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const F = [
  1.0, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

function ratio(num: readonly number[], den: readonly number[], r: number): number {
  let n = num[7]!;
  let d = den[7]!;
  for (let i = 6; i >= 0; i--) {
    n = n * r + num[i]!;
    d = d * r + den[i]!;
  }
  return n / d;
}

/**
 * Φ⁻¹(p), the standard normal quantile (Wichura AS241). −Infinity at 0, +Infinity at 1, NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) return q * ratio(A, B, 0.180625 - q * q);
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const x = r <= 5 ? ratio(C, D, r - 1.6) : ratio(E, F, r - 5);
  return q < 0 ? -x : x;
}

// Stirling series for log Γ(x) − [(x − ½)log x − x + log √(2π)]: B₂ₖ / (2k(2k − 1) x^(2k−1)), k = 1..7.
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];

/** log Γ(x) for x > 0; NaN for x ≤ 0 or NaN, Infinity for x = Infinity. */
export function logGamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x === Infinity) return Infinity;
  if (x === 1 || x === 2) return 0;
  // Shift to x ≥ 7 where seven Stirling terms reach double precision: Γ(x) = Γ(x + n) / (x(x+1)…(x+n−1)).
  let shift = 0;
  if (x < 7) {
    let prod = 1;
    while (x < 7) {
      prod *= x;
      x += 1;
    }
    shift = Math.log(prod);
  }
  const z = 1 / (x * x);
  let series = STIRLING[6]!;
  for (let i = 5; i >= 0; i--) series = series * z + STIRLING[i]!;
  series /= x;
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + series - shift;
}

/** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

const TINY = 1e-300;
const EPS = 1e-16;

/** Continued fraction for I_x(a, b) (Numerical Recipes betacf), modified Lentz. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * I_x(a, b), the regularized incomplete beta function (the Beta(a, b) CDF at x), for a, b > 0.
 * Clamped to 0 below x = 0 and 1 above x = 1; NaN for invalid shapes.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || x !== x) return NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // Front factor x^a (1−x)^b / (a B(a, b)), in logs.
  const lnFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  // The fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) beyond.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** The Beta(a, b) density at x in [0, 1]. */
export function betaPdf(x: number, a: number, b: number): number {
  if (x < 0 || x > 1) return 0;
  if (x === 0) return a < 1 ? Infinity : a === 1 ? b : 0;
  if (x === 1) return b < 1 ? Infinity : b === 1 ? a : 0;
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBeta(a, b));
}

/**
 * The p-quantile of Beta(a, b): the x with I_x(a, b) = p. NaN for invalid input.
 * The root is found on the side where it is below ½ (x, or 1 − x via I_x(a, b) = 1 − I_{1−x}(b, a)),
 * so its relative precision is not limited by the spacing of doubles near 1.
 */
export function betaQuantile(p: number, a: number, b: number): number {
  // Infinite shapes have no quantile to search for (the continued fraction would not converge).
  if (!(a > 0 && b > 0 && a < Infinity && b < Infinity) || !(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  // 1 − p is exact for p ≥ ½ (Sterbenz), so the flip loses nothing.
  if (p > 0.5 && regularizedIncompleteBeta(0.5, a, b) < p) return 1 - betaRoot(1 - p, b, a);
  return betaRoot(p, a, b);
}

/**
 * Newton's method on I_x(a, b) − p from Numerical Recipes' invbetai starting point, kept inside a
 * shrinking bisection bracket; stops when a step is below half an ulp or the bracket is one ulp wide.
 */
function betaRoot(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  let x: number;
  if (a >= 1 && b >= 1) {
    const pp = p < 0.5 ? p : 1 - p;
    const t = Math.sqrt(-2 * Math.log(pp));
    let z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t;
    if (p < 0.5) z = -z;
    const al = (z * z - 3) / 6;
    const h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1));
    const w = (z * Math.sqrt(al + h)) / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5 / 6 - 2 / (3 * h));
    x = a / (a + b * Math.exp(2 * w));
  } else {
    // Power-law pieces near 0 and 1 (Numerical Recipes).
    const t = Math.exp(a * Math.log(a / (a + b))) / a;
    const u = Math.exp(b * Math.log(b / (a + b))) / b;
    const w = t + u;
    x = p < t / w ? Math.pow(a * w * p, 1 / a) : 1 - Math.pow(b * w * (1 - p), 1 / b);
  }
  if (!(x > 0 && x < 1)) x = 0.5;
  const lnB = logBeta(a, b);
  for (let iter = 0; iter < 300; iter++) {
    const f = regularizedIncompleteBeta(x, a, b) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const pdf = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lnB);
    let next = x - f / pdf;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1.1e-16 * next || hi - lo <= 2.3e-16 * hi) return next;
    x = next;
  }
  return x;
}

/** P(a, x), the regularized lower incomplete gamma function, for a > 0, x ≥ 0. */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Q(a, x) = 1 − P(a, x), the regularized upper incomplete gamma function, accurate in the upper tail. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/** P(a, x) by its series (Numerical Recipes gser): converges for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < 1e7; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) by its continued fraction (Numerical Recipes gcf), modified Lentz: converges for x > a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1e7; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}
