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

import { F64, I32, V128, f64Bytes, op, sleb, simd, uleb, wasmModule } from "../wasm.js";

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
const I64 = 0x7e;
const ELSE = 0x05;
const I64_CONST = 0x42;
const F64_EQ = 0x61;
const F64_LE = 0x65;
const I32_OR = 0x72;
const I32_SHR_S = 0x75;
const I64_OR = 0x84;
const I64_SHL = 0x86;
const I64_SHR_U = 0x88;
const F64_NEG = 0x9a;
const F64_SQRT = 0x9f;
const F64_SUB = 0xa1;
const F64_MUL = 0xa2;
const F64_DIV = 0xa3;
const I32_WRAP_I64 = 0xa7;
const I64_EXTEND_I32_U = 0xad;
const F64_CONVERT_I32_S = 0xb7;
const I64_REINTERPRET_F64 = 0xbd;
const F64_REINTERPRET_I64 = 0xbf;
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

// fdlibm's __ieee754_log constants (e_log.c), as V8's Math.log uses them.
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LG = [
  6.66666666666673513e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1,
  1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1,
];
// AS241's tail rational functions (block.ts's inverseNormal), highest power first.
const TAIL_NUM_1 = [
  7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177, 1.27045825245236838258,
  3.64784832476320460504, 5.7694972214606914055, 4.6303378461565452959, 1.42343711074968357734,
];
const TAIL_DEN_1 = [
  1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966, 0.14810397642748007459,
  0.68976733498510000455, 1.6763848301838038494, 2.05319162663775882187, 1,
];
const TAIL_NUM_2 = [
  2.01033439929228813265e-7, 2.71155556874348757815e-5, 0.0012426609473880784386, 0.026532189526576123093,
  0.29656057182850489123, 1.7848265399172913358, 5.4637849111641143699, 6.6579046435011037772,
];
const TAIL_DEN_2 = [
  2.04426310338993978564e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5, 7.868691311456132591e-4,
  0.0148753612908506148525, 0.13692988092273580531, 0.59983220655588793769, 1,
];

/**
 * tails(outP, zP, Z, rowBytes, count): each coordinate the invert pass left as u + TAIL_MARK
 * (above 8) becomes Φ⁻¹(u) by AS241's tail branch, r = √(−log p) with p = min(u, 1 − u), one
 * coordinate at a time. The logarithm is fdlibm's __ieee754_log (e_log.c) written out for the
 * p that occur here (2^-33 ≤ p < 0.075: normal, below 1, so its exponent k ≠ 0) — the algorithm
 * V8's Math.log runs, so the same bits as block.ts's inverseNormal (a test holds every tail of
 * a fill to the JavaScript loop's; e_log.c's cases for 0, negative, subnormal, infinite and
 * k = 0 arguments cannot occur and are left out).
 */
