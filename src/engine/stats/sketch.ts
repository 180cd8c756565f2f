// Quantiles of many (series, month) cells at once, in bounded memory, merged exactly.
//
// Each cell is a log-bucketed histogram indexed straight from the bits of the double, as HDR
// histograms do: the sign, the 11 exponent bits and the top M = 6 mantissa bits of the high word
// pick the bucket, so adding a value costs a store, a load, a subtract and a shift — no log.
// A bucket spans [2^e(1 + m/64), 2^e(1 + (m+1)/64)): relative width ≤ 1/64. Every normal double,
// 2^-1022 ≤ |x| < 2^1024 (≈ 2.2e-308 to 1.8e308), has its own buckets: 2046 octaves × 64 on each
// side (the index has room for 2048). Zeros (+0 and −0) and the subnormals, |x| < 2^-1022, share one
// central bucket. The end buckets' top is ±Infinity, which the engine never adds (it stops on a
// non-finite value); NaN must not be added either (the engine reports NaN where it first appears).
//
// Layout: sparse, and flat in the number of cells. Bucket numbering is dense (262,145 buckets per
// cell: bucketOf, bucketBounds), but counts live in pages of 64 buckets — one octave of one sign —
// allocated on first touch, plus one central count per cell. A page is found through one hash table
// for the whole set, keyed by (cell, page): an empty cell costs only its min, max, n and central
// count (29 bytes), a narrow one (a series that stays within an octave) one page of 256 bytes and
// a table slot. Adding a value reads its page from a cache indexed by page number (the cell it
// was last looked up for, and where its counts are), so the table is probed about once per page a
// column touches, and a value costs what it would with a flat index. Pages and table live
// in one growing linear memory (no per-page objects for the garbage collector). toState() copies
// out only the touched pages, in ascending (cell, page) order, as typed arrays that cross to
// another thread by transfer.
//
// Quantiles follow numpy's 'linear' rule: rank h = (n − 1)q, interpolated between the order
// statistics of ranks ⌊h⌋ and ⌊h⌋ + 1. Ranks 0 and n − 1 are the exact min and max. Any other
// order statistic is placed inside its bucket by rank — the j-th of c values at
// lo + (j + ½)(hi − lo)/c, where [lo, hi] is the bucket clamped to [min, max] — so constant data,
// and any data with at most two distinct values, give exact answers. The central bucket is the
// exception: its values are placed at 0 (clamped to [min, max]), because they are nearly always
// exact zeros — a shortfall, a funding round or a shock that did not happen — and a median
// shortfall of $6e-7 where most paths never run short would be a made-up number.
//
// Error bound. The true order statistic lies in the same bucket as its estimate, so the error is
// less than one bucket width: |error| < |x|/64 for every normal double (half that, |x|/128, when the
// value is alone in its bucket: the midpoint), and < 2^-1022 absolutely in the central bucket. An
// interpolated quantile mixes two such estimates, so its error is below 1/64 of the larger of the two
// order statistics' magnitudes. With values spread over many buckets the error is far smaller
// (test/engine/stats.test.ts measures it).
//
// Integer-valued cells. A cell whose values are all whole numbers (a count, a month, a draw of
// poisson or integer) places each order statistic on a whole number of its bucket (the nearest to
// where it would go), and its quantiles take the order statistic of the nearest rank instead of
// interpolating, so they are whole numbers too: poisson(25)'s 95th percentile reads 33, not 33.496.
//
// Merging adds integer counts and takes min and max: exact and order-independent, so percentiles
// never depend on how paths were split across chunks or threads.

import {
  COLUMN_CAPACITY,
  ENTRIES_AT,
  HEAP_AT,
  MASK_AT,
  RESULT_CENTER,
  RESULT_HI,
  RESULT_LO,
  RESULT_SUM,
  SCRATCH_AT,
  SLOT,
  TABLE_AT,
  USED_AT,
  VALUES_AT,
  instantiateAdd,
  slotOf,
  type AddColumn,
} from "./sketch-wasm.js";

