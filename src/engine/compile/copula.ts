// Rank correlations between params by a Gaussian copula: each correlated param draws a standard
// normal from its own site; the vector is multiplied by the Cholesky factor of the normal
// correlation matrix r = 2·sin(π·ρs/6) (which gives Spearman ρs exactly for continuous
// marginals), mapped to uniforms by Φ and to values by the param's own quantile function, so
// each param keeps its distribution.

import type { Diagnostic } from "../../lang/diagnostics.js";
import type { CorrelationDef, Model } from "../../lang/model.js";
import { literal, SAMPLER_OF } from "./code.js";
import type { DrawSites } from "./sites.js";

/**
 * The Gaussian copula of rank correlations over `names` (pairs naming anything else are left
 * out): the Cholesky factor of the normal correlation matrix r = 2·sin(π·ρs/6), or undefined
 * when r is not positive definite. The kernel and the Sobol sampler both correlate through it.
 */
export function copulaFactor(names: readonly string[], pairs: readonly CorrelationDef[]): number[][] | undefined {
  return cholesky(copulaCorrelation(names, pairs));
}

/** The copula's normal correlation matrix over `names` (see copulaFactor). */
export function copulaCorrelation(names: readonly string[], pairs: readonly CorrelationDef[]): number[][] {
  const r: number[][] = names.map((_, i) => names.map((_, j) => (i === j ? 1 : 0)));
  for (const c of pairs) {
    const i = names.indexOf(c.a);
    const j = names.indexOf(c.b);
    if (i >= 0 && j >= 0) r[i]![j] = r[j]![i] = 2 * Math.sin((Math.PI * c.rho) / 6);
  }
  return r;
}

/** Lower-triangular L with L·Lᵀ = a, or undefined when a is not positive definite. */
export function cholesky(a: number[][]): number[][] | undefined {
  const n = a.length;
  const L = a.map(() => Array.from({ length: n }, () => 0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k++) sum -= L[i]![k]! * L[j]![k]!;
      if (i === j) {
        if (!(sum > 1e-12)) return undefined;
        L[i]![i] = Math.sqrt(sum);
      } else L[i]![j] = sum / L[j]![j]!;
    }
  }
  return L;
}

/**
 * The kernel code of the copula (the correlated normals cz, then their uniforms cu), and each
 * correlated param's index in it. Reports inconsistent correlations and correlated params whose
 * formula is not one distribution into `diagnostics`.
 */
export function copulaCode(
  model: Model,
  sites: DrawSites,
  qmc: boolean,
  diagnostics: Diagnostic[],
): { code: string[]; index: Map<string, number> } {
  const pairs = model.scenario.correlations;
  const index = new Map<string, number>();
  for (const c of pairs) for (const n of [c.a, c.b]) if (!index.has(n)) index.set(n, index.size);
  if (index.size === 0) return { code: [], index };
  const names = [...index.keys()];
  const n = names.length;
  const L = copulaFactor(names, pairs);
  if (L === undefined) {
    diagnostics.push({
      code: "correlation_not_positive_definite",
      severity: "error",
      message: `the correlations between ${names.join(", ")} are not consistent (the matrix is not positive definite)`,
      span: pairs[0]!.span,
      hint: "weaken some correlations: e.g. a~b 0.9 and a~c 0.9 force b~c to be strongly positive too",
    });
    return { code: [], index: new Map() };
  }
  for (const name of names) {
    const def = model.params.find((p) => p.name === name)!;
    const e = def.expr;
    const ok = e.kind === "range" || (e.kind === "call" && SAMPLER_OF[e.callee] !== undefined);
    if (!ok)
      diagnostics.push({
        code: "correlation_not_distribution",
        severity: "error",
        message: `'${name}' is correlated but its formula is not a single distribution`,
        span: def.nameSpan,
      });
  }
  const code: string[] = [];
  names.forEach((name, j) => {
    const owner = { name, ordinal: 0, month: false };
    const st = sites.stream(owner);
    if (qmc) code.push(`const cz${j} = ${sites.qdim(owner, false, true, false).ref};`);
    else code.push(`const cz${j} = (${st}.c = 0, stdNormal(${st}));`);
  });
  for (let i = 0; i < n; i++) {
    const terms = [];
    for (let j = 0; j <= i; j++) if (L[i]![j] !== 0) terms.push(`${literal(L[i]![j]!)} * cz${j}`);
    code.push(`const cu${i} = normalCdf(${terms.join(" + ") || "0"});`);
  }
  return { code, index };
}
