// The scrambled Sobol' coordinates of one block of paths, for the kernel.
//
// Paths interleave the replicates: path p is point ⌊p/R⌋ of replicate p mod R. So the first R·N
// paths hold the first N points of every replicate, a run of R·2^m paths is R whole nets, and
// `--precision` doubling the paths adds the next points of each replicate. A replicate's
// scramble is independent of every other's (its own seed per coordinate).
//
// Within the block, the unscrambled point is walked in Gray-code order (one XOR per coordinate
// from one point to the next, shared by the R replicates of that point); each path then
// scrambles it with its replicate's seed. Coordinates of the normal family are stored as
// z = Φ⁻¹(u), the others as u; out[i·D + d] is path first + i's coordinate d.

import { normalQuantile } from "../special.js";
import { directionNumbers, owenScramble, scrambleSeed, sobolInt } from "./sobol.js";

const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * Fills out[i·D + d] for i < count, d < D = kinds.length (kinds[d] = 1: store Φ⁻¹(u), else u)
 * with coordinate d of path first + i, replicates R.
 */
export function fillQmcBlock(
  out: Float64Array,
  kinds: Uint8Array,
  seedLo: number,
  seedHi: number,
  R: number,
  first: number,
  count: number,
): void {
  const D = kinds.length;
  const seeds = new Int32Array(R);
  for (let d = 0; d < D; d++) {
    const v = directionNumbers(d);
    for (let r = 0; r < R; r++) seeds[r] = scrambleSeed(seedLo, seedHi, r, d);
    let q = Math.floor(first / R);
    let r = first - q * R;
    let x = sobolInt(q, d) | 0;
    const z = kinds[d] === 1;
    for (let i = 0, o = d; i < count; i++, o += D) {
      const u = ((owenScramble(x, seeds[r]!) >>> 0) + 0.5) * TWO_POW_MINUS_32;
      out[o] = z ? normalQuantile(u) : u;
      if (++r === R) {
        r = 0;
        q++;
        x ^= v[31 - Math.clz32(q & -q)]!;
      }
    }
  }
}