const M = 6;
const SUB = 1 << M;
/** Biased exponent of 2^-1022, the least normal double: the lowest octave with its own buckets. */
const E_LOW = 1;
/** Octaves with room in the index on each side (the 2046 normal exponents, rounded up). */
const OCTAVES = 2048;
/** Buckets on each side of zero. */
const SIDE = OCTAVES * SUB;
/** Buckets per page (one octave), and its log2. */
const PAGE_SHIFT = M;
const PAGE = 1 << PAGE_SHIFT;
/** Buckets per cell: negative side (most negative first), the central bucket, positive side. */
export const BUCKETS = 2 * SIDE + 1;
const ZERO = SIDE;
/** High word of 2^-1022 without the sign: magnitudes below it (zeros, subnormals) go to the central bucket. */
const LOW_HI = E_LOW << 20;
const TINY = Math.pow(2, E_LOW - 1023);

/** Worst-case relative error of a sketch quantile (one bucket width), see the opening comment. */
export const SKETCH_RELATIVE_ERROR = 1 / SUB;

export const SKETCH_METHOD =
  "log-bucketed histogram (1/64-octave buckets over every normal double, zeros and subnormals in one central bucket), rank-interpolated within a bucket and clamped to the exact min/max; error < 1/64 of the value (< 2^-1022 below 2^-1022); whole numbers for integer-valued series";

/** Values a set adds with the JavaScript loop before it moves to WebAssembly (≈ 0.3 ms of adding). */
const JS_FIRST = 1 << 16;

/** Bytes per WebAssembly memory page. */
const WASM_PAGE = 65536;

/** First word of the heap, and of the page cache (see sketch-wasm.ts). */
const HEAP = HEAP_AT / 4;
const SCRATCH = SCRATCH_AT / 4;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Word 1 holds sign and exponent on little-endian machines (every platform Node and browsers run on).
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The bucket index (0..BUCKETS − 1, ascending in value) of a non-NaN value. */
export function bucketOf(x: number): number {
  f64[0] = x;
  const w = u32[HI]!;
  const mag = w & 0x7fffffff;
  if (mag < LOW_HI) return ZERO;
  const k = Math.min(SIDE - 1, (mag - LOW_HI) >>> (20 - M));
  return w >>> 31 ? ZERO - 1 - k : ZERO + 1 + k;
}

/** The value range [lo, hi] of a bucket; the end buckets extend to ±Infinity. */
export function bucketBounds(index: number): [number, number] {
  if (index === ZERO) return [-TINY, TINY];
  const k = index > ZERO ? index - ZERO - 1 : ZERO - 1 - index;
  const scale = Math.pow(2, Math.floor(k / SUB) + E_LOW - 1023);
  const m = k % SUB;
  const lo = scale * (1 + m / SUB);
  const hi = k === SIDE - 1 ? Infinity : scale * (1 + (m + 1) / SUB);
  return index > ZERO ? [lo, hi] : [-hi, -lo];
}

/** Pages per cell: 2048 per sign (64 buckets each); the central bucket is kept apart. */
const PAGES = (2 * SIDE) / PAGE;

/**
 * A SketchSet as plain typed arrays, for postMessage (structured clone or transfer). Only touched
 * pages are included, in ascending key order, so equal sets give equal states.
 */
export interface SketchState {
  cells: number;
  /** Page keys cell·4096 + page, ascending; page p covers dense buckets 64p.. (+1 past the center). */
  keys: Float64Array;
  /** 64 counts per key, in key order. */
  pages: Uint32Array;
  /** Count of the central bucket per cell. */
  center: Uint32Array;
  /** 1 per cell whose values are all whole numbers. */
  integer: Uint8Array;
  min: Float64Array;
  max: Float64Array;
  n: Float64Array;
}

/** Every touched page, grouped by cell and ascending within a cell (see SketchSet.sorted). */
interface PageList {
  /** The pages of cell c are at first[c]..first[c + 1] − 1. */
  first: Int32Array;
  page: Uint16Array;
  /** Word index of the page's counts. */
  at: Int32Array;
}

