// Generator words in bulk. For a block of paths and a draw site that draws every month, the
// first word of each month's counter block (counter t·1024, t = 1, 2, …) is what the sampler
// reads first — the only word a normal draw needs (unless the ziggurat rejects, ≈1.2%) and the
// only one below() needs (unless it ties, ≈2^-27). The kernel gets these words from here, made
// four months at a time with WebAssembly SIMD, instead of hashing them one by one in the month
// loop; the words are exactly Stream.word()'s (same keys, same hash, bit for bit), so results do
// not change. fillWordsJs is the same computation in JavaScript: the fallback where WebAssembly
// SIMD is missing, and the reference a test holds the SIMD code to.
//
// Layout: per site, path i's words for months 1..months are at [i·stride, i·stride + months),
// stride = months rounded up to a multiple of 4.

import { I32, V128, WASM_PAGE, instantiateAll, op, sleb, simd, simdOp, uleb, wasmModule } from "./wasm.js";

const K1 = 0x7feb352d;
const K2 = 0x846ca68b | 0;
const PATH_MUL = 0x632be5ab;

function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, K1);
  x ^= x >>> 15;
  x = Math.imul(x, K2);
  return x ^ (x >>> 16);
}

/** Words per path for `months` months: rounded up to whole groups of four. */
export function wordStride(months: number): number {
  return (months + 3) & ~3;
}

/**
 * The reference: out[i·stride + t − 1] = the word at counter t·1024 of site (siteK, siteMul) on
 * path first + i, for t = 1..months (as Stream.keyed then Stream.word would give it, as int32).
 */
export function fillWordsJs(
  out: Int32Array,
  seedLo: number,
  seedHi: number,
  first: number,
  count: number,
  months: number,
  siteK: number,
  siteMul: number,
): void {
  const stride = wordStride(months);
  const hiTerm = Math.imul(Math.floor(first / 4294967296), PATH_MUL);
  for (let i = 0; i < count; i++) {
    const pk = mix32(((first + i) ^ seedHi) + hiTerm);
    const ka = mix32((seedLo ^ siteK) + pk);
    const kb = mix32(ka ^ seedHi ^ siteMul) ^ pk;
    for (let t = 1; t <= stride; t++) out[i * stride + t - 1] = mix32(mix32((t * 1024 + ka) | 0) ^ kb);
  }
}

/**
 * fill(out, count, stride, firstLo, hiTerm, sk, sm, seedHi): the SIMD version of fillWordsJs
 * for one site, writing at byte address `out`; sk = seedLo ^ siteK, sm = seedHi ^ siteMul,
 * hiTerm = imul(⌊first / 2^32⌋, PATH_MUL). Blocks start at multiples of 1024 paths, so
 * firstLo + i never carries into the high word.
 */
