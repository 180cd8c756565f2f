// How far a discrete param's ties cap the rank correlations it can take part in. With
// probabilities p_k on its values, a discrete X and any continuous Y reach a Spearman
// correlation (mid-ranks) of at most √(1 − Σ p_k³): bernoulli(0.3) at most 0.794,
// integer(1, 3) at most 0.943. The Gaussian copula that sets rank correlations reorders draws
// as if every margin were continuous, so a requested ρ comes out near ρ times that factor (and
// times the other param's own when both are discrete).

import type { Expr } from "./ast.js";
import { constValue } from "./checker.js";

/** √(1 − Σ p_k³) of a discrete distribution with constant arguments; undefined for anything else. */
export function tieFactor(e: Expr): number | undefined {
  if (e.kind !== "call") return undefined;
  const args = e.args.map(constValue);
  if (args.some((a) => a === undefined)) return undefined;
  const [a, b] = args as number[];
  switch (e.callee) {
    case "bernoulli":
      return a! >= 0 && a! <= 1 ? Math.sqrt(1 - a! ** 3 - (1 - a!) ** 3) : undefined;
    case "integer": {
      const n = b! - a! + 1;
      return n >= 1 ? Math.sqrt(1 - 1 / (n * n)) : undefined;
    }
    case "poisson":
      return a! > 0 ? Math.sqrt(1 - poissonCubes(a!)) : undefined;
    default:
      return undefined;
  }
}

/** Σ p_k³ of poisson(rate), summed in log space over the k that matter. */
function poissonCubes(rate: number): number {
  const from = Math.max(0, Math.floor(rate - 12 * Math.sqrt(rate) - 12));
  const to = Math.ceil(rate + 12 * Math.sqrt(rate) + 12);
  let logP = -rate + from * Math.log(rate) - logFactorial(from);
  let sum = 0;
  for (let k = from; k <= to; k++) {
    sum += Math.exp(3 * logP);
    logP += Math.log(rate) - Math.log(k + 1);
  }
  return sum;
}

function logFactorial(n: number): number {
  let s = 0;
  for (let k = 2; k <= Math.min(n, 1000); k++) s += Math.log(k);
  // Stirling beyond 1000, far more precise than this estimate needs.
  if (n > 1000) s = n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n);
  return s;
}
