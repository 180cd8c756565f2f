// Scrambled Sobol' points, stateless.
//
// Point i's coordinate j is a pure function of (seed, replicate, i, j), so a run's result never
// depends on how its paths are split into chunks and threads, and `--precision` can add points
// without redrawing the ones it has.
//
// - The sequence: Sobol' with the Joe–Kuo new-joe-kuo-6.21201 direction numbers (joe-kuo.txt),
//   32-bit direction integers v_{j,k} = m_{j,k}·2^(32−k). Points are taken in Gray-code order,
//   as scipy's `Sobol` gives them: point i is Σ_k g_k·v_{j,k} (XOR), g = i ^ (i >> 1), so a walk
//   from point i to i + 1 is one XOR per coordinate, x ^= v_{j, ctz(i + 1)}. The first 2^m points
//   are the same set as in natural order, so the net properties hold; the first point (all zeros
//   before scrambling) is kept (Owen, "On dropping the first Sobol' point", 2022).
// - The randomisation: nested uniform (Owen) scrambling by hashing, after Burley, "Practical
//   Hash-based Owen Scrambling" (JCGT 9(4), 2020): reverse the bits, apply the Laine–Karras style
//   permutation x += seed; x ^= x·c (four even constants), in which each bit depends only on
//   itself and the bits below it, then reverse back. So each output digit is flipped by a
//   function of the digits above it: an Owen scramble, which keeps the (t, m, s)-net property,
//   with a seed of its own for every (seed, replicate, coordinate).
// - A uniform is (x + ½)·2^-32: never 0 or 1, so inverse CDFs stay finite (|z| < 6.3 for a normal).

/** Dimensions the table provides (1 + the 21,200 tabulated). */
export const SOBOL_MAX_DIMS = 21201;

/**
 * The direction-number table, joe-kuo.txt: a data file beside this module, not a module of its
 * own, because a 1.2 MB string in JavaScript costs every process (and every worker thread) that
 * loads the engine tens of milliseconds to compile, whether or not it draws a Sobol' point. Node
 * reads as much of it as the dimensions asked for need, on first use (a model's few hundred
 * dimensions are its first few kilobytes); a browser bundle, which cannot read files, hands the
 * whole text to `provideJoeKuoTable` once (the dashboard's worker imports it as a string).
 */
const TABLE_FILE = "./joe-kuo.txt";
/** Bytes read first: the licence notice and about 1,500 dimensions. */
const FIRST_READ = 64 * 1024;

/** Node's fs, the part used here. */
interface Fs {
  openSync(file: URL, flags: "r"): number;
  readSync(fd: number, into: Uint8Array, offset: number, length: number, position: number): number;
  closeSync(fd: number): void;
}

/** The table's lines read so far (dimensions 2, 3, …), and whether they are all of them. */
interface Table {
  lines: string[];
  whole: boolean;
}

let table: Table | undefined;
let provided: (() => string) | undefined;

/** Supplies the text of joe-kuo.txt where this module cannot read it (a browser bundle). */
export function provideJoeKuoTable(text: string | (() => string)): void {
  provided = typeof text === "string" ? () => text : text;
  table = undefined;
}

/** The table's data lines in `text`, the whole file or a prefix of it (then its last, partial line is left out). */
function tableOf(text: string, whole: boolean): Table {
  const lines = text.split("\n");
  if (!whole) lines.pop();
  const data = lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l)).filter((l) => l !== "" && !l.startsWith("#"));
  if (whole && data.length !== SOBOL_MAX_DIMS - 1)
    throw new Error(`internal: joe-kuo.txt has ${data.length} dimensions, not ${SOBOL_MAX_DIMS - 1}`);
  return { lines: data, whole };
}

/** The first `bytes` bytes of joe-kuo.txt (all of it if shorter), read by Node. */
function readPrefix(bytes: number): Table {
  // Node's fs without importing it, so that this module stays loadable in a browser.
  const fs = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
    "node:fs",
  ) as Fs | undefined;
  if (fs === undefined)
    throw new Error(
      "internal: the Sobol' direction numbers (joe-kuo.txt) cannot be read here: call provideJoeKuoTable with its text (Node reads it itself from 20.16)",
    );
  const into = new Uint8Array(bytes);
  const fd = fs.openSync(new URL(TABLE_FILE, import.meta.url), "r");
  let got = 0;
  try {
    for (let n = 1; n > 0 && got < bytes; got += n) n = fs.readSync(fd, into, got, bytes - got, got);
  } finally {
    fs.closeSync(fd);
  }
  return tableOf(new TextDecoder().decode(into.subarray(0, got)), got < bytes);
}

