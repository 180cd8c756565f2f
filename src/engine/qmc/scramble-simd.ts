// The scrambled Sobol' coordinates of a block with WebAssembly SIMD: four coordinates at a time,
// the same operations as block.ts's JavaScript loop (the Gray-code walk, Burley's hash-based Owen
// scramble, the bit reversal and u = (y + 0.5)·2^-32), so the same bits. block.ts uses it where
// WebAssembly SIMD is available and holds its own loop as the fallback and the reference a test
// compares with.
//
// Memory (byte addresses): x (D4 int32: the current point, bit-reversed), seeds (R·D4 int32: the
// scramble seed of replicate r's coordinate d at r·D4 + d), dirs (32·D4 int32: direction number k
// of every coordinate at k·D4 + d, bit-reversed), then out (count·D doubles, path i's coordinate d
// at i·D + d, and 4 spare). D4 is D rounded up to a multiple of 4; the padding lanes of a path
// spill into the next path's first coordinates, which that path then overwrites.

import { I32, V128, WASM_PAGE, f64Bytes, instantiateAll, op, sleb, simd, uleb, wasmModule } from "../wasm.js";
import { invertModuleBytes, tailsModuleBytes, TAIL_MARK } from "./normal-simd.js";
import { F64X2_SPLAT, I32_CTZ, I32_EQ, S } from "./opcodes.js";

/**
 * fill(xP, seedsP, dirsP, outP, D4, D, R, r, q, count): the u of paths r, r + 1, … of point q
 * onward (replicate r of point q first), count paths.
 */