function tailsModuleBytes(): Uint8Array<ArrayBuffer> {
  const [outP, zP, Z, rowBytes, count] = [0, 1, 2, 3, 4]; // i32 params
  const [i, j, base, a, hx, k, ii, jj] = [5, 6, 7, 8, 9, 10, 11, 12]; // i32 locals
  const [v, u, q, p, f, sv, z, w, R, dk, hfsq, r] = [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]; // f64 locals
  const bits = 25; // i64 local
  type Code = number[];
  const get = (l: number): Code => [op.get, l];
  const set = (l: number): Code => [op.set, l];
  const i32 = (x: number): Code => [op.i32Const, ...sleb(x)];
  const c = (x: number): Code => [op.f64Const, ...f64Bytes(x)];
  const bin =
    (code: number) =>
    (x: Code, y: Code): Code => [...x, ...y, code];
  const add = bin(op.f64Add);
  const sub = bin(F64_SUB);
  const mul = bin(F64_MUL);
  const div = bin(F64_DIV);
  const horner = (coef: number[], x: number): Code =>
    coef.slice(1).reduce((acc, k2) => add(mul(acc, get(x)), c(k2)), c(coef[0]!));
  const rational = (num: number[], den: number[]) => div(horner(num, r), horner(den, r));
  // prettier-ignore
  const log = [
    // hx = high word of p; k = exponent − 1023; hx = its mantissa's high bits
    ...get(p), I64_REINTERPRET_F64, ...set(bits),
    ...get(bits), I64_CONST, ...sleb(32), I64_SHR_U, I32_WRAP_I64, ...set(hx),
    ...get(hx), ...i32(20), I32_SHR_S, ...i32(1023), op.i32Sub, ...set(k),
    ...get(hx), ...i32(0x000fffff), op.i32And, ...set(hx),
    ...get(hx), ...i32(0x95f64), op.i32Add, ...i32(0x100000), op.i32And, ...set(ii),
    // f = (p with its high word hx | (ii ^ 0x3ff00000)) − 1: p or p/2 scaled into [√2/2, √2)
    ...get(hx), ...get(ii), ...i32(0x3ff00000), op.i32Xor, I32_OR, I64_EXTEND_I32_U, I64_CONST, ...sleb(32), I64_SHL,
    ...get(bits), I64_CONST, ...sleb(32), I64_SHL, I64_CONST, ...sleb(32), I64_SHR_U, I64_OR,
    F64_REINTERPRET_I64, ...c(1), F64_SUB, ...set(f),
    ...get(k), ...get(ii), ...i32(20), I32_SHR_S, op.i32Add, ...set(k),
    ...get(k), F64_CONVERT_I32_S, ...set(dk),
    // |f| < 2^-20
    ...i32(0x000fffff), ...i32(2), ...get(hx), op.i32Add, op.i32And, ...i32(3), op.i32LtS,
    op.if, F64,
      ...get(f), ...c(0), F64_EQ,
      op.if, F64,
        ...add(mul(get(dk), c(LN2_HI)), mul(get(dk), c(LN2_LO))),
      ELSE,
        ...mul(mul(get(f), get(f)), sub(c(0.5), mul(c(0.33333333333333333), get(f)))), ...set(R),
        ...sub(mul(get(dk), c(LN2_HI)), sub(sub(get(R), mul(get(dk), c(LN2_LO))), get(f))),
      op.end,
    ELSE,
      ...div(get(f), add(c(2), get(f))), ...set(sv),
      ...mul(get(sv), get(sv)), ...set(z),
      ...get(hx), ...i32(0x6147a), op.i32Sub, ...set(ii),
      ...mul(get(z), get(z)), ...set(w),
      ...i32(0x6b851), ...get(hx), op.i32Sub, ...set(jj),
      // R = t2 + t1: t1 = w(Lg2 + w(Lg4 + w·Lg6)), t2 = z(Lg1 + w(Lg3 + w(Lg5 + w·Lg7)))
      ...add(
        mul(get(z), add(c(LG[0]!), mul(get(w), add(c(LG[2]!), mul(get(w), add(c(LG[4]!), mul(get(w), c(LG[6]!)))))))),
        mul(get(w), add(c(LG[1]!), mul(get(w), add(c(LG[3]!), mul(get(w), c(LG[5]!)))))),
      ), ...set(R),
      ...get(ii), ...get(jj), I32_OR, ...i32(0), op.i32GtS,
      op.if, F64,
        ...mul(mul(c(0.5), get(f)), get(f)), ...set(hfsq),
        ...sub(mul(get(dk), c(LN2_HI)), sub(sub(get(hfsq), add(mul(get(sv), add(get(hfsq), get(R))), mul(get(dk), c(LN2_LO)))), get(f))),
      ELSE,
        ...sub(mul(get(dk), c(LN2_HI)), sub(sub(mul(get(sv), sub(get(f), get(R))), mul(get(dk), c(LN2_LO))), get(f))),
      op.end,
    op.end,
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
    ...get(j), ...get(Z), ...i32(2), op.i32Shl, op.i32GeU, op.brIf, 1,
    ...get(base), ...get(zP), ...get(j), op.i32Add, op.i32Load, ...uleb(2), ...uleb(0), op.i32Add, ...set(a),
    ...get(a), op.f64Load, ...uleb(3), ...uleb(0), ...set(v),
    ...get(v), ...c(8), op.f64Gt,
    op.if, 0x40,
      ...sub(get(v), c(TAIL_MARK)), ...set(u),
      ...sub(get(u), c(0.5)), ...set(q),
      // p = q < 0 ? u : 1 − u
      ...get(u), ...sub(c(1), get(u)), ...get(q), ...c(0), op.f64Lt, op.select, ...set(p),
      ...log, F64_NEG, F64_SQRT, ...set(r),
      ...get(a),
      ...get(r), ...c(5), F64_LE,
      op.if, F64,
        ...sub(get(r), c(1.6)), ...set(r), ...rational(TAIL_NUM_1, TAIL_DEN_1),
      ELSE,
        ...sub(get(r), c(5)), ...set(r), ...rational(TAIL_NUM_2, TAIL_DEN_2),
      op.end,
      ...set(v),
      // q < 0 ? −x : x
      ...get(v), F64_NEG, ...get(v), ...get(q), ...c(0), op.f64Lt, op.select,
      op.f64Store, ...uleb(3), ...uleb(0),
    op.end,
    ...get(j), ...i32(4), op.i32Add, ...set(j),
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
      [8, I32],
      [12, F64],
      [1, I64],
    ],
    body,
    exportName: "tails",
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
type Tails = (outP: number, zP: number, Z: number, rowBytes: number, count: number) => void;

let memory: WebAssembly.Memory | null = null;
let fns: { fill: Fill; invert: Invert; tails: Tails } | null | undefined;

function simdFill(): { fill: Fill; invert: Invert; tails: Tails } | null {
  if (fns !== undefined) return fns;
  fns = null;
  try {
    const a = scrambleModuleBytes();
    const b = invertModuleBytes();
    const t = tailsModuleBytes();
    if (typeof WebAssembly === "object" && [a, b, t].every((m) => WebAssembly.validate(m))) {
      memory = new WebAssembly.Memory({ initial: 16 });
      const env = { env: { memory } };
      const fill = new WebAssembly.Instance(new WebAssembly.Module(a), env).exports.fill as Fill;
      const invert = new WebAssembly.Instance(new WebAssembly.Module(b), env).exports.invert as Invert;
      const tails = new WebAssembly.Instance(new WebAssembly.Module(t), env).exports.tails as Tails;
      fns = { fill, invert, tails };
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
  if (Z > 0) {
    f.invert(outP, zP, Z4, 8 * D, count);
    f.tails(outP, zP, Z, 8 * D, count);
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
  const need = 4 + 8 * (n + 1);
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
  loaded = undefined;
  new Int32Array(memory.buffer, 0, 1)[0] = 0;
  const out = new Float64Array(memory.buffer, 8, n);
  for (let i = 0; i < n; i++) out[i] = us[i]! + TAIL_MARK;
  f.tails(8, 0, 1, 8, n);
  return out.slice();
}
