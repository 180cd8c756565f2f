// Streaming statistics: quantile sketches, exact sums, proportions and exact quantiles. Every
// structure merges exactly, so results never depend on how paths were split.
export { BUCKETS, SKETCH_METHOD, SKETCH_RELATIVE_ERROR, SketchSet, bucketBounds, bucketOf } from "./sketch.js";
export type { SketchState } from "./sketch.js";
export { ExactSum, ExactSums } from "./exact-sum.js";
export { Z_95, wilson } from "./wilson.js";
export {
  intervalLabel,
  intervalZ,
  pairedReplicates,
  replicateEstimate,
  replicateMeans,
  studentT,
} from "./replicates.js";
export type { ReplicateEstimate } from "./replicates.js";
export { quantileOfCounts, quantileSorted } from "./quantile.js";