function scrambleModuleBytes(): Uint8Array<ArrayBuffer> {
  const [xP, seedsP, dirsP, outP, D4, D, R, r, q, count] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]; // i32 params
  const [i, d, sr, o, kp, lim] = [10, 11, 12, 13, 14, 15]; // i32 locals
  const [y, ulo, uhi] = [16, 17, 18]; // v128 locals
  const get = (l: number) => [op.get, l];
  const set = (l: number) => [op.set, l];
  const i32 = (v: number) => [op.i32Const, ...sleb(v)];
  const v = (code: number) => simd(code);
  const mem = (offset: number) => [...uleb(4), ...uleb(offset)];
  const splat = (c: number) => [...i32(c), ...v(S.splat)];
  const f64Splat = (x: number) => [op.f64Const, ...f64Bytes(x), ...simd(F64X2_SPLAT)];
  // y ^= imul(y, c), lane-wise
  const hash = (c: number) => [...get(y), ...get(y), ...splat(c), ...v(S.mul), ...v(S.xor), ...set(y)];
  // The bits of every byte of y reversed: each nibble looked up (i8x16.swizzle) in a table of
  // nibbles reversed, the low one's moved up, the high one's down.
  const reverse4 = (x: number) => ((x & 1) << 3) | ((x & 2) << 1) | ((x & 4) >> 1) | ((x & 8) >> 3);
  const nibbles = Array.from({ length: 16 }, (_, x) => reverse4(x));
  const v128 = (bytes: number[]) => [...v(S.v128Const), ...bytes];
  // prettier-ignore
  const reverseBitsInBytes = [
    ...v128(nibbles.map((x) => x << 4)), ...get(y), ...v128(Array(16).fill(0x0f)), ...v(S.and), ...v(S.swizzle),
    ...v128(nibbles), ...get(y), ...i32(4), ...v(S.i8ShrU), ...v(S.swizzle),
    ...v(S.or), ...set(y),
  ];
  const byteSwap = [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12];
  const high = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
  // two of y's lanes, as unsigned, to (u + 0.5)·2^-32, in local `to`
  // prettier-ignore
  const toUnit = (lanes: number[] | null, to: number) => [
    ...(lanes === null ? get(y) : [...get(y), ...get(y), ...v(S.shuffle), ...lanes]), ...v(S.f64FromU32Low),
    ...f64Splat(0.5), ...v(S.f64Add), ...f64Splat(2.3283064365386963e-10), ...v(S.f64Mul), ...set(to),
  ];
  // store ulo, uhi at o + 2d
  // prettier-ignore
  const store = [
    ...get(o), ...get(d), ...i32(1), op.i32Shl, op.i32Add, ...get(ulo), ...v(S.store), ...mem(0),
    ...get(o), ...get(d), ...i32(1), op.i32Shl, op.i32Add, ...get(uhi), ...v(S.store), ...mem(16),
  ];
  // prettier-ignore
  const body = [
    ...get(D4), ...i32(2), op.i32Shl, ...set(lim),
    ...get(outP), ...set(o),
    op.block, 0x40,
    op.loop, 0x40,
    ...get(i), ...get(count), op.i32GeU, op.brIf, 1,
    // sr = seedsP + 4·r·D4
    ...get(seedsP), ...get(r), ...get(lim), op.i32Mul, op.i32Add, ...set(sr),
    ...i32(0), ...set(d),
    op.block, 0x40,
    op.loop, 0x40,
    ...get(d), ...get(lim), op.i32GeU, op.brIf, 1,
    ...get(xP), ...get(d), op.i32Add, ...v(S.load), ...mem(0),
    ...get(sr), ...get(d), op.i32Add, ...v(S.load), ...mem(0),
    ...v(S.add), ...set(y),
    ...hash(0x6c50b47c), ...hash(0xb82f1e52 | 0), ...hash(0xc7afe638 | 0), ...hash(0x8d22f6e6 | 0),
    ...reverseBitsInBytes,
    ...get(y), ...get(y), ...v(S.shuffle), ...byteSwap, ...set(y),
    ...toUnit(null, ulo), ...toUnit(high, uhi),
    ...store,
    ...get(d), ...i32(16), op.i32Add, ...set(d),
    op.br, 0,
    op.end,
    op.end,
    // o += 8·D
    ...get(o), ...get(D), ...i32(3), op.i32Shl, op.i32Add, ...set(o),
    // the next replicate, or the next point (x ^= the direction numbers of bit ctz(q + 1))
    ...get(r), ...i32(1), op.i32Add, ...set(r),
    ...get(r), ...get(R), I32_EQ,
    op.if, 0x40,
    ...i32(0), ...set(r),
    ...get(q), ...i32(1), op.i32Add, ...set(q),
    ...get(dirsP), ...get(q), I32_CTZ, ...get(lim), op.i32Mul, op.i32Add, ...set(kp),
    ...i32(0), ...set(d),
    op.block, 0x40,
    op.loop, 0x40,
    ...get(d), ...get(lim), op.i32GeU, op.brIf, 1,
    ...get(xP), ...get(d), op.i32Add,
    ...get(xP), ...get(d), op.i32Add, ...v(S.load), ...mem(0),
    ...get(kp), ...get(d), op.i32Add, ...v(S.load), ...mem(0),
    ...v(S.xor), ...v(S.store), ...mem(0),
    ...get(d), ...i32(16), op.i32Add, ...set(d),
    op.br, 0,
    op.end,
    op.end,
    op.end,
    ...get(i), ...i32(1), op.i32Add, ...set(i),
    op.br, 0,
    op.end,
    op.end,
    op.end,
  ];
  return wasmModule({
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [
      [6, I32],
      [3, V128],
    ],
    body,
    exportName: "fill",
  });
}

type Fill = (
  xP: number,
  seedsP: number,
  dirsP: number,
  outP: number,
  D4: number,
  D: number,
  R: number,
  r: number,
  q: number,
  count: number,
) => void;

const PAGE = WASM_PAGE;

type Invert = (outP: number, zP: number, Z4: number, rowBytes: number, count: number) => void;
type Tails = (outP: number, zP: number, Z: number, rowBytes: number, count: number, listP: number) => void;

let memory: WebAssembly.Memory | null = null;
let fns: { fill: Fill; invert: Invert; tails: Tails } | null | undefined;

