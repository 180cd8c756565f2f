// The linear memory of a SketchSet: its page table and pages, the page cache, and the add loop
// over it (WebAssembly, or the same loop in JavaScript). The layout is sketch-wasm.ts's; the
// cells' own arrays (min, max, n, central count) and the quantiles are in sketch.ts.

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
import { HI, LOW_HI, M, PAGE, PAGES, PAGE_SHIFT, SIDE } from "./sketch-buckets.js";

/** Values a set adds with the JavaScript loop before it moves to WebAssembly (≈ 0.3 ms of adding). */
const JS_FIRST = 1 << 16;

/** Bytes per WebAssembly memory page. */
const WASM_PAGE = 65536;

/** First word of the heap, and of the page cache (see sketch-wasm.ts). */
const HEAP = HEAP_AT / 4;
const SCRATCH = SCRATCH_AT / 4;

/** Every touched page, grouped by cell and ascending within a cell (see PageMemory.sorted). */
export interface PageList {
  /** The pages of cell c are at first[c]..first[c + 1] − 1. */
  first: Int32Array;
  page: Uint16Array;
  /** Word index of the page's counts. */
  at: Int32Array;
}

/** The pages of `cells` cells, found through one table keyed by (cell, page). */
export class PageMemory {
  /**
   * A WebAssembly.Memory when the WebAssembly loop is used, else a plain ArrayBuffer; the views
   * below are remade whenever it grows.
   */
  private memory: WebAssembly.Memory | null = null;
  private buffer: ArrayBuffer;
  /** The whole memory as 32-bit words: pages are read and added through it. */
  store!: Uint32Array;
  /** The values to add and the results of the last call, as doubles. */
  private scratch!: Float64Array;
  /** Table slots the memory starts with (and keeps when cleared). */
  private readonly initialSlots: number;
  /** Whether to add values with the WebAssembly loop; its memory is made once JS_FIRST values were added. */
  private wantWasm: boolean;
  /** Values still to add with the JavaScript loop before moving to WebAssembly (see attachWasm). */
  private jsBudget = JS_FIRST;
  private addWasm: AddColumn | null = null;
  /** The touched pages in (cell, page) order, made on demand and dropped when a page is added. */
  private pageList: PageList | null = null;

  /** Room for `pageCapacity` pages before the memory grows; `engine: "js"` keeps to the JavaScript loop. */
  constructor(
    readonly cells: number,
    pageCapacity: number,
    engine: "wasm" | "js",
  ) {
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
    const memory = new WebAssembly.Memory({
      initial: Math.ceil(bytes / WASM_PAGE),
    });
    const add = instantiateAdd(memory, {
      side: SIDE,
      lowHi: LOW_HI,
      shift: 20 - M,
      pageShift: PAGE_SHIFT,
    });
    if (add === null) return;
    new Uint32Array(memory.buffer).set(this.store.subarray(0, this.used));
    this.memory = memory;
    this.addWasm = add;
    this.buffer = memory.buffer;
    this.view();
  }

  /** Drops every page, keeping the table's size. */
  clear(): void {
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
  get entries(): number {
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
  prepare(pages: number): void {
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
  locate(cell: number, page: number, add: boolean): number {
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

  /** Bytes of the memory, spare room included. */
  get byteLength(): number {
    return this.buffer.byteLength;
  }

  /** The touched pages grouped by cell, ascending within each: a counting sort of the table, O(cells + pages). */
  sorted(): PageList {
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

  /**
   * Adds values[from..to) (at most COLUMN_CAPACITY) to the cell tagged `tag` (cell + 1), whose
   * running min, max and sum are lo, hi and sum; returns the values that fell in the central
   * bucket, and leaves the new lo, hi and sum in lastLo, lastHi and lastSum.
   */
  add(
    tag: number,
    values: Float64Array,
    words: Uint32Array,
    from: number,
    to: number,
    lo: number,
    hi: number,
    sum: number,
  ): number {
    if (this.wantWasm && (this.jsBudget -= to - from) < 0) this.attachWasm();
    const entries = this.entries;
    this.prepare(Math.min(to - from, PAGES)); // every value might open a page
    if (this.addWasm !== null) {
      this.scratch.set(values.subarray(from, to), VALUES_AT / 8);
      this.addWasm(to - from, tag, lo, hi, sum);
    } else this.addJs(tag, values, words, from, to, lo, hi, sum);
    if (this.entries !== entries) this.pageList = null;
    return this.store[RESULT_CENTER / 4]!;
  }

  get lastLo(): number {
    return this.scratch[RESULT_LO / 8]!;
  }
  get lastHi(): number {
    return this.scratch[RESULT_HI / 8]!;
  }
  get lastSum(): number {
    return this.scratch[RESULT_SUM / 8]!;
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
}
