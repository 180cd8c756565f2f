// oxlint-disable no-loss-of-precision -- AS241's coefficients as published (as in special.ts), more digits than a double holds
// The scrambled Sobol' coordinates of one block of paths, for the kernel.
//
// Paths interleave the replicates: path p is point ⌊p/R⌋ of replicate p mod R. So the first R·N
// paths hold the first N points of every replicate, a run of R·2^m paths is R whole nets, and
// `--precision` doubling the paths adds the next points of each replicate. A replicate's
// scramble is independent of every other's (its own seed per coordinate), so replicates can also
// be added to a run: a group of G replicates numbered from R0 interleaves the same way, its
// position p being point ⌊p/G⌋ of replicate R0 + p mod G.
//
// Within the block, the unscrambled point is walked in Gray-code order (one XOR per coordinate
// from one point to the next, shared by the R replicates of that point); each path then
// scrambles it with its replicate's seed. Coordinates of the normal family are stored as
// z = Φ⁻¹(u), the others as u; out[i·D + d] is path first + i's coordinate d, written path by
// path so the stores (and the kernel's reads) run along memory.

import { scrambleBlockSimd } from "./scramble-simd.js";
import { directionNumbers, reverseBits, scrambleSeed, sobolInt } from "./sobol.js";

const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** Replicates first, first + 1, …, first + count − 1, whose paths interleave (see above). */
export interface ReplicateRange {
  readonly first: number;
  readonly count: number;
}

/** A replicate range, or a number R for replicates 0..R − 1 (a whole run's). */
export type ReplicateGroup = number | ReplicateRange;

/**
 * ⌊a / b⌋ for whole a ≥ 0 and b > 0, as a division that is always exact: V8 compiles
 * `Math.floor(a / b)` as an integer division while every quotient it has seen was whole, and
 * throws that code away the first time one is not (a run's first replicate group of 3, say).
 */
export function quotient(a: number, b: number): number {
  return (a - (a % b)) / b;
}

function groupOf(reps: ReplicateGroup): ReplicateRange {
  return typeof reps === "number" ? { first: 0, count: reps } : reps;
}

/** Per (seed, replicate group, coordinates): the scramble seeds and direction numbers, made once. */
interface Tables {
  key: string;
  kinds: Uint8Array;
  keys: Int32Array | undefined;
  /** seeds[r·D + d]: the scramble seed of coordinate d in the group's replicate r (replicate R0 + r). */
  seeds: Int32Array;
  /** dirs[d·32 + k]: direction number k of dimension d, bit-reversed (the walk runs on reversed points). */
  dirs: Int32Array;
  /** The dimensions stored as z = Φ⁻¹(u) (kind QMC_Z), in order. */
  zDims: Int32Array;
}

let cached: Tables | undefined;

function tables(
  kinds: Uint8Array,
  seedLo: number,
  seedHi: number,
  R0: number,
  R: number,
  keys: Int32Array | undefined,
): Tables {
  const D = kinds.length;
  const key = `${seedLo}:${seedHi}:${R0}:${R}:${D}`;
  if (cached !== undefined && cached.key === key && cached.keys === keys && cached.kinds === kinds) return cached;
  const seeds = new Int32Array(R * D);
  for (let r = 0; r < R; r++)
    for (let d = 0; d < D; d++)
      seeds[r * D + d] = scrambleSeed(seedLo, seedHi, R0 + r, keys === undefined ? d : keys[d]!);
  const dirs = new Int32Array(D * 32);
  for (let d = 0; d < D; d++) {
    const v = directionNumbers(d);
    for (let k = 0; k < 32; k++) dirs[d * 32 + k] = reverseBits(v[k]!);
  }
  const zDims = Int32Array.from([...kinds.keys()].filter((d) => kinds[d] === 1));
  cached = { key, kinds, keys, seeds, dirs, zDims };
  return cached;
}

let state = new Int32Array(0);