/** The line of 0-based dimension j ≥ 1: the polynomial, then m_1..m_s, in base 36. */
function tableLine(j: number): string {
  if (provided !== undefined) table ??= tableOf(provided(), true);
  table ??= readPrefix(FIRST_READ);
  for (let bytes = 4 * FIRST_READ; table.lines.length < j && !table.whole; bytes *= 4) table = readPrefix(bytes);
  const line = table.lines[j - 1];
  if (line === undefined) throw new Error(`internal: joe-kuo.txt has no line for dimension ${j + 1}`);
  return line;
}

/** Direction integers of dimension j (0-based), 32 of them; built on first use. */
const directions: (Int32Array | undefined)[] = [];

/** The 32 direction integers v_{j,0..31} (as int32 bits) of 0-based dimension j. */
export function directionNumbers(j: number): Int32Array {
  let v = directions[j];
  if (v !== undefined) return v;
  if (!(Number.isInteger(j) && j >= 0 && j < SOBOL_MAX_DIMS))
    throw new Error(`internal: Sobol' dimension ${j} is outside 0..${SOBOL_MAX_DIMS - 1}`);
  v = new Int32Array(32);
  if (j === 0) {
    for (let k = 0; k < 32; k++) v[k] = 1 << (31 - k);
  } else {
    const parts = tableLine(j).split(" ");
    const poly = parseInt(parts[0]!, 36);
    const s = parts.length - 1;
    // m_k for k = 1..s from the table, then m_k = 2a_1·m_{k−1} ^ 4a_2·m_{k−2} ^ … ^ 2^s·m_{k−s} ^ m_{k−s},
    // where a_1..a_{s−1} are the polynomial's inner bits (most significant first). m_k < 2^k ≤ 2^32,
    // so 32-bit integer shifts and XORs hold every m_k exactly (as int32 bits), and run fast even
    // before the optimising compiler has seen this loop (it runs once per dimension per process).
    const m = new Int32Array(32);
    for (let k = 0; k < s; k++) m[k] = parseInt(parts[k + 1]!, 36);
    for (let k = s; k < 32; k++) {
      let x = m[k - s]! ^ (m[k - s]! << s);
      for (let i = 1; i < s; i++) if ((poly >>> (s - i)) & 1) x ^= m[k - i]! << i;
      m[k] = x;
    }
    // v_k = m_k·2^(32−k), k = 1..32; m_k < 2^k, so v_k < 2^32.
    for (let k = 0; k < 32; k++) v[k] = m[k]! << (31 - k);
  }
  directions[j] = v;
  return v;
}

/** The unscrambled 32-bit coordinate j of point i (Gray-code order), as an unsigned integer. */
export function sobolInt(i: number, j: number): number {
  const v = directionNumbers(j);
  if (!(Number.isInteger(i) && i >= 0 && i < 2147483648))
    throw new Error(`internal: Sobol' point index ${i} is outside 0..2^31 − 1`);
  let g = i ^ (i >>> 1);
  let x = 0;
  for (let k = 0; g !== 0; k++, g >>>= 1) if (g & 1) x ^= v[k]!;
  return x >>> 0;
}

/** A 32-bit integer hash (two multiply–xorshift rounds). */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b | 0);
  return x ^ (x >>> 16);
}

/** The scramble seed of coordinate j in replicate r of a run with seed (seedLo, seedHi): 32 bits. */
export function scrambleSeed(seedLo: number, seedHi: number, replicate: number, j: number): number {
  const a = mix32((seedLo ^ 0x5bd1e995) + Math.imul(replicate + 1, 0x9e3779b9));
  return mix32((a ^ seedHi) + Math.imul(j + 1, 0x85ebca6b)) ^ mix32(j ^ 0x27d4eb2f);
}

/** Reverses the 32 bits of x (int32 in, int32 out). */
export function reverseBits(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return (x >>> 16) | (x << 16);
}

/**
 * Burley's hash-based Owen scramble of a 32-bit coordinate x (int32 bits) under `seed`: reverse,
 * the Laine–Karras style permutation (each bit a function of itself and the bits below it), reverse.
 */
export function owenScramble(x: number, seed: number): number {
  x = reverseBits(x);
  x = (x + seed) | 0;
  x ^= Math.imul(x, 0x6c50b47c);
  x ^= Math.imul(x, 0xb82f1e52 | 0);
  x ^= Math.imul(x, 0xc7afe638 | 0);
  x ^= Math.imul(x, 0x8d22f6e6 | 0);
  return reverseBits(x);
}

const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** A scrambled 32-bit coordinate as a uniform in (0, 1): (x + ½)·2^-32. */
export function toUniform(x: number): number {
  return ((x >>> 0) + 0.5) * TWO_POW_MINUS_32;
}

/** Coordinate j of point i of replicate r, scrambled: a uniform in (0, 1). */
export function scrambledPoint(seedLo: number, seedHi: number, replicate: number, i: number, j: number): number {
  return toUniform(owenScramble(sobolInt(i, j) | 0, scrambleSeed(seedLo, seedHi, replicate, j)));
}
