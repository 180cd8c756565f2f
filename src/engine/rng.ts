// Counter-based random numbers.
//
// Every 32-bit word is a pure function of (seed, path, site, counter): a keyed hash, with no
// state carried from one draw to the next. So a path's draws never depend on which chunk or
// thread ran it, and two variants of a scenario (levers on or off) see the same draws at
// the same (path, site, month): common random numbers come for free.
//
// - A *site* is one random call in the model (a param's distribution, or the k-th
//   distribution call in a series' formula); its id is a 32-bit hash of (owner name, ordinal),
//   so a lever that replaces a formula keeps the draws of the formula it replaces.
// - The key (ka, kb) of a (seed, path, site) is computed once per path per site.
// - A draw at month t uses counters t·1024 + j, j = 0, 1, …: samplers that reject (ziggurat
//   tails, gamma) read as many words as they need from their own month's block.
//
// The word function is Chris Wellons' "lowbias32" integer hash (hash-prospector, bias ≈ 0.17),
// applied twice with the key mixed in between: w = h(h(c + ka) ^ kb). Two words make one
// 53-bit uniform. Measured at about 1 ns per word in V8.

/** Words per month block: a draw may read up to this many words before counters overlap the next month. */
export const WORDS_PER_MONTH = 1024;

/** Wellons' lowbias32: a bijective 32-bit mix (two multiplies, three xor-shifts). */
export function lowbias32(x: number): number {
  return mix32(x) >>> 0;
}

/**
 * lowbias32 as a signed 32-bit integer (the same bits). The hot paths use it: V8 keeps an int32
 * unboxed, while a uint32 above 2^31 returned from a call or stored in an object field is
 * boxed as a heap number — about ten allocations per path when the keys were uint32.
 */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return x ^ (x >>> 16);
}

/** Hashes a string (a site's owner name) to 32 bits: FNV-1a, then lowbias32 to spread it. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return lowbias32(h);
}

/** The id of the `ordinal`-th random call in the formula of `owner` (a param or series name). */
export function siteId(owner: string, ordinal: number): number {
  return lowbias32((hashString(owner) + Math.imul(ordinal + 1, 0x9e3779b9)) | 0);
}

/**
 * The path's part of every stream key: depends on the path and the seed's high word. A signed
 * 32-bit integer; only its bits matter (every use reduces modulo 2^32).
 */
export function pathKey(seedHi: number, path: number): number {
  return mix32((path ^ seedHi) + Math.imul(Math.floor(path / 4294967296), 0x632be5ab));
}

/** The site's part of its stream key. */
export function siteKey(site: number): number {
  return lowbias32(site ^ 0x2545f491);
}

/**
 * Stream.keyed for every stream of a kernel on one path: keys holds (siteK, siteMul) per stream.
 * Same keys as one keyed() call each.
 */
export function keyAll(
  streams: readonly Stream[],
  keys: Int32Array,
  seedLo: number,
  seedHi: number,
  pathK: number,
): void {
  for (let k = 0; k < streams.length; k++) streams[k]!.keyed(seedLo, seedHi, pathK, keys[2 * k]!, keys[2 * k + 1]!);
}

/** Splits a seed (a non-negative integer below 2^53) into two 32-bit halves. */
export function seedWords(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new Error(`internal: seed must be a safe non-negative integer, got ${seed}`);
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/**
 * A source of uniforms for one (seed, path, site): samplers receive it and call `uniform()`
 * or `word()`. The kernel reuses one Stream object per site, resetting `ka`, `kb` per path
 * and `c` per month, so no allocation happens in the hot loop.
 */
export class Stream {
  ka = 0;
  kb = 0;
  /** The next counter to read. */
  c = 0;

  /** Positions the stream at (seed, path, site) and month t (0 for params). */
  reset(seedLo: number, seedHi: number, path: number, site: number, t: number): void {
    this.keyed(seedLo, seedHi, pathKey(seedHi, path), siteKey(site), Math.imul(site, 0x9e3779b9));
    this.c = t * WORDS_PER_MONTH;
  }

  /**
   * reset() with its path part and site parts computed beforehand (the kernel computes the
   * path key once per path and the site keys when it is compiled); same keys, bit for bit.
   */
  keyed(seedLo: number, seedHi: number, pathK: number, siteK: number, siteMul: number): void {
    // Keys are kept as int32 so V8 stores them unboxed (uint32 values above 2^31 would be heap numbers).
    this.ka = mix32((seedLo ^ siteK) + pathK);
    this.kb = mix32(this.ka ^ seedHi ^ siteMul) ^ pathK;
    this.c = 0;
  }

  /** Moves to month t of the same (seed, path, site). */
  month(t: number): void {
    this.c = t * WORDS_PER_MONTH;
  }

  /** One uniform 32-bit word, as an unsigned integer. */
  word(): number {
    let x = (this.c++ + this.ka) | 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d);
    x ^= x >>> 15;
    x = Math.imul(x, 0x846ca68b);
    x ^= x >>> 16;
    x ^= this.kb;
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d);
    x ^= x >>> 15;
    x = Math.imul(x, 0x846ca68b);
    x ^= x >>> 16;
    return x >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.word() >>> 5; // 27 bits
    const lo = this.word() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * 1.1102230246251565e-16; // 2^-53
  }

  /**
   * 1 when uniform() < p, else 0 — the same answer, usually from one word instead of two.
   * uniform() is N·2^-53 with N = hi·2^26 + lo (hi the first word's top 27 bits, lo the second's
   * top 26), so uniform() < p exactly when N < p·2^53 (scaling by 2^53 is exact). The first word
   * decides unless hi·2^26 ≤ p·2^53 < (hi + 1)·2^26, which happens with probability 2^-27;
   * only then is the second word read. NaN p gives 0, as the comparison does.
   */
  below(p: number): number {
    const w = this.word();
    return this.belowFromWord(w, this.c - 1, p);
  }

  /**
   * below(p) whose first word, at counter c, is w (below hashes it itself; the kernel passes
   * one made in bulk by words.ts); a tie reads the second word, at c + 1.
   */
  belowFromWord(w: number, c: number, p: number): number {
    const x = p * 9007199254740992; // 2^53
    const a = (w >>> 5) * 67108864; // hi · 2^26
    if (a + 67108863 < x) return 1;
    if (!(a < x)) return 0;
    this.c = c + 1;
    return a + (this.word() >>> 6) < x ? 1 : 0;
  }

  /** A uniform double in (0, 1]: safe to take the log of. */
  uniformOpen0(): number {
    const hi = this.word() >>> 5;
    const lo = this.word() >>> 6;
    return (hi * 67108864 + lo + 1) * 1.1102230246251565e-16;
  }
}
