// The sketch's hot loop — add a column of values to one cell — as a WebAssembly function,
// assembled here byte by byte (no toolchain). It computes exactly what SketchSet's JavaScript
// loop computes (same sum order, same comparisons, same bucket arithmetic, same hash probes, same
// page allocation order), so the two leave byte-identical memories; a test holds them to that. In
// WebAssembly the loop runs without typed-array bounds checks or integer-overflow checks, which
// is most of its cost in JavaScript.
//
// The function reads values and writes pages in one linear memory, laid out by SketchSet:
//
//   bytes 0..15   header words: used (the next free word), entries (pages in the table),
//                 table (word index of the page table), mask (table slots − 1)
//   bytes 16..47  results of the last call: lo (f64), hi (f64), sum (f64), central count (i32)
//   bytes 64..    the values to add (up to COLUMN_CAPACITY doubles), copied in by the caller
//   SCRATCH_AT..  a page cache: per page number (0..4095) 2 words, the cell + 1 it was last looked
//                 up for and the word index of that page's counts. A value whose page is cached
//                 for its cell costs two loads and a compare, as a flat index would; the table is
//                 probed only on a miss (once per page a column touches, in practice). Pages never
//                 move, so an entry stays true until the set is cleared (which zeroes the cache).
//   HEAP_AT..     the heap, handed out upwards from `used`: the page table (open addressing,
//                 linear probing, slots of 4 words: cell + 1 (0 = empty), page, word index of the
//                 page's counts, unused) and the pages (64 counts each). A table that grows is
//                 rebuilt higher up; the old one is left behind.
//
// add(n, tag, lo, hi, sum): tag is the cell + 1; lo and hi are the cell's running min and max, sum
// the running sum the values are added to in order. The caller guarantees room for n new pages and
// n new table entries at under half the table's slots (so a probe always ends at an empty slot).

import { F64, I32, VOID, f64Bytes, op, sleb, uleb, wasmModule } from "../wasm.js";

/** Values one call can add (they are copied to bytes 64.. first). */
export const COLUMN_CAPACITY = 1024;
/** Byte addresses of the header words. */
export const USED_AT = 0;
export const ENTRIES_AT = 4;
export const TABLE_AT = 8;
export const MASK_AT = 12;
/** Byte addresses of the results of the last call. */
export const RESULT_LO = 16;
export const RESULT_HI = 24;
export const RESULT_SUM = 32;
export const RESULT_CENTER = 40;
/** Byte address of the values to add. */
export const VALUES_AT = 64;
/** Byte address of the page cache, and its page numbers (pages per cell). */
export const SCRATCH_AT = VALUES_AT + 8 * COLUMN_CAPACITY;
export const CACHED_PAGES = 4096;
/** Byte address where the heap (page table and pages) starts. */
export const HEAP_AT = SCRATCH_AT + 8 * CACHED_PAGES;
/** Words per table slot. */
export const SLOT = 4;

export type AddColumn = (n: number, tag: number, lo: number, hi: number, sum: number) => void;

const HASH_A = 0x9e3779b1 | 0;
const HASH_B = 0x85ebca6b | 0;

/** The first table slot probed for (cell + 1, page); the WebAssembly loop computes the same. */
export function slotOf(tag: number, page: number, mask: number): number {
  let x = Math.imul(tag, HASH_A) ^ page;
  x = Math.imul(x ^ (x >>> 16), HASH_B);
  return (x ^ (x >>> 13)) & mask;
}

