// oxlint-disable no-loss-of-precision -- AS241's and fdlibm's coefficients as published (as in block.ts), more digits than a double holds
// Φ⁻¹(u) of a block's normal-family coordinates in WebAssembly, after scramble-simd.ts's fill
// has written their u: AS241's central region four coordinates at a time (SIMD), then its tails
// one at a time with fdlibm's logarithm written out. Both are the operations of block.ts's
// inverseNormal in the same order, so the same bits (tests hold them to it).

import { F64, I32, V128, f64Bytes, op, sleb, simd, uleb, wasmModule } from "../wasm.js";
import {
  ELSE,
  F64X2_EXTRACT_LANE,
  F64X2_REPLACE_LANE,
  F64X2_SPLAT,
  F64_CONVERT_I32_S,
  F64_DIV,
  F64_EQ,
  F64_LE,
  F64_MUL,
  F64_NEG,
  F64_REINTERPRET_I64,
  F64_SQRT,
  F64_SUB,
  I32_OR,
  I32_SHR_S,
  I32_WRAP_I64,
  I64,
  I64_CONST,
  I64_EXTEND_I32_U,
  I64_OR,
  I64_REINTERPRET_F64,
  I64_SHL,
  I64_SHR_U,
  I64X2_ADD,
  I64X2_GT_S,
  I64X2_LT_S,
  I64X2_SHL,
  I64X2_SHR_S,
  I64X2_SHR_U,
  I64X2_SPLAT,
  I64X2_SUB,
  F64X2_FROM_I32_LOW,
  F64X2_LT,
  F64X2_NEG,
  F64X2_SQRT,
  S,
} from "./opcodes.js";

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

/**
 * The loop both passes run: for each of `count` rows of `rowBytes` from `outP` (local `base`),
 * for each int32 byte offset at zP[j], j < 4·`limit`, by `step` bytes (local `j`): `body`.
 */
function overRows(
  l: { outP: number; zP: number; limit: number; rowBytes: number; count: number; i: number; j: number; base: number },
  step: number,
  body: number[],
): number[] {
  const get = (x: number) => [op.get, x];
  const set = (x: number) => [op.set, x];
  const i32 = (x: number) => [op.i32Const, ...sleb(x)];
  // prettier-ignore
  return [
    ...get(l.outP), ...set(l.base),
    op.block, 0x40,
    op.loop, 0x40,
    ...get(l.i), ...get(l.count), op.i32GeU, op.brIf, 1,
    ...i32(0), ...set(l.j),
    op.block, 0x40,
    op.loop, 0x40,
    ...get(l.j), ...get(l.limit), ...i32(2), op.i32Shl, op.i32GeU, op.brIf, 1,
    ...body,
    ...get(l.j), ...i32(step), op.i32Add, ...set(l.j),
    op.br, 0,
    op.end,
    op.end,
    ...get(l.base), ...get(l.rowBytes), op.i32Add, ...set(l.base),
    ...get(l.i), ...i32(1), op.i32Add, ...set(l.i),
    op.br, 0,
    op.end,
    op.end,
  ];
}

/**
 * invert(outP, zP, Z4, rowBytes, count): for each of count rows of rowBytes at outP, the
 * doubles at the byte offsets zP[0..Z4) (int32, Z4 a multiple of 4; padding repeats the last
 * offset, which computes the same value twice) become Φ⁻¹(u) where |u − 0.5| ≤ 0.425 (AS241's
 * central rational function, the same operations in the same order as block.ts's inverseNormal,
 * so the same bits) and u + TAIL_MARK elsewhere, for the caller to finish with a logarithm.
 * Four coordinates at a time, as two independent pairs, so their Horner chains overlap.
 */