function simdFill(): { fill: Fill; invert: Invert; tails: Tails } | null {
  if (fns !== undefined) return fns;
  const made = instantiateAll<Fill | Invert | Tails>(
    [
      { bytes: scrambleModuleBytes(), exportName: "fill" },
      { bytes: invertModuleBytes(), exportName: "invert" },
      { bytes: tailsModuleBytes(), exportName: "tails" },
    ],
    16,
  );
  memory = made?.memory ?? null;
  fns =
    made === null ? null : { fill: made.fns[0] as Fill, invert: made.fns[1] as Invert, tails: made.fns[2] as Tails };
  return fns;
}

/** Whether the SIMD fill runs here. */
export function simdScrambleAvailable(): boolean {
  return simdFill() !== null;
}

/** The tables last copied into the module's memory (block.ts's, by identity). */
let loaded: { seeds: Int32Array; dirs: Int32Array; zDims: Int32Array } | undefined;

/**
 * The coordinates of paths r, r + 1, … of point q (count·D doubles), x the
 * point's bit-reversed integers, seeds[r·D + d] and dirs[d·32 + k] as block.ts keeps them: u,
 * or for the dimensions in zDims Φ⁻¹(u) in AS241's central region and u + TAIL_MARK in its tails,
 * which the caller finishes: a view of the module's memory, valid until the next call (read in
 * place, not copied: a block's coordinates are over half a megabyte). Null where WebAssembly SIMD
 * is unavailable.
 */
export function scrambleBlockSimd(
  x: Int32Array,
  seeds: Int32Array,
  dirs: Int32Array,
  zDims: Int32Array,
  D: number,
  R: number,
  r: number,
  q: number,
  count: number,
): Float64Array | null {
  const f = simdFill();
  if (f === null || memory === null) return null;
  const D4 = (D + 3) & ~3;
  const Z = zDims.length;
  const Z4 = (Z + 3) & ~3;
  const xP = 0;
  const seedsP = xP + 4 * D4;
  const dirsP = seedsP + 4 * R * D4;
  const zP = dirsP + 4 * 32 * D4;
  const outP = zP + 4 * Z4;
  const listP = outP + 8 * (count * D + 4);
  const need = listP + 4 * count * Z;
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
  const ints = new Int32Array(memory.buffer);
  if (loaded === undefined || loaded.seeds !== seeds || loaded.dirs !== dirs || loaded.zDims !== zDims) {
    for (let rr = 0; rr < R; rr++) {
      ints.set(seeds.subarray(rr * D, rr * D + D), (seedsP >> 2) + rr * D4);
      ints.fill(0, (seedsP >> 2) + rr * D4 + D, (seedsP >> 2) + (rr + 1) * D4);
    }
    for (let k = 0; k < 32; k++)
      for (let dd = 0; dd < D4; dd++) ints[(dirsP >> 2) + k * D4 + dd] = dd < D ? dirs[dd * 32 + k]! : 0;
    for (let j = 0; j < Z4; j++) ints[(zP >> 2) + j] = 8 * zDims[Math.min(j, Z - 1)]!;
    loaded = { seeds, dirs, zDims };
  }
  ints.set(x.subarray(0, D), xP >> 2);
  ints.fill(0, (xP >> 2) + D, (xP >> 2) + D4);
  f.fill(xP, seedsP, dirsP, outP, D4, D, R, r, q, count);
  if (Z > 0) {
    f.invert(outP, zP, Z4, 8 * D, count);
    f.tails(outP, zP, Z, 8 * D, count, listP);
  }
  return new Float64Array(memory.buffer, outP, count * D);
}

/**
 * Φ⁻¹(u) of AS241's tail values by the tails pass, for tests (u with |u − 0.5| > 0.425); null
 * where WebAssembly SIMD is unavailable.
 */
export function inverseNormalTailsSimd(us: Float64Array): Float64Array | null {
  const f = simdFill();
  if (f === null || memory === null) return null;
  const n = us.length;
  const need = 4 + 8 * (n + 1) + 4 * n;
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
  loaded = undefined;
  new Int32Array(memory.buffer, 0, 1)[0] = 0;
  const out = new Float64Array(memory.buffer, 8, n);
  for (let i = 0; i < n; i++) out[i] = us[i]! + TAIL_MARK;
  f.tails(8, 0, 1, 8, n, 8 + 8 * (n + 1));
  return out.slice();
}
