// oxlint-disable no-loss-of-precision -- AS241's coefficients as published (as in block.ts), more digits than a double holds
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

import { I32, V128, f64Bytes, op, sleb, simd, uleb, wasmModule } from "../wasm.js";

/** SIMD opcodes (fixed-width SIMD, WebAssembly core specification section 5.4.8). */
const S = {
  load: 0x00,
  store: 0x0b,
  shuffle: 0x0d,
  splat: 0x11,
  and: 0x4e,
  or: 0x50,
  xor: 0x51,
  shl: 0xab,
  shrU: 0xad,
  add: 0xae,
  mul: 0xb5,
  anyTrue: 0x53,
  bitselect: 0x52,
  f64Gt: 0x4a,
  f64Abs: 0xec,
  f64Add: 0xf0,
  f64Sub: 0xf1,
  f64Mul: 0xf2,
  f64Div: 0xf3,
  f64FromU32Low: 0xff,
  i64FromI32Low: 0xc7,
  i64FromI32High: 0xc8,
} as const;

// AS241's central rational function (|u − 0.5| ≤ 0.425), the coefficients as block.ts's
// inverseNormal writes them, highest power first.
const NUM = [
  2509.0809287301226727, 33430.575583588128105, 67265.770927008700853, 45921.953931549871457, 13731.693765509461125,
  1971.5909503065514427, 133.14166789178437745, 3.387132872796366608,
];
const DEN = [
  5226.495278852854561, 28729.085735721942674, 39307.89580009271061, 21213.794301586595867, 5394.1960214247511077,
  687.1870074920579083, 42.313330701600911252, 1,
];

/** Added to a tail coordinate's u (exactly: u has 33 bits) so the caller can tell it from a z. */
export const TAIL_MARK = 16;