export function invertModuleBytes(): Uint8Array<ArrayBuffer> {
  const [outP, zP, Z4, rowBytes, count] = [0, 1, 2, 3, 4]; // i32 params
  const [i, j, base, a0, a1, a2, a3] = [5, 6, 7, 8, 9, 10, 11]; // i32 locals
  const [ua, ub, qa, qb, ra, rb, na, nb, da, db] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21]; // v128 locals
  const get = (l: number) => [op.get, l];
  const set = (l: number) => [op.set, l];
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
  const four = [
    ...addr(a0, 0), ...addr(a1, 1), ...addr(a2, 2), ...addr(a3, 3),
    ...pair(ua, a0, a1), ...pair(ub, a2, a3),
    ...qr(ua, qa, ra), ...qr(ub, qb, rb),
    ...horner,
    ...finish(ua, qa, na, da), ...finish(ub, qb, nb, db),
    ...put(a0, ua, 0), ...put(a1, ua, 1), ...put(a2, ub, 0), ...put(a3, ub, 1),
  ];
  const body = [...overRows({ outP, zP, limit: Z4, rowBytes, count, i, j, base }, 16, four), op.end];
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
 * tails(outP, zP, Z, rowBytes, count, listP): each coordinate the invert pass left as
 * u + TAIL_MARK (above 8) becomes Φ⁻¹(u) by AS241's tail branch, r = √(−log p) with
 * p = min(u, 1 − u). First the tails' addresses are listed (branch-free: every address is
 * written, the count moves only for a tail, about 15% of them at random, which a branch would
 * mispredict), then the list is finished one coordinate at a time. The logarithm is fdlibm's
 * __ieee754_log (e_log.c) written out for the p that occur here (2^-33 ≤ p < 0.075: normal,
 * below 1, so its exponent k ≠ 0), both sides of its last test computed and one selected — the
 * algorithm V8's Math.log runs, so the same bits as block.ts's inverseNormal (a test holds every
 * tail of a fill to the JavaScript loop's; e_log.c's cases for 0, negative, subnormal, infinite
 * and k = 0 arguments cannot occur and are left out). listP has room for count·Z int32.
 */
export function tailsModuleBytes(): Uint8Array<ArrayBuffer> {
  const [outP, zP, Z, rowBytes, count, listP] = [0, 1, 2, 3, 4, 5]; // i32 params
  const [i, j, base, a, hx, k, ii, jj, n, at] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]; // i32 locals
  const [v, u, q, p, f, sv, z, w, R, dk, hfsq, r] = [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]; // f64 locals
  const bits = 28; // i64 local
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
      // e_log.c's i = ii | jj > 0 chooses between these; both are computed (the same operations
      // as either branch) and one is selected, for a test that goes either way at random
      ...mul(mul(c(0.5), get(f)), get(f)), ...set(hfsq),
      ...sub(mul(get(dk), c(LN2_HI)), sub(sub(get(hfsq), add(mul(get(sv), add(get(hfsq), get(R))), mul(get(dk), c(LN2_LO)))), get(f))),
      ...sub(mul(get(dk), c(LN2_HI)), sub(sub(mul(get(sv), sub(get(f), get(R))), mul(get(dk), c(LN2_LO))), get(f))),
      ...get(ii), ...get(jj), I32_OR, ...i32(0), op.i32GtS,
      op.select,
    op.end,
  ];
  // list[n] = a; n += (f64[a] > 8)
  // prettier-ignore
  const listOne = [
    ...get(base), ...get(zP), ...get(j), op.i32Add, op.i32Load, ...uleb(2), ...uleb(0), op.i32Add, ...set(a),
    ...get(listP), ...get(n), ...i32(2), op.i32Shl, op.i32Add, ...get(a), op.i32Store, ...uleb(2), ...uleb(0),
    ...get(n), ...get(a), op.f64Load, ...uleb(3), ...uleb(0), ...c(8), op.f64Gt, op.i32Add, ...set(n),
  ];
  // prettier-ignore
  const one = [
      ...get(a), op.f64Load, ...uleb(3), ...uleb(0), ...set(v),
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
  ];
  // prettier-ignore
  const listAt = (offset: number): Code => [
    ...get(listP), ...get(at), ...i32(2), op.i32Shl, op.i32Add, op.i32Load, ...uleb(2), ...uleb(4 * offset),
  ];
  const body = [
    ...overRows({ outP, zP, limit: Z, rowBytes, count, i, j, base }, 4, listOne),
    // two at a time (pairOfTails), then the last one alone
    op.block,
    0x40,
    op.loop,
    0x40,
    ...get(at),
    ...i32(1),
    op.i32Add,
    ...get(n),
    op.i32GeU,
    op.brIf,
    1,
    ...listAt(0),
    ...set(a),
    ...listAt(1),
    ...set(TAILS_A2),
    ...pairOfTails(a, one),
    ...get(at),
    ...i32(2),
    op.i32Add,
    ...set(at),
    op.br,
    0,
    op.end,
    op.end,
    ...get(at),
    ...get(n),
    op.i32LtS,
    op.if,
    0x40,
    ...listAt(0),
    ...set(a),
    ...one,
    op.end,
    op.end,
  ];
  return wasmModule({
    params: [I32, I32, I32, I32, I32, I32],
    locals: [
      [10, I32],
      [12, F64],
      [1, I64],
      [1, I32],
      [TAILS_V128, V128],
    ],
    body,
    exportName: "tails",
  });
}