/** Quantile sketches of `cells` cells (a cell is one reported series at one month). */
export class SketchSet {
  readonly cells: number;
  /** Exact minimum per cell (+Infinity when empty). −0 is stored as +0. */
  readonly min: Float64Array;
  /** Exact maximum per cell (−Infinity when empty). */
  readonly max: Float64Array;
  /** Number of values per cell. */
  readonly n: Float64Array;
  /** Central-bucket count per cell. */
  private readonly center: Uint32Array;
  /** 1 while every value a cell took is a whole number. */
  private readonly integer: Uint8Array;
  /**
   * The page table and the pages live in one linear memory laid out as sketch-wasm.ts describes
   * (a WebAssembly.Memory when the WebAssembly loop is used, else a plain ArrayBuffer); the views
   * below are remade whenever it grows.
   */
  private memory: WebAssembly.Memory | null = null;
  private buffer: ArrayBuffer;
  /** The whole memory as 32-bit words. */
  private store!: Uint32Array;
  private scratch!: Float64Array;
  /** Table slots the set starts with (and keeps when cleared). */
  private readonly initialSlots: number;
  /** Whether to add values with the WebAssembly loop; its memory is made once JS_FIRST values were added. */
  private wantWasm: boolean;
  /** Values still to add with the JavaScript loop before moving to WebAssembly (see attachWasm). */
  private jsBudget = JS_FIRST;
  private addWasm: AddColumn | null = null;
  /** The touched pages in (cell, page) order, made on demand and dropped when a page is added. */
  private pageList: PageList | null = null;

  /**
   * An empty set of `cells` sketches, with room for `pageCapacity` pages before its storage grows.
   * `engine: "js"` runs the JavaScript loop even where WebAssembly exists (tests compare the two).
   */
  constructor(cells: number, pageCapacity = 16, engine: "wasm" | "js" = "wasm") {
    this.cells = cells;
    this.min = new Float64Array(cells).fill(Infinity);
    this.max = new Float64Array(cells).fill(-Infinity);
    this.n = new Float64Array(cells);
    this.center = new Uint32Array(cells);
    this.integer = new Uint8Array(cells).fill(1);
    this.wantWasm = engine === "wasm" && typeof WebAssembly === "object";
    let slots = 64;
    while (slots < 2 * pageCapacity) slots *= 2;
    this.initialSlots = slots;
    this.buffer = new ArrayBuffer(4 * (HEAP + SLOT * slots + PAGE * pageCapacity));
    this.view();
    this.used = HEAP;
    this.newTable(slots);
  }

  /** Which loop adds values: "wasm", or "js" where WebAssembly is unavailable or was not asked for. */
  get engine(): "wasm" | "js" {
    if (this.wantWasm && this.addWasm === null) this.attachWasm();
    return this.addWasm === null ? "js" : "wasm";
  }

