// The distributions of the scenario language: samplers for compiled kernels and the registry of
// metadata (mean, variance, quantile) for analyses. Each lives in its own file.

import { bernoulli } from "./bernoulli.js";
import { beta } from "./beta.js";
import type { Distribution } from "./distribution.js";
import { integer } from "./integer.js";
import { lognormal } from "./lognormal.js";
import { normal } from "./normal.js";
import { pert } from "./pert.js";
import { poisson } from "./poisson.js";
import { range } from "./range.js";
import { triangular } from "./triangular.js";
import { uniform } from "./uniform.js";

export type { Distribution } from "./distribution.js";
export { sampleBernoulli } from "./bernoulli.js";
export { sampleBeta } from "./beta.js";
export { sampleGamma, sampleLogGamma } from "./gamma.js";
export { sampleInteger } from "./integer.js";
export { lognormalMean, lognormalQuantile, lognormalVariance, sampleLognormal } from "./lognormal.js";
export { normalFromWord, sampleNormal, sampleStdNormal, stdNormalFromWord } from "./normal.js";
export { samplePert } from "./pert.js";
export { poissonCdf, samplePoisson } from "./poisson.js";
export { rangeParams, sampleRange, Z95 } from "./range.js";
export { sampleTriangular } from "./triangular.js";
export { sampleUniform } from "./uniform.js";
export { bernoulli, beta, integer, lognormal, normal, pert, poisson, range, triangular, uniform };

/** Names of the language's distributions (src/lang/builtins.ts) plus "range" for `a to b`. */
export type DistributionName =
  "normal" | "lognormal" | "uniform" | "integer" | "triangular" | "pert" | "beta" | "bernoulli" | "poisson" | "range";

/** Every distribution by the name a formula calls it by; `range` is `a to b`. */
export const DISTRIBUTIONS: Readonly<Record<DistributionName, Distribution>> = {
  normal,
  lognormal,
  uniform,
  integer,
  triangular,
  pert,
  beta,
  bernoulli,
  poisson,
  range,
};