const F64X2_SPLAT = 0x14;
const F64X2_EXTRACT_LANE = 0x21;
const F64X2_REPLACE_LANE = 0x22;
const I32_EQ = 0x46;
const I32_CTZ = 0x68;

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
  // y = ((y >>> s) & m) | ((y & m) << s)
  // prettier-ignore
  const swap = (s: number, m: number) => [
    ...get(y), ...i32(s), ...v(S.shrU), ...splat(m), ...v(S.and),
    ...get(y), ...splat(m), ...v(S.and), ...i32(s), ...v(S.shl),
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
    ...swap(1, 0x55555555), ...swap(2, 0x33333333), ...swap(4, 0x0f0f0f0f),
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

/**
 * invert(outP, zP, Z4, rowBytes, count): for each of count rows of rowBytes at outP, the
 * doubles at the byte offsets zP[0..Z4) (int32, Z4 a multiple of 4; padding repeats the last
 * offset, which computes the same value twice) become Φ⁻¹(u) where |u − 0.5| ≤ 0.425 (AS241's
 * central rational function, the same operations in the same order as block.ts's inverseNormal,
 * so the same bits) and u + TAIL_MARK elsewhere, for the caller to finish with a logarithm.
 * Four coordinates at a time, as two independent pairs, so their Horner chains overlap.
 */
function invertModuleBytes(): Uint8Array<ArrayBuffer> {
  const [outP, zP, Z4, rowBytes, count] = [0, 1, 2, 3, 4]; // i32 params
  const [i, j, base, a0, a1, a2, a3] = [5, 6, 7, 8, 9, 10, 11]; // i32 locals
  const [ua, ub, qa, qb, ra, rb, na, nb, da, db] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21]; // v128 locals
  const get = (l: number) => [op.get, l];
  const set = (l: number) => [op.set, l];
  const i32 = (v: number) => [op.i32Const, ...sleb(v)];
  const v = (code: number) => simd(code);
  const f64Splat = (x: number) => [op.f64Const, ...f64Bytes(x), ...simd(F64X2_SPLAT)];
  const f64mem = [...uleb(3), ...uleb(0)];
  // a = base + zP[j + k]
  const addr = (to: number, k: number) => [
    ...get(base),
    ...get(zP),
    ...get(j),
    op.i32Add,
    op.i32Load,
    ...uleb(2),
    ...uleb(4 * k),
    op.i32Add,
    ...set(to),
  ];
  // u = (f64[x], f64[y])
  const pair = (to: number, x: number, y: number) => [
    ...get(x),
    op.f64Load,
    ...f64mem,
    ...simd(F64X2_SPLAT),
    ...get(y),
    op.f64Load,
    ...f64mem,
    ...simd(F64X2_REPLACE_LANE),
    1,
    ...set(to),
  ];
  // q = u − 0.5; r = 0.180625 − q·q
  const qr = (u: number, q: number, r: number) => [
    ...get(u),
    ...f64Splat(0.5),
    ...v(S.f64Sub),
    ...set(q),
    ...f64Splat(0.180625),
    ...get(q),
    ...get(q),
    ...v(S.f64Mul),
    ...v(S.f64Sub),
    ...set(r),
  ];
  // four Horner chains side by side: acc = acc·r + c
  const step = (acc: number, r: number, c: number) => [
    ...get(acc),
    ...get(r),
    ...v(S.f64Mul),
    ...f64Splat(c),
    ...v(S.f64Add),
    ...set(acc),
  ];
  const horner = [
    ...f64Splat(NUM[0]!),
    ...set(na),
    ...f64Splat(NUM[0]!),
    ...set(nb),
    ...f64Splat(DEN[0]!),
    ...set(da),
    ...f64Splat(DEN[0]!),
    ...set(db),
    ...NUM.slice(1).flatMap((c, k) => [
      ...step(na, ra, c),
      ...step(nb, rb, c),
      ...step(da, ra, DEN[k + 1]!),
      ...step(db, rb, DEN[k + 1]!),
    ]),
  ];
  // u ← tail ? u + TAIL_MARK : (q · num) / den
  const finish = (u: number, q: number, n: number, d: number) => [
    ...get(u),
    ...f64Splat(TAIL_MARK),
    ...v(S.f64Add),
    ...get(q),
    ...get(n),
    ...v(S.f64Mul),
    ...get(d),
    ...v(S.f64Div),
    ...get(q),
    ...v(S.f64Abs),
    ...f64Splat(0.425),
    ...v(S.f64Gt),
    ...v(S.bitselect),
    ...set(u),
  ];
  const put = (x: number, u: number, lane: number) => [
    ...get(x),
    ...get(u),
    ...simd(F64X2_EXTRACT_LANE),
    lane,
    op.f64Store,
    ...f64mem,
  ];
  // prettier-ignore
  const body = [
    ...get(outP), ...set(base),
    op.block, 0x40,
    op.loop, 0x40,
    ...get(i), ...get(count), op.i32GeU, op.brIf, 1,
    ...i32(0), ...set(j),
    op.block, 0x40,
    op.loop, 0x40,
    ...get(j), ...get(Z4), ...i32(2), op.i32Shl, op.i32GeU, op.brIf, 1,
    ...addr(a0, 0), ...addr(a1, 1), ...addr(a2, 2), ...addr(a3, 3),
    ...pair(ua, a0, a1), ...pair(ub, a2, a3),
    ...qr(ua, qa, ra), ...qr(ub, qb, rb),
    ...horner,
    ...finish(ua, qa, na, da), ...finish(ub, qb, nb, db),
    ...put(a0, ua, 0), ...put(a1, ua, 1), ...put(a2, ub, 0), ...put(a3, ub, 1),
    ...get(j), ...i32(16), op.i32Add, ...set(j),
    op.br, 0,
    op.end,
    op.end,
    ...get(base), ...get(rowBytes), op.i32Add, ...set(base),
    ...get(i), ...i32(1), op.i32Add, ...set(i),
    op.br, 0,
    op.end,
    op.end,
    op.end,
  ];
  return wasmModule({
    params: [I32, I32, I32, I32, I32],
    locals: [
      [7, I32],
      [10, V128],
    ],
    body,
    exportName: "invert",
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

const PAGE = 65536;

type Invert = (outP: number, zP: number, Z4: number, rowBytes: number, count: number) => void;

let memory: WebAssembly.Memory | null = null;
let fns: { fill: Fill; invert: Invert } | null | undefined;

function simdFill(): { fill: Fill; invert: Invert } | null {
  if (fns !== undefined) return fns;
  fns = null;
  try {
    const a = scrambleModuleBytes();
    const b = invertModuleBytes();
    if (typeof WebAssembly === "object" && WebAssembly.validate(a) && WebAssembly.validate(b)) {
      memory = new WebAssembly.Memory({ initial: 16 });
      const env = { env: { memory } };
      const fill = new WebAssembly.Instance(new WebAssembly.Module(a), env).exports.fill as Fill;
      const invert = new WebAssembly.Instance(new WebAssembly.Module(b), env).exports.invert as Invert;
      fns = { fill, invert };
    }
  } catch {
    fns = null;
  }
  return fns;
}

/** Whether the SIMD fill runs here. */
export function simdScrambleAvailable(): boolean {
  return simdFill() !== null;
}

/** The tables last copied into the module's memory (block.ts's, by identity). */
let loaded: { seeds: Int32Array; dirs: Int32Array; zDims: Int32Array } | undefined;

/**
 * Writes the coordinates of paths r, r + 1, … of point q into out (count·D doubles), x the
 * point's bit-reversed integers, seeds[r·D + d] and dirs[d·32 + k] as block.ts keeps them: u,
 * or for the dimensions in zDims Φ⁻¹(u) in AS241's central region and u + TAIL_MARK in its tails,
 * which the caller finishes. Returns false where WebAssembly SIMD is unavailable.
 */
export function scrambleBlockSimd(
  out: Float64Array,
  x: Int32Array,
  seeds: Int32Array,
  dirs: Int32Array,
  zDims: Int32Array,
  D: number,
  R: number,
  r: number,
  q: number,
  count: number,
): boolean {
  const f = simdFill();
  if (f === null || memory === null) return false;
  const D4 = (D + 3) & ~3;
  const Z = zDims.length;
  const Z4 = (Z + 3) & ~3;
  const xP = 0;
  const seedsP = xP + 4 * D4;
  const dirsP = seedsP + 4 * R * D4;
  const zP = dirsP + 4 * 32 * D4;
  const outP = zP + 4 * Z4;
  const need = outP + 8 * (count * D + 4);
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
  if (Z > 0) f.invert(outP, zP, Z4, 8 * D, count);
  out.set(new Float64Array(memory.buffer, outP, count * D));
  return true;
}
