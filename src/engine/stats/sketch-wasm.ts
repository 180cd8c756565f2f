// The sketch's hot loop — add a column of values to one cell — as a WebAssembly function,
// assembled here byte by byte (no toolchain). It computes exactly what SketchSet's JavaScript
// loop computes (same sum order, same comparisons, same bucket arithmetic, same page
// allocation order), so the two give byte-identical sketches; a test holds them to that. In
// WebAssembly the loop runs without typed-array bounds checks or integer-overflow checks, which
// is most of its cost in JavaScript.
//
// The function reads values and writes pages in one linear memory, laid out by SketchSet:
//
//   bytes 0..3    used: the next free page, as a 32-bit word index (pages are 64 words)
//   bytes 8..39   results of the last call: lo (f64), hi (f64), sum (f64), central count (i32)
//   bytes 64..    the values to add (up to COLUMN_CAPACITY doubles), copied in by the caller
//   then          pageAt (Int32, per cell 200 page offsets as word indices, 0 = untouched),
//                 then the pages themselves
//
// add(n, pageRow, lo, hi, sum): pageRow is the byte address of the cell's first pageAt entry; lo
// and hi are the cell's running min and max, sum the running sum the values are added to in
// order. The caller guarantees room for n new pages.

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

const I32 = 0x7f;
const F64 = 0x7c;
const VOID = 0x40;

// Opcodes used below (WebAssembly core specification, section 5.4).
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  select: 0x1b,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32Load: 0x28,
  f64Load: 0x2b,
  i32Store: 0x36,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  i32GeU: 0x4f,
  f64Lt: 0x63,
  f64Gt: 0x64,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  f64Add: 0xa0,
} as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function f64Bytes(x: number): number[] {
  return [...new Uint8Array(new Float64Array([x]).buffer)];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  return vec([...s].map((c) => [c.charCodeAt(0)]));
}

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
    // k = ((w & 0x7fffffff) − LOW_HI) >> (20 − M); below 2^-20: the central bucket
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
  const locals = vec([
    [...uleb(9), I32],
    [...uleb(1), F64],
  ]);
  const code = [...locals, ...body];

  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [F64], [F64], [F64]]), ...vec([])]])),
    ...section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([uleb(0)])),
    ...section(7, vec([[...name("add"), 0x00, ...uleb(0)]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
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