function wordsModuleBytes(): Uint8Array<ArrayBuffer> {
  const [out, count, stride, firstLo, hiTerm, sk, sm, seedHi] = [0, 1, 2, 3, 4, 5, 6, 7]; // i32 params
  const [i, q, p, pk, ka, kb, x32] = [8, 9, 10, 11, 12, 13, 14]; // i32 locals
  const [x, C, KA, KB] = [15, 16, 17, 18]; // v128 locals
  const get = (l: number) => [op.get, l];
  const set = (l: number) => [op.set, l];
  const i32 = (v: number) => [op.i32Const, ...sleb(v)];
  const mem = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];
  // x32 = mix32(x32), scalar
  // prettier-ignore
  const mix = [
    ...get(x32), ...get(x32), ...i32(16), op.i32ShrU, op.i32Xor, ...set(x32),
    ...get(x32), ...i32(K1), op.i32Mul, ...set(x32),
    ...get(x32), ...get(x32), ...i32(15), op.i32ShrU, op.i32Xor, ...set(x32),
    ...get(x32), ...i32(K2), op.i32Mul, ...set(x32),
    ...get(x32), ...get(x32), ...i32(16), op.i32ShrU, op.i32Xor, ...set(x32),
  ];
  // x = mix32(x) lane-wise
  // prettier-ignore
  const mix4 = [
    ...get(x), ...get(x), ...i32(16), ...simd(simdOp.i32x4ShrU), ...simd(simdOp.v128Xor), ...set(x),
    ...get(x), ...i32(K1), ...simd(simdOp.i32x4Splat), ...simd(simdOp.i32x4Mul), ...set(x),
    ...get(x), ...get(x), ...i32(15), ...simd(simdOp.i32x4ShrU), ...simd(simdOp.v128Xor), ...set(x),
    ...get(x), ...i32(K2), ...simd(simdOp.i32x4Splat), ...simd(simdOp.i32x4Mul), ...set(x),
    ...get(x), ...get(x), ...i32(16), ...simd(simdOp.i32x4ShrU), ...simd(simdOp.v128Xor), ...set(x),
  ];
  const counters = [1024, 2048, 3072, 4096].flatMap((c) => [...new Uint8Array(new Int32Array([c]).buffer)]);
  // prettier-ignore
  const body = [
    op.block, 0x40,
    op.loop, 0x40,
    ...get(i), ...get(count), op.i32GeU, op.brIf, 1,
    // pk = mix32(((firstLo + i) ^ seedHi) + hiTerm); ka = mix32(sk + pk); kb = mix32(ka ^ sm) ^ pk
    ...get(firstLo), ...get(i), op.i32Add, ...get(seedHi), op.i32Xor, ...get(hiTerm), op.i32Add, ...set(x32),
    ...mix, ...get(x32), ...set(pk),
    ...get(sk), ...get(pk), op.i32Add, ...set(x32),
    ...mix, ...get(x32), ...set(ka),
    ...get(ka), ...get(sm), op.i32Xor, ...set(x32),
    ...mix, ...get(x32), ...get(pk), op.i32Xor, ...set(kb),
    ...get(ka), ...simd(simdOp.i32x4Splat), ...set(KA),
    ...get(kb), ...simd(simdOp.i32x4Splat), ...set(KB),
    ...simd(simdOp.v128Const), ...counters, ...set(C),
    // p = out + 4·i·stride
    ...get(out), ...get(i), ...get(stride), op.i32Mul, ...i32(2), op.i32Shl, op.i32Add, ...set(p),
    ...i32(0), ...set(q),
    op.block, 0x40,
    op.loop, 0x40,
    ...get(q), ...get(stride), op.i32GeU, op.brIf, 1,
    // four months: x = mix32(mix32(C + ka) ^ kb)
    ...get(C), ...get(KA), ...simd(simdOp.i32x4Add), ...set(x),
    ...mix4,
    ...get(x), ...get(KB), ...simd(simdOp.v128Xor), ...set(x),
    ...mix4,
    ...get(p), ...get(x), ...simd(simdOp.v128Store), ...mem(4, 0),
    ...get(p), ...i32(16), op.i32Add, ...set(p),
    ...get(C), ...i32(4096), ...simd(simdOp.i32x4Splat), ...simd(simdOp.i32x4Add), ...set(C),
    ...get(q), ...i32(4), op.i32Add, ...set(q),
    op.br, 0,
    op.end,
    op.end,
    ...get(i), ...i32(1), op.i32Add, ...set(i),
    op.br, 0,
    op.end,
    op.end,
    op.end,
  ];
  return wasmModule({
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [
      [7, I32],
      [4, V128],
    ],
    body,
    exportName: "fill",
  });
}

type Fill = (
  out: number,
  count: number,
  stride: number,
  firstLo: number,
  hiTerm: number,
  sk: number,
  sm: number,
  seedHi: number,
) => void;

const PAGE = WASM_PAGE;

let memory: WebAssembly.Memory | null = null;
let fill: Fill | null | undefined;

function simdFill(): Fill | null {
  if (fill !== undefined) return fill;
  const made = instantiateAll<Fill>([{ bytes: wordsModuleBytes(), exportName: "fill" }], 4);
  memory = made?.memory ?? null;
  fill = made?.fns[0] ?? null;
  return fill;
}

/** Which fill blockWords uses here: "simd", or "js" where WebAssembly SIMD is unavailable. */
export function bulkWordEngine(): "simd" | "js" {
  return simdFill() === null ? "js" : "simd";
}

let fallback = new Int32Array(0);

/**
 * The words of several sites for one block: `sites` holds (siteK, siteMul) pairs; returns one
 * view per site, valid until the next call (they share one buffer). `engine: "js"` forces the
 * JavaScript fill (tests compare the two).
 */
export function blockWords(
  sites: readonly number[],
  seedLo: number,
  seedHi: number,
  first: number,
  count: number,
  months: number,
  engine: "simd" | "js" = "simd",
): Int32Array[] {
  const n = sites.length / 2;
  const stride = wordStride(months);
  const per = count * stride;
  const f = engine === "simd" ? simdFill() : null;
  const views: Int32Array[] = [];
  if (f !== null && memory !== null) {
    const need = 4 * per * n;
    if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
    const hiTerm = Math.imul(Math.floor(first / 4294967296), PATH_MUL);
    for (let k = 0; k < n; k++) {
      f(4 * per * k, count, stride, first | 0, hiTerm, seedLo ^ sites[2 * k]!, seedHi ^ sites[2 * k + 1]!, seedHi);
      views.push(new Int32Array(memory.buffer, 4 * per * k, per));
    }
    return views;
  }
  if (fallback.length < per * n) fallback = new Int32Array(per * n);
  for (let k = 0; k < n; k++) {
    const v = fallback.subarray(per * k, per * (k + 1));
    fillWordsJs(v, seedLo, seedHi, first, count, months, sites[2 * k]!, sites[2 * k + 1]!);
    views.push(v);
  }
  return views;
}
