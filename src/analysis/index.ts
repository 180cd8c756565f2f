// The public surface of src/analysis: the analyses a report, the CLI, the server or the
// dashboard's worker can run. Imports nothing from Node. Every analysis compiles the model
// once (or takes a CompiledModel) and runs all its variants on the same seed.

export { AnalysisError, listChoices } from "./errors.js";
export { achievedCorrelations, midRanks, type AchievedCorrelation } from "./spearman.js";
export { viewsOf, withView } from "./views.js";
export {
  formatOutput,
  formatTarget,
  meets,
  parseAmount,
  parseOutput,
  parseTarget,
  targetSense,
  type Target,
  type TargetOp,
} from "./targets.js";
export { FactorialAccumulator, meanWithSe, pairedDifference, type Estimate, type FactorialEffect } from "./paired.js";
export { crpsSorted, percentileOf, quantileSorted, sortedSample } from "./crps.js";
export { estimateSobol, sampleSaltelli, type SobolEstimate, type SobolEstimateOptions } from "./sobol.js";
export { paramMarginals, paramsReaching, type Marginal, type Skipped } from "./marginals.js";
export type { AnalysisRunOptions } from "./run.js";
export {
  analyzeLevers,
  MAX_LEVERS,
  type LeverCombination,
  type LeverEffect,
  type LeversOptions,
  type LeversResult,
  type LeverSurvival,
  type MinimalSet,
} from "./levers.js";
export {
  analyzeSensitivity,
  sobolIndices,
  tornado,
  type SensitivityOptions,
  type SensitivityResult,
  type SobolResult,
  type SobolRow,
  type TornadoBar,
  type TornadoResult,
} from "./sensitivity.js";
export { goalSeek, parseRange, type GoalSeekOptions, type GoalSeekResult } from "./goal-seek.js";
export {
  compareScenarios,
  drawOwners,
  pairedSurvival,
  scenarioLabels,
  type ComparedDifference,
  type ComparedScenario,
  type CompareResult,
  type DifferenceMonth,
  type PairedPoint,
} from "./compare.js";
export {
  hindsight,
  hindsightWithViews,
  type HindsightActual,
  type HindsightResult,
  type HindsightSeriesScore,
  type HindsightView,
} from "./hindsight.js";