  /**
   * Moves the storage into a WebAssembly memory and binds the add loop to it. Done once the set
   * has taken JS_FIRST values, not at construction: sets that are only merged into or rebuilt from
   * a worker's state never add values, and a small run's (an analysis' variant of 5k paths with
   * only its shortfall sketched) add too few to repay a memory of their own. Only the words in use
   * are copied: the memory starts as small as the set's contents, however many cells it has.
   */
  private attachWasm(): void {
    this.wantWasm = false;
    const bytes = 4 * (this.used + PAGE * 16);
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / WASM_PAGE) });
    const add = instantiateAdd(memory, { side: SIDE, lowHi: LOW_HI, shift: 20 - M, pageShift: PAGE_SHIFT });
    if (add === null) return;
    new Uint32Array(memory.buffer).set(this.store.subarray(0, this.used));
    this.memory = memory;
    this.addWasm = add;
    this.buffer = memory.buffer;
    this.view();
  }

  /** Empties every cell, keeping the table's size (a worker reuses one set for all its chunks). */
  clear(): void {
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.n.fill(0);
    this.center.fill(0);
    this.integer.fill(1);
    this.store.fill(0, SCRATCH, this.used); // the page cache and the heap
    this.used = HEAP;
    this.entries = 0;
    this.pageList = null;
    this.newTable(this.initialSlots);
  }

  /** (Re)makes the views after the memory was created or grew. */
  private view(): void {
    this.store = new Uint32Array(this.buffer);
    this.scratch = new Float64Array(this.buffer, 0, VALUES_AT / 8 + COLUMN_CAPACITY);
  }

  // The header words (kept in memory, where the WebAssembly loop reads and updates them).
  private get used(): number {
    return this.store[USED_AT / 4]!;
  }
  private set used(words: number) {
    this.store[USED_AT / 4] = words;
  }
  private get entries(): number {
    return this.store[ENTRIES_AT / 4]!;
  }
  private set entries(count: number) {
    this.store[ENTRIES_AT / 4] = count;
  }
  private get table(): number {
    return this.store[TABLE_AT / 4]!;
  }
  private get mask(): number {
    return this.store[MASK_AT / 4]!;
  }

  /** Takes `words` zeroed words from the heap; may grow the memory (and remake `store`). */
  private take(words: number): number {
    this.reserve(words);
    const at = this.used;
    this.used = at + words;
    return at;
  }

  /** Makes room for `words` more words: grows by at least half, so growth is amortised O(1). */
  private reserve(words: number): void {
    const need = 4 * (this.used + words);
    if (need <= this.buffer.byteLength) return;
    const bytes = Math.max(need, Math.ceil(1.5 * this.buffer.byteLength));
    if (this.memory !== null) {
      this.memory.grow(Math.ceil((bytes - this.buffer.byteLength) / WASM_PAGE));
      this.buffer = this.memory.buffer;
    } else {
      const grown = new ArrayBuffer(4 * Math.ceil(bytes / 4));
      new Uint32Array(grown).set(this.store.subarray(0, this.used));
      this.buffer = grown;
    }
    this.view();
  }

  /** Starts an empty table of `slots` slots (a power of two) at the top of the heap. */
  private newTable(slots: number): void {
    const at = this.take(SLOT * slots);
    this.store[TABLE_AT / 4] = at;
    this.store[MASK_AT / 4] = slots - 1;
  }

  /**
   * Makes sure `pages` more pages can be added without the table passing half full or the heap
   * growing: the table is rebuilt twice as large (its entries in slot order) until they fit.
   */
  private prepare(pages: number): void {
    let slots = this.mask + 1;
    if (2 * (this.entries + pages) > slots) {
      while (2 * (this.entries + pages) > slots) slots *= 2;
      const old = this.table;
      const oldSlots = this.mask + 1;
      this.newTable(slots);
      const store = this.store;
      const table = this.table;
      const mask = slots - 1;
      for (let s = 0; s < oldSlots; s++) {
        const e = old + SLOT * s;
        const tag = store[e]!;
        if (tag === 0) continue;
        let h = slotOf(tag, store[e + 1]!, mask);
        while (store[table + SLOT * h] !== 0) h = (h + 1) & mask;
        const f = table + SLOT * h;
        store[f] = tag;
        store[f + 1] = store[e + 1]!;
        store[f + 2] = store[e + 2]!;
      }
    }
    this.reserve(PAGE * pages);
  }

  /** Word index of the counts of (cell, page), or 0 when untouched; with `add`, a new zeroed page then. */
  private locate(cell: number, page: number, add: boolean): number {
    if (add) this.prepare(1);
    const store = this.store;
    const tag = cell + 1;
    const table = this.table;
    const mask = this.mask;
    for (let h = slotOf(tag, page, mask); ; h = (h + 1) & mask) {
      const e = table + SLOT * h;
      const t = store[e]!;
      if (t === tag && store[e + 1] === page) return store[e + 2]!;
      if (t !== 0) continue;
      if (!add) return 0;
      const at = this.take(PAGE);
      store[e] = tag;
      store[e + 1] = page;
      store[e + 2] = at;
      this.entries = this.entries + 1;
      this.pageList = null;
      return at;
    }
  }

  /** Bytes held (heap including spare capacity, and the per-cell arrays). */
  get byteLength(): number {
    return (
      this.buffer.byteLength +
      this.center.byteLength +
      this.integer.byteLength +
      this.min.byteLength +
      this.max.byteLength +
      this.n.byteLength
    );
  }

  /** Number of pages touched. */
  get pageCount(): number {
    return this.entries;
  }

  /** The touched pages grouped by cell, ascending within each: a counting sort of the table, O(cells + pages). */
  private sorted(): PageList {
    if (this.pageList !== null) return this.pageList;
    const store = this.store;
    const table = this.table;
    const slots = this.mask + 1;
    const first = new Int32Array(this.cells + 1);
    for (let s = 0; s < slots; s++) {
      const tag = store[table + SLOT * s]!;
      if (tag !== 0) first[tag]!++;
    }
    for (let c = 0; c < this.cells; c++) first[c + 1]! += first[c]!;
    const next = first.slice(0, this.cells);
    const page = new Uint16Array(this.entries);
    const at = new Int32Array(this.entries);
    for (let s = 0; s < slots; s++) {
      const e = table + SLOT * s;
      const tag = store[e]!;
      if (tag === 0) continue;
      const k = next[tag - 1]!++;
      page[k] = store[e + 1]!;
      at[k] = store[e + 2]!;
    }
    // A cell's pages are few (one per octave its values span): insertion sort by page.
    for (let c = 0; c < this.cells; c++) {
      for (let k = first[c]! + 1; k < first[c + 1]!; k++) {
        const p = page[k]!;
        const a = at[k]!;
        let j = k - 1;
        for (; j >= first[c]! && page[j]! > p; j--) {
          page[j + 1] = page[j]!;
          at[j + 1] = at[j]!;
        }
        page[j + 1] = p;
        at[j + 1] = a;
      }
    }
    this.pageList = { first, page, at };
    return this.pageList;
  }

  /** A compact copy (touched pages only) for passing to another thread; every buffer is fresh and transferable. */
  toState(): SketchState {
    const { first, page, at } = this.sorted();
    const keys = new Float64Array(this.entries);
    const pages = new Uint32Array(keys.length * PAGE);
    for (let c = 0; c < this.cells; c++)
      for (let k = first[c]!; k < first[c + 1]!; k++) {
        keys[k] = c * PAGES + page[k]!;
        pages.set(this.store.subarray(at[k]!, at[k]! + PAGE), k * PAGE);
      }
    return {
      cells: this.cells,
      keys,
      pages,
      center: this.center.slice(),
      integer: this.integer.slice(),
      min: this.min.slice(),
      max: this.max.slice(),
      n: this.n.slice(),
    };
  }

  static fromState(s: SketchState): SketchSet {
    const set = new SketchSet(s.cells, s.keys.length);
    if (s.min.length !== s.cells || s.max.length !== s.cells || s.n.length !== s.cells || s.center.length !== s.cells)
      throw new Error("internal: sketch state does not match its cell count");
    if (s.integer.length !== s.cells) throw new Error("internal: sketch state does not match its cell count");
    if (s.pages.length !== s.keys.length * PAGE) throw new Error("internal: sketch state pages do not match its keys");
    set.min.set(s.min);
    set.max.set(s.max);
    set.n.set(s.n);
    set.center.set(s.center);
    set.integer.set(s.integer);
    for (let k = 0; k < s.keys.length; k++) {
      const key = s.keys[k]!;
      if (!(Number.isInteger(key) && key >= 0 && key < s.cells * PAGES) || (k > 0 && !(key > s.keys[k - 1]!)))
        throw new Error("internal: bad page key in sketch state");
      const o = set.locate(Math.floor(key / PAGES), key % PAGES, true);
      set.store.set(s.pages.subarray(k * PAGE, (k + 1) * PAGE), o);
    }
    return set;
  }

  /** Adds values[from..to) to a cell. Values must not be NaN. */
  addColumn(cell: number, values: Float64Array, from: number, to: number): void {
    // The high words are read through a view of the same memory (see addColumnSum).
    this.addColumnSum(cell, values, new Uint32Array(values.buffer, values.byteOffset, values.length * 2), from, to);
  }

  /**
   * addColumn for the kernel's output buffer, reading each value's high word from `words` (a
   * Uint32Array over the same memory as `values`) instead of storing and reloading it, and
   * returning the plain sum of values[from..to) in order, which the caller needs anyway.
   */
  addColumnSum(cell: number, values: Float64Array, words: Uint32Array, from: number, to: number): number {
    if (!(cell >= 0 && cell < this.cells)) throw new Error("internal: sketch cell out of range");
    if (this.integer[cell] === 1) {
      // Stops at the first value that is not a whole number, which for most series is the first.
      for (let i = from; i < to; i++)
        if (values[i]! !== Math.floor(values[i]!)) {
          this.integer[cell] = 0;
          break;
        }
    }
    if (this.wantWasm && (this.jsBudget -= to - from) < 0) this.attachWasm();
    const add = this.addWasm;
    let lo = this.min[cell]!;
    let hi = this.max[cell]!;
    let sum = 0;
    let center = 0;
    const entries = this.entries;
    for (let a = from; a < to; a += COLUMN_CAPACITY) {
      const b = Math.min(to, a + COLUMN_CAPACITY);
      this.prepare(Math.min(b - a, PAGES)); // every value might open a page
      if (add !== null) {
        this.scratch.set(values.subarray(a, b), VALUES_AT / 8);
        add(b - a, cell + 1, lo, hi, sum);
      } else this.addJs(cell + 1, values, words, a, b, lo, hi, sum);
      const r = this.scratch;
      lo = r[RESULT_LO / 8]!;
      hi = r[RESULT_HI / 8]!;
      sum = r[RESULT_SUM / 8]!;
      center += this.store[RESULT_CENTER / 4]!;
    }
    if (this.entries !== entries) this.pageList = null;
    this.center[cell]! += center;
    this.min[cell] = lo;
    this.max[cell] = hi;
    this.n[cell]! += to - from;
    return sum;
  }

  /**
   * The WebAssembly function in JavaScript, where WebAssembly is unavailable: the same loop over
   * values[from..to), leaving the same words in memory (results and header included).
   */
  private addJs(
    tag: number,
    values: Float64Array,
    words: Uint32Array,
    from: number,
    to: number,
    lo: number,
    hi: number,
    sum: number,
  ): void {
    const store = this.store;
    const table = this.table;
    const mask = this.mask;
    let used = this.used;
    let entries = this.entries;
    let center = 0;
    let o = 0;
    for (let i = from; i < to; i++) {
      const x = values[i]! + 0;
      sum += x;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
      const w = words[2 * i + HI]!;
      // k = octave·64 + top mantissa bits of |x|, negative below 2^-1022, at most SIDE − 1; the sign
      // mask (−1 for negatives) mirrors k to the left: d is the dense bucket index without the
      // central bucket, so d >> 6 is the page and d & 63 the bucket in it.
      const k = Math.min(SIDE - 1, ((w & 0x7fffffff) - LOW_HI) >> (20 - M));
      if (k < 0) {
        center++;
        continue;
      }
      const d = SIDE + (k ^ (w >> 31));
      const page = d >>> PAGE_SHIFT;
      const sp = SCRATCH + 2 * page;
      if (store[sp] === tag) o = store[sp + 1]!;
      else {
        for (let h = slotOf(tag, page, mask); ; h = (h + 1) & mask) {
          const e = table + SLOT * h;
          const t = store[e]!;
          if (t === 0) {
            store[e] = tag;
            store[e + 1] = page;
            store[e + 2] = used;
            o = used;
            used += PAGE;
            entries++;
            break;
          }
          if (t === tag && store[e + 1] === page) {
            o = store[e + 2]!;
            break;
          }
        }
        store[sp] = tag;
        store[sp + 1] = o;
      }
      store[o + (d & (PAGE - 1))]!++;
    }
    this.used = used;
    this.entries = entries;
    const r = this.scratch;
    r[RESULT_LO / 8] = lo;
    r[RESULT_HI / 8] = hi;
    r[RESULT_SUM / 8] = sum;
    store[RESULT_CENTER / 4] = center;
  }

  /** Adds another set's contents: integer adds and min/max, so any merge order gives the same bytes. */
  merge(other: SketchSet): void {
    if (other.cells !== this.cells) throw new Error("internal: merging sketches of different shapes");
    const { first, page, at } = other.sorted();
    for (let c = 0; c < this.cells; c++)
      for (let k = first[c]!; k < first[c + 1]!; k++) {
        const o = this.locate(c, page[k]!, true);
        const mine = this.store;
        const theirs = other.store;
        const from = at[k]!;
        for (let j = 0; j < PAGE; j++) mine[o + j]! += theirs[from + j]!;
      }
    for (let c = 0; c < this.cells; c++) {
      this.center[c]! += other.center[c]!;
      this.integer[c]! &= other.integer[c]!;
      if (other.min[c]! < this.min[c]!) this.min[c] = other.min[c]!;
      if (other.max[c]! > this.max[c]!) this.max[c] = other.max[c]!;
      this.n[c]! += other.n[c]!;
    }
  }

  /**
   * The q-quantile of a cell (numpy 'linear'; the nearest rank for an integer-valued cell); NaN
   * for an empty cell or q outside [0, 1].
   */
  quantile(cell: number, q: number): number {
    return this.quantiles(cell, [q])[0]!;
  }

  /**
   * Several quantiles of one cell into `out` (defaults to a new array), from one pass over the
   * cell's pages; each equals quantile(cell, q).
   */
  quantiles(cell: number, qs: readonly number[], out: number[] = []): number[] {
    const n = this.n[cell]!;
    const lo = this.min[cell]!;
    const hi = this.max[cell]!;
    const integer = this.integer[cell] === 1;
    // The order statistics needed strictly inside (0, n − 1); ranks 0 and n − 1 are min and max.
    const ranks: number[] = [];
    const inner = (k: number) => {
      if (k > 0 && k < n - 1) ranks.push(k);
    };
    for (const q of qs) {
      if (n === 0 || !(q >= 0 && q <= 1)) continue;
      const h = (n - 1) * q;
      const k = Math.floor(h);
      if (integer) inner(Math.round(h));
      else {
        inner(k);
        if (h - k !== 0) inner(k + 1);
      }
    }
    ranks.sort((a, b) => a - b);
    const values = this.orderStatistics(cell, ranks, lo, hi);
    const at = (k: number) => (k <= 0 ? lo : k >= n - 1 ? hi : values[ranks.indexOf(k)]!);
    for (let i = 0; i < qs.length; i++) {
      const q = qs[i]!;
      if (n === 0 || !(q >= 0 && q <= 1)) {
        out[i] = NaN;
        continue;
      }
      const h = (n - 1) * q;
      if (integer) {
        out[i] = at(Math.round(h)); // the nearest rank: a whole number, as the values are
        continue;
      }
      const k = Math.floor(h);
      const frac = h - k;
      if (frac === 0 || k + 1 >= n) {
        out[i] = at(k);
        continue;
      }
      const a = at(k);
      const b = at(k + 1);
      out[i] = Math.min(hi, Math.max(lo, a + frac * (b - a)));
    }
    return out;
  }

  /** Estimates of the ranks[r]-th smallest values (0-based, ascending ranks) of a cell, in one ascending pass. */
  private orderStatistics(cell: number, ranks: readonly number[], lo: number, hi: number): number[] {
    const values: number[] = [];
    if (ranks.length === 0) return values;
    const { first, page, at } = this.sorted();
    const store = this.store;
    const integer = this.integer[cell] === 1;
    let r = 0;
    let seen = 0;
    let centerDone = false;
    const central = () => {
      const c = this.center[cell]!;
      for (; r < ranks.length && ranks[r]! < seen + c; r++)
        values[r] = placeInBucket(ZERO, ranks[r]! - seen, c, lo, hi, integer);
      seen += c;
      centerDone = true;
    };
    for (let k = first[cell]!; k < first[cell + 1]! && r < ranks.length; k++) {
      const p = page[k]!;
      if (!centerDone && p >= PAGES / 2) central();
      const o = at[k]!;
      for (let j = 0; j < PAGE && r < ranks.length; j++) {
        const c = store[o + j]!;
        if (c === 0) continue;
        if (ranks[r]! < seen + c) {
          const d = p * PAGE + j;
          const b = d < SIDE ? d : d + 1;
          for (; r < ranks.length && ranks[r]! < seen + c; r++)
            values[r] = placeInBucket(b, ranks[r]! - seen, c, lo, hi, integer);
        }
        seen += c;
      }
    }
    if (!centerDone) central();
    while (r < ranks.length) values[r++] = hi;
    return values;
  }
}

/**
 * The j-th (0-based) of c values in bucket b, spread evenly inside the bucket clamped to [min, max];
 * in the central bucket, 0 clamped to [min, max] (see the opening comment).
 */
function placeInBucket(b: number, j: number, c: number, min: number, max: number, integer: boolean): number {
  const [blo, bhi] = bucketBounds(b);
  const lo = Math.max(blo, min);
  const hi = Math.min(bhi, max);
  if (b === ZERO) return Math.min(hi, Math.max(lo, 0));
  const x = lo + ((hi - lo) * (j + 0.5)) / c;
  if (!integer) return x;
  // The whole numbers the bucket holds are ceil(lo) .. the last below its top (or max itself).
  const first = Math.ceil(lo);
  const last = hi === max ? Math.floor(hi) : Math.ceil(hi) - 1;
  return Math.min(last, Math.max(first, Math.round(x)));
}