/** The module's bytes: imports memory env.memory, exports add. Constants match sketch.ts. */
export function sketchModuleBytes(c: {
  side: number;
  lowHi: number;
  shift: number;
  pageShift: number;
}): Uint8Array<ArrayBuffer> {
  // Locals: 0 n, 1 tag (i32), 2 lo, 3 hi, 4 sum (f64) are parameters; then:
  const [n, tag, lo, hi, sum] = [0, 1, 2, 3, 4];
  const [i, w, k, d, o, at, center, used, entries, table, mask, page, sp, h] = [
    5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
  ]; // i32
  const x = 19; // f64
  const get = (l: number) => [op.get, l];
  const set = (l: number) => [op.set, l];
  const i32 = (v: number) => [op.i32Const, ...sleb(v)];
  const mem = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];
  const load = (offset: number) => [op.i32Load, ...mem(2, offset)];
  const store = (offset: number) => [op.i32Store, ...mem(2, offset)];
  const page1 = (1 << c.pageShift) - 1;

  // prettier-ignore
  const body = [
    // the header
    ...i32(0), ...load(USED_AT), ...set(used),
    ...i32(0), ...load(ENTRIES_AT), ...set(entries),
    ...i32(0), ...load(TABLE_AT), ...set(table),
    ...i32(0), ...load(MASK_AT), ...set(mask),
    op.block, VOID,
    op.loop, VOID,
    // if (i >= n) break
    ...get(i), ...get(n), op.i32GeU, op.brIf, 1,
    // x = values[i] + 0 (turns −0 into +0); sum += x; lo = x < lo ? x : lo; hi = x > hi ? x : hi
    ...get(i), ...i32(3), op.i32Shl, op.tee, at,
    op.f64Load, ...mem(3, VALUES_AT), op.f64Const, ...f64Bytes(0), op.f64Add, ...set(x),
    ...get(sum), ...get(x), op.f64Add, ...set(sum),
    ...get(x), ...get(lo), ...get(x), ...get(lo), op.f64Lt, op.select, ...set(lo),
    ...get(x), ...get(hi), ...get(x), ...get(hi), op.f64Gt, op.select, ...set(hi),
    // w = high word of values[i]; i++
    ...get(at), ...load(VALUES_AT + 4), ...set(w),
    ...get(i), ...i32(1), op.i32Add, ...set(i),
    // k = ((w & 0x7fffffff) − LOW_HI) >> (20 − M); below 2^-1022: the central bucket
    ...get(w), ...i32(0x7fffffff), op.i32And, ...i32(c.lowHi), op.i32Sub, ...i32(c.shift), op.i32ShrS, op.tee, k,
    ...i32(0), op.i32LtS,
    op.if, VOID,
    ...get(center), ...i32(1), op.i32Add, ...set(center),
    op.br, 1, // continue the loop (if = 0, loop = 1)
    op.end,
    // k = min(k, SIDE − 1); d = SIDE + (k ^ (w >> 31)); page = d >> PAGE_SHIFT
    ...i32(c.side - 1), ...get(k), ...get(k), ...i32(c.side - 1), op.i32GtS, op.select,
    ...get(w), ...i32(31), op.i32ShrS, op.i32Xor, ...i32(c.side), op.i32Add, op.tee, d,
    ...i32(c.pageShift), op.i32ShrU, op.tee, page,
    // the page cache: sp = 8·page; a hit when it holds this cell's entry
    ...i32(3), op.i32Shl, op.tee, sp, ...load(SCRATCH_AT), ...get(tag), op.i32Eq,
    op.if, VOID,
    ...get(sp), ...load(SCRATCH_AT + 4), ...set(o),
    op.else,
    // h = slotOf(tag, page, mask)
    ...get(tag), ...i32(HASH_A), op.i32Mul, ...get(page), op.i32Xor, op.tee, h,
    ...get(h), ...i32(16), op.i32ShrU, op.i32Xor, ...i32(HASH_B), op.i32Mul, op.tee, h,
    ...get(h), ...i32(13), op.i32ShrU, op.i32Xor, ...get(mask), op.i32And, ...set(h),
    op.block, VOID,
    op.loop, VOID,
    // at = byte address of slot h
    ...get(table), ...get(h), ...i32(2), op.i32Shl, op.i32Add, ...i32(2), op.i32Shl, op.tee, at,
    ...load(0), op.i32Eqz,
    op.if, VOID,
    // an empty slot: the page is new; its counts are the next 64 free words (zero)
    ...get(at), ...get(tag), ...store(0),
    ...get(at), ...get(page), ...store(4),
    ...get(at), ...get(used), ...store(8),
    ...get(used), ...set(o),
    ...get(used), ...i32(1 << c.pageShift), op.i32Add, ...set(used),
    ...get(entries), ...i32(1), op.i32Add, ...set(entries),
    op.br, 2, // found (if = 0, loop = 1, block = 2)
    op.end,
    ...get(at), ...load(0), ...get(tag), op.i32Eq,
    ...get(at), ...load(4), ...get(page), op.i32Eq,
    op.i32And,
    op.if, VOID,
    ...get(at), ...load(8), ...set(o),
    op.br, 2,
    op.end,
    // h = (h + 1) & mask
    ...get(h), ...i32(1), op.i32Add, ...get(mask), op.i32And, ...set(h),
    op.br, 0,
    op.end, // probe loop
    op.end, // probe block
    ...get(sp), ...get(tag), ...store(SCRATCH_AT),
    ...get(sp), ...get(o), ...store(SCRATCH_AT + 4),
    op.end, // if cached
    // counts[o + (d & (PAGE − 1))]++
    ...get(o), ...get(d), ...i32(page1), op.i32And, op.i32Add, ...i32(2), op.i32Shl, op.tee, at,
    ...get(at), ...load(0), ...i32(1), op.i32Add, ...store(0),
    op.br, 0,
    op.end, // loop
    op.end, // block
    // results
    ...i32(0), ...get(used), ...store(USED_AT),
    ...i32(0), ...get(entries), ...store(ENTRIES_AT),
    ...i32(0), ...get(lo), op.f64Store, ...mem(3, RESULT_LO),
    ...i32(0), ...get(hi), op.f64Store, ...mem(3, RESULT_HI),
    ...i32(0), ...get(sum), op.f64Store, ...mem(3, RESULT_SUM),
    ...i32(0), ...get(center), ...store(RESULT_CENTER),
    op.end,
  ];
  return wasmModule({
    params: [I32, I32, F64, F64, F64],
    locals: [
      [14, I32],
      [1, F64],
    ],
    body,
    exportName: "add",
  });
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * add() bound to `memory`, or null where WebAssembly is unavailable (the caller then runs the
 * same loop in JavaScript). The module is compiled once; it is small enough for synchronous
 * compilation on a browser's main thread.
 */
export function instantiateAdd(
  memory: WebAssembly.Memory,
  constants: { side: number; lowHi: number; shift: number; pageShift: number },
): AddColumn | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === "object" ? new WebAssembly.Module(sketchModuleBytes(constants)) : null;
    } catch {
      compiled = null;
    }
  }
  if (compiled === null) return null;
  const instance = new WebAssembly.Instance(compiled, { env: { memory } });
  return instance.exports.add as AddColumn;
}