/**
 * The block's coordinates: [i·D + d] for i < count, d < D = kinds.length (kinds[d] = 1: Φ⁻¹(u),
 * else u) is coordinate d of position first + i of the replicate group `reps`. Returns the SIMD fill's own buffer
 * (valid until the next fill) where it runs, else `out`, filled. Coordinate d is scrambled with the seed of
 * keys[d] (the draw site's, see compile.ts's QmcLayout), or of d itself without keys. The
 * scramble runs in WebAssembly SIMD (scramble-simd.ts) where it can; `engine: "js"` forces the
 * JavaScript loop below, the same bits (tests compare the two).
 */
export function fillQmcBlock(
  out: Float64Array,
  kinds: Uint8Array,
  seedLo: number,
  seedHi: number,
  reps: ReplicateGroup,
  first: number,
  count: number,
  keys?: Int32Array,
  engine: "simd" | "js" = "simd",
): Float64Array {
  const D = kinds.length;
  const { first: R0, count: R } = groupOf(reps);
  const { seeds, dirs, zDims } = tables(kinds, seedLo, seedHi, R0, R, keys);
  if (state.length < D) state = new Int32Array(D);
  const x = state;
  let q = quotient(first, R);
  let r = first - q * R;
  for (let d = 0; d < D; d++) x[d] = reverseBits(sobolInt(q, d) | 0);
  const simd = engine === "simd" ? scrambleBlockSimd(x, seeds, dirs, zDims, D, R, r, q, count) : null;
  if (simd !== null) return simd;
  for (let i = 0, o = 0; i < count; i++) {
    const sr = r * D;
    for (let d = 0; d < D; d++, o++) {
      // Burley's hash-based Owen scramble (sobol.ts's owenScramble), inlined; x holds the
      // points bit-reversed already, so only the result is reversed back.
      let y = (x[d]! + seeds[sr + d]!) | 0;
      y ^= Math.imul(y, 0x6c50b47c);
      y ^= Math.imul(y, 0xb82f1e52 | 0);
      y ^= Math.imul(y, 0xc7afe638 | 0);
      y ^= Math.imul(y, 0x8d22f6e6 | 0);
      y = ((y >>> 1) & 0x55555555) | ((y & 0x55555555) << 1);
      y = ((y >>> 2) & 0x33333333) | ((y & 0x33333333) << 2);
      y = ((y >>> 4) & 0x0f0f0f0f) | ((y & 0x0f0f0f0f) << 4);
      y = ((y >>> 8) & 0x00ff00ff) | ((y & 0x00ff00ff) << 8);
      y = (y >>> 16) | (y << 16);
      out[o] = ((y >>> 0) + 0.5) * TWO_POW_MINUS_32;
    }
    if (++r === R) {
      r = 0;
      q++;
      const k = 31 - Math.clz32(q & -q);
      for (let d = 0; d < D; d++) x[d] ^= dirs[d * 32 + k]!;
    }
  }
  invertBlock(out, zDims, D, count);
  return out;
}

/** Φ⁻¹ of the normal family's coordinates, in place: a loop of its own keeps the scramble's tight. */
function invertBlock(out: Float64Array, zDims: Int32Array, D: number, count: number): void {
  const Z = zDims.length;
  if (Z === 0) return;
  for (let i = 0, base = 0; i < count; i++, base += D)
    for (let j = 0; j < Z; j++) {
      const o = base + zDims[j]!;
      out[o] = inverseNormal(out[o]!);
    }
}

/**
 * Φ⁻¹(u) for u in (0, 1): Wichura's AS241 (PPND16, about 1e-16 relative), written out in Horner
 * form; the same algorithm and coefficients as special.ts's normalQuantile, which loops over
 * coefficient arrays (a test holds the two together).
 */
export function inverseNormal(u: number): number {
  const q = u - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? u : 1 - u));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    x =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -x : x;
}
