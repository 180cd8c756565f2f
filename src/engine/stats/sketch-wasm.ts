// The sketch's hot loop — add a column of values to one cell — as a WebAssembly function,
// assembled here byte by byte (no toolchain). It computes exactly what SketchSet's JavaScript
// loop computes (same sum order, same comparisons, same bucket arithmetic, same page
// allocation order), so the two give byte-identical sketches; a test holds them to that. In
// WebAssembly the loop runs without typed-array bounds checks or integer-overflow checks, which
// is most of its cost in JavaScript.
//
// The function reads values and writes pages in one linear memory, laid out by SketchSet:
//
//   bytes 0..3    used: the next free page, as a 32-bit word index (pages are 512 words)
//   bytes 8..39   results of the last call: lo (f64), hi (f64), sum (f64), central count (i32)
//   bytes 64..    the values to add (up to COLUMN_CAPACITY doubles), copied in by the caller
//   then          pageAt (Int32, per cell 512 page offsets as word indices, 0 = untouched),
//                 then the pages themselves
//
// add(n, pageRow, lo, hi, sum): pageRow is the byte address of the cell's first pageAt entry; lo
// and hi are the cell's running min and max, sum the running sum the values are added to in
// order. The caller guarantees room for n new pages. `sub` is the page size in buckets (512).

import { F64, I32, VOID, f64Bytes, op, sleb, uleb, wasmModule } from "../wasm.js";

/** Values one call can add (they are copied to bytes 64.. first). */
export const COLUMN_CAPACITY = 1024;
/** Byte address of the values to add. */
export const VALUES_AT = 64;
/** Byte address where pageAt starts. */
export const PAGE_INDEX_AT = VALUES_AT + 8 * COLUMN_CAPACITY;
/** Byte addresses of the results of the last call. */
export const RESULT_LO = 8;
export const RESULT_HI = 16;
export const RESULT_SUM = 24;
export const RESULT_CENTER = 32;

export type AddColumn = (n: number, pageRow: number, lo: number, hi: number, sum: number) => void;

/** The module's bytes: imports memory env.memory, exports add. Constants match sketch.ts. */
export function sketchModuleBytes(c: {
  side: number;
  lowHi: number;
  shift: number;
  sub: number;
}): Uint8Array<ArrayBuffer> {
  // Locals: 0 n, 1 pageRow (i32), 2 lo, 3 hi, 4 sum (f64) are parameters; then:
  const [n, pageRow, lo, hi, sum] = [0, 1, 2, 3, 4];
  const [i, w, k, d, pa, o, at, center, used] = [5, 6, 7, 8, 9, 10, 11, 12, 13]; // i32
  const x = 14; // f64
  const get = (l: number) => [op.get, l];
  const set = (l: number) => [op.set, l];
  const i32 = (v: number) => [op.i32Const, ...sleb(v)];
  const mem = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];

  // prettier-ignore
  const body = [
    // used = load(0)
    ...i32(0), op.i32Load, ...mem(2, 0), ...set(used),
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
    ...get(at), op.i32Load, ...mem(2, VALUES_AT + 4), ...set(w),
    ...get(i), ...i32(1), op.i32Add, ...set(i),
    // k = ((w & 0x7fffffff) − LOW_HI) >> (20 − M); below 2^-1022: the central bucket
    ...get(w), ...i32(0x7fffffff), op.i32And, ...i32(c.lowHi), op.i32Sub, ...i32(c.shift), op.i32ShrS, op.tee, k,
    ...i32(0), op.i32LtS,
    op.if, VOID,
    ...get(center), ...i32(1), op.i32Add, ...set(center),
    op.br, 1, // continue the loop (if = 0, loop = 1)
    op.end,
    // k = min(k, SIDE − 1); d = SIDE + (k ^ (w >> 31))
    ...i32(c.side - 1), ...get(k), ...get(k), ...i32(c.side - 1), op.i32GtS, op.select,
    ...get(w), ...i32(31), op.i32ShrS, op.i32Xor, ...i32(c.side), op.i32Add, ...set(d),
    // pa = pageRow + 4·(d >> M); o = pageAt entry; a new page when 0
    ...get(pageRow), ...get(d), ...i32(Math.log2(c.sub)), op.i32ShrS, ...i32(2), op.i32Shl, op.i32Add, op.tee, pa,
    op.i32Load, ...mem(2, 0), op.tee, o,
    op.i32Eqz,
    op.if, VOID,
    ...get(used), ...set(o), ...get(used), ...i32(c.sub), op.i32Add, ...set(used),
    ...get(pa), ...get(o), op.i32Store, ...mem(2, 0),
    op.end,
    // store[o + (d & (SUB − 1))]++
    ...get(o), ...get(d), ...i32(c.sub - 1), op.i32And, op.i32Add, ...i32(2), op.i32Shl, op.tee, at,
    ...get(at), op.i32Load, ...mem(2, 0), ...i32(1), op.i32Add, op.i32Store, ...mem(2, 0),
    op.br, 0,
    op.end, // loop
    op.end, // block
    // results
    ...i32(0), ...get(used), op.i32Store, ...mem(2, 0),
    ...i32(0), ...get(lo), op.f64Store, ...mem(3, RESULT_LO),
    ...i32(0), ...get(hi), op.f64Store, ...mem(3, RESULT_HI),
    ...i32(0), ...get(sum), op.f64Store, ...mem(3, RESULT_SUM),
    ...i32(0), ...get(center), op.i32Store, ...mem(2, RESULT_CENTER),
    op.end,
  ];
  return wasmModule({
    params: [I32, I32, F64, F64, F64],
    locals: [
      [9, I32],
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
  constants: { side: number; lowHi: number; shift: number; sub: number },
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