/** The tails pass's local holding the second address of a pair, and its first v128 local. */
const TAILS_A2 = 29;
const TAILS_V0 = 30;
const TAILS_V128 = 17;

/**
 * Two listed tails (addresses in locals `a` and TAILS_A2) by the tails pass's scalar steps, lane
 * by lane in f64x2 and i64x2: the same operations in the same order, so the same bits. The
 * logarithm's rare case (|f| < 2^-20, p within 2^-20 of a power of two) and AS241's far tail
 * (r > 5, which a u of 33 bits never reaches) are left to `one`, the scalar steps, for both.
 */
function pairOfTails(a: number, one: number[]): number[] {
  // v128 locals, TAILS_V0 onward
  const v = TAILS_V0 + 0;
  const u = TAILS_V0 + 1;
  const q = TAILS_V0 + 2;
  const p = TAILS_V0 + 3;
  const hx = TAILS_V0 + 4;
  const k = TAILS_V0 + 5;
  const ii = TAILS_V0 + 6;
  const f = TAILS_V0 + 7;
  const dk = TAILS_V0 + 8;
  const sv = TAILS_V0 + 9;
  const z = TAILS_V0 + 10;
  const w = TAILS_V0 + 11;
  const R = TAILS_V0 + 12;
  const hfsq = TAILS_V0 + 13;
  const lg = TAILS_V0 + 14;
  const r = TAILS_V0 + 15;
  const odd = TAILS_V0 + 16;
  type Code = number[];
  const get = (l: number): Code => [op.get, l];
  const set = (l: number): Code => [op.set, l];
  const vs = (code: number) => simd(code);
  const c = (x: number): Code => [op.f64Const, ...f64Bytes(x), ...simd(F64X2_SPLAT)];
  const c64 = (x: number): Code => [I64_CONST, ...sleb(x), ...simd(I64X2_SPLAT)];
  const bin =
    (code: number) =>
    (x: Code, y: Code): Code => [...x, ...y, ...vs(code)];
  const add = bin(S.f64Add);
  const sub = bin(S.f64Sub);
  const mul = bin(S.f64Mul);
  const div = bin(S.f64Div);
  const and = bin(S.and);
  const or = bin(S.or);
  const xor = bin(S.xor);
  const iadd = bin(I64X2_ADD);
  const isub = bin(I64X2_SUB);
  const shift =
    (code: number) =>
    (x: Code, by: number): Code => [...x, op.i32Const, ...sleb(by), ...vs(code)];
  const shl = shift(I64X2_SHL);
  const shrS = shift(I64X2_SHR_S);
  const shrU = shift(I64X2_SHR_U);
  const select = (yes: Code, no: Code, mask: Code): Code => [...yes, ...no, ...mask, ...vs(S.bitselect)];
  const horner = (coef: number[], x: number): Code =>
    coef.slice(1).reduce((acc, k2) => add(mul(acc, get(x)), c(k2)), c(coef[0]!));
  const negative = (x: number): Code => [...get(x), ...c(0), ...vs(F64X2_LT)];
  // prettier-ignore
  return [
    ...get(a), op.f64Load, ...uleb(3), ...uleb(0), ...simd(F64X2_SPLAT),
    ...get(TAILS_A2), op.f64Load, ...uleb(3), ...uleb(0), ...simd(F64X2_REPLACE_LANE), 1, ...set(v),
    ...sub(get(v), c(TAIL_MARK)), ...set(u),
    ...sub(get(u), c(0.5)), ...set(q),
    ...select(get(u), sub(c(1), get(u)), negative(q)), ...set(p),
    // the logarithm (see the scalar steps): hx, k, ii, f, dk
    ...shrU(get(p), 32), ...set(hx),
    ...isub(shrS(get(hx), 20), c64(1023)), ...set(k),
    ...and(get(hx), c64(0x000fffff)), ...set(hx),
    ...and(iadd(get(hx), c64(0x95f64)), c64(0x100000)), ...set(ii),
    ...or(shl(or(get(hx), xor(get(ii), c64(0x3ff00000))), 32), shrU(shl(get(p), 32), 32)),
    ...c(1), ...vs(S.f64Sub), ...set(f),
    ...iadd(get(k), shrS(get(ii), 20)), ...set(k),
    ...get(k), ...get(k), ...vs(S.shuffle), 0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11, ...vs(F64X2_FROM_I32_LOW), ...set(dk),
    // the rare case, for `one`: (0x000fffff & (2 + hx)) < 3
    ...and(iadd(get(hx), c64(2)), c64(0x000fffff)), ...c64(3), ...vs(I64X2_LT_S), ...set(odd),
    ...div(get(f), add(c(2), get(f))), ...set(sv),
    ...mul(get(sv), get(sv)), ...set(z),
    ...mul(get(z), get(z)), ...set(w),
    ...add(
      mul(get(z), add(c(LG[0]!), mul(get(w), add(c(LG[2]!), mul(get(w), add(c(LG[4]!), mul(get(w), c(LG[6]!)))))))),
      mul(get(w), add(c(LG[1]!), mul(get(w), add(c(LG[3]!), mul(get(w), c(LG[5]!)))))),
    ), ...set(R),
    ...mul(mul(c(0.5), get(f)), get(f)), ...set(hfsq),
    ...select(
      sub(mul(get(dk), c(LN2_HI)), sub(sub(get(hfsq), add(mul(get(sv), add(get(hfsq), get(R))), mul(get(dk), c(LN2_LO)))), get(f))),
      sub(mul(get(dk), c(LN2_HI)), sub(sub(mul(get(sv), sub(get(f), get(R))), mul(get(dk), c(LN2_LO))), get(f))),
      // (hx − 0x6147a | 0x6b851 − hx) > 0
      [...or(isub(get(hx), c64(0x6147a)), isub(c64(0x6b851), get(hx))), ...c64(0), ...vs(I64X2_GT_S)],
    ), ...set(lg),
    ...get(lg), ...vs(F64X2_NEG), ...vs(F64X2_SQRT), ...set(r),
    ...or(get(odd), [...get(r), ...c(5), ...vs(S.f64Gt)]), ...vs(S.anyTrue),
    op.if, 0x40,
      ...one,
      ...get(TAILS_A2), ...set(a),
      ...one,
    ELSE,
      ...sub(get(r), c(1.6)), ...set(r),
      ...div(horner(TAIL_NUM_1, r), horner(TAIL_DEN_1, r)), ...set(lg),
      ...select([...get(lg), ...vs(F64X2_NEG)], get(lg), negative(q)), ...set(lg),
      ...get(a), ...get(lg), ...simd(F64X2_EXTRACT_LANE), 0, op.f64Store, ...uleb(3), ...uleb(0),
      ...get(TAILS_A2), ...get(lg), ...simd(F64X2_EXTRACT_LANE), 1, op.f64Store, ...uleb(3), ...uleb(0),
    op.end,
  ];
}
