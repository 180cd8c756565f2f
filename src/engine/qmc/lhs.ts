// Latin hypercube coordinates, stateless: with N points per replicate, coordinate d of point q
// is (π(q) + v)/N, π a hashed permutation of 0..N−1 (its own per replicate and coordinate) and
// v a hashed uniform in (0, 1): each of the N strata of every coordinate holds exactly one point.
// N is a power of two (the run rounds it so), which makes the permutation a few invertible
// steps on log2(N)-bit integers.

import { normalQuantile } from "../special.js";
import { quotient } from "./block.js";
import { mix32, scrambleSeed } from "./sobol.js";

/** A permutation of the bits-bit integers keyed by `key`: multiply by an odd number, add, xor-shift; three rounds. */
export function permute(x: number, bits: number, key: number): number {
  if (bits === 0) return 0;
  const mask = bits === 32 ? -1 : (1 << bits) - 1;
  const shift = Math.max(1, bits >>> 1);
  for (let round = 0; round < 3; round++) {
    const k = mix32(key + round);
    x = (Math.imul(x, k | 1) + (k >>> 8)) & mask;
    x ^= x >>> shift;
  }
  return x >>> 0;
}

const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** As fillQmcBlock, for Latin hypercube points: N points per replicate (a power of two). */
export function fillLhsBlock(
  out: Float64Array,
  kinds: Uint8Array,
  seedLo: number,
  seedHi: number,
  R: number,
  N: number,
  first: number,
  count: number,
  keys?: Int32Array,
): void {
  const D = kinds.length;
  const bits = Math.round(Math.log2(N));
  for (let d = 0; d < D; d++) {
    const z = kinds[d] === 1;
    for (let i = 0, o = d; i < count; i++, o += D) {
      const path = first + i;
      const r = path % R;
      const q = quotient(path, R);
      const key = scrambleSeed(seedLo, seedHi, r, keys === undefined ? d : keys[d]!);
      const v = ((mix32(key ^ mix32(q + 0x3c6ef372)) >>> 0) + 0.5) * TWO_POW_MINUS_32;
      const u = (permute(q, bits, key) + v) / N;
      out[o] = z ? normalQuantile(u) : u;
    }
  }
}
