// Streaming statistics: quantile sketches, exact sums, proportions. Every structure merges
// exactly, so results never depend on how paths were split.
export { BUCKETS, SKETCH_METHOD, SketchSet, bucketBounds, bucketOf } from "./sketch.js";
export { ExactSums } from "./exact-sum.js";
export { Z_95, quantileOfCounts, wilson } from "./wilson.js";
