// The shape every distribution module exports: a sampler for the kernel and the metadata the
// analyses use (sensitivity holds params at their quantiles; hindsight places actuals in a
// forecast). Open set: each distribution declares its own capabilities; nothing switches on names.

import type { Stream } from "../rng.js";

/**
 * One distribution of the scenario language. `params` are the call's arguments in order
 * (`normal(mean, sd)` → `[mean, sd]`); every function returns NaN for invalid params.
 */
export interface Distribution {
  /** The name a formula calls (`range` stands for `a to b`). */
  readonly name: string;
  /** Number of arguments. */
  readonly arity: number;
  /** Signature as shown to users, e.g. "normal(mean, sd)". */
  readonly signature: string;
  /** One or two sentences for help text: parameters, support, and how a draw is made. */
  readonly describe: string;
  /** True for integer-valued distributions (their quantiles are the smallest k with F(k) ≥ p). */
  readonly discrete: boolean;
  /**
   * Draws one value from `s`; unused trailing arguments are ignored. Fast and allocation-free;
   * the compiled kernel may also call the named `sampleX` export directly.
   */
  readonly sample: (s: Stream, a: number, b: number, c: number) => number;
  readonly mean: (params: readonly number[]) => number;
  readonly variance: (params: readonly number[]) => number;
  /** The p-quantile, p in [0, 1] (±Infinity at 0 or 1 for unbounded supports). */
  readonly quantile: (params: readonly number[], p: number) => number;
}

/** Reads argument i, or NaN when missing (so metadata of a malformed call is NaN, not a throw). */
export function arg(params: readonly number[], i: number): number {
  const v = params[i];
  return v === undefined ? NaN : v;
}
