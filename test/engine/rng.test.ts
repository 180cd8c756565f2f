// The counter-based stream: determinism, ranges, uniformity and bit balance, with tolerances from
// standard errors (z = 5: two-sided false alarm ≈ 6e-7 per check).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Stream, WORDS_PER_MONTH, hashString, lowbias32, seedWords, siteId } from "../../src/engine/rng.js";

const Z = 5;
const [SEED_LO, SEED_HI] = seedWords(123456789012);

function expectWithinSE(actual: number, expected: number, se: number, label: string): void {
  const off = (actual - expected) / se;
  assert.ok(
    Math.abs(off) <= Z,
    `${label}: got ${actual}, expected ${expected} ± ${Z}·${se} (${off.toFixed(2)} SE off)`,
  );
}

describe("Stream", () => {
  test("a draw is a function of (seed, path, site, t) alone", () => {
    const a = new Stream();
    const b = new Stream();
    const words: number[] = [];
    for (let path = 0; path < 100; path++) {
      a.reset(SEED_LO, SEED_HI, path, siteId("revenue", 0), 7);
      words.push(a.word(), a.word());
    }
    // Visit in reverse with another object: same words.
    for (let path = 99; path >= 0; path--) {
      b.reset(SEED_LO, SEED_HI, path, siteId("revenue", 0), 7);
      assert.equal(b.word(), words[2 * path]);
      assert.equal(b.word(), words[2 * path + 1]);
    }
    // month(t) is reset(…, t) for the same key.
    a.reset(SEED_LO, SEED_HI, 5, 3, 0);
    a.month(9);
    const w = a.word();
    b.reset(SEED_LO, SEED_HI, 5, 3, 9);
    assert.equal(b.word(), w);
    assert.equal(b.c, 9 * WORDS_PER_MONTH + 1);
  });

  test("seed, path, site and month each change the words", () => {
    const s = new Stream();
    const first = (lo: number, hi: number, path: number, site: number, t: number): number => {
      s.reset(lo, hi, path, site, t);
      return s.word();
    };
    const base = first(SEED_LO, SEED_HI, 1, 2, 3);
    assert.notEqual(first(SEED_LO + 1, SEED_HI, 1, 2, 3), base);
    assert.notEqual(first(SEED_LO, SEED_HI + 1, 1, 2, 3), base);
    assert.notEqual(first(SEED_LO, SEED_HI, 2, 2, 3), base);
    assert.notEqual(first(SEED_LO, SEED_HI, 1 + 2 ** 32, 2, 3), base); // paths beyond 2^32 are distinct
    assert.notEqual(first(SEED_LO, SEED_HI, 1, 3, 3), base);
    assert.notEqual(first(SEED_LO, SEED_HI, 1, 2, 4), base);
  });

  test("uniform is in [0, 1), uniformOpen0 in (0, 1], with the moments of U(0, 1)", () => {
    const s = new Stream();
    const n = 200_000;
    let sum = 0;
    let sum2 = 0;
    for (let i = 0; i < n; i++) {
      s.reset(SEED_LO, SEED_HI, i, 1, 0);
      const u = s.uniform();
      assert.ok(u >= 0 && u < 1);
      sum += u;
      sum2 += u * u;
      s.reset(SEED_LO, SEED_HI, i, 2, 0);
      const v = s.uniformOpen0();
      assert.ok(v > 0 && v <= 1);
    }
    const mean = sum / n;
    expectWithinSE(mean, 0.5, Math.sqrt(1 / 12 / n), "mean"); // Var U = 1/12
    // sample variance of U(0,1): SE = √((μ₄ − σ⁴)/n) = √((1/80 − 1/144)/n)
    expectWithinSE(sum2 / n - mean * mean, 1 / 12, Math.sqrt((1 / 80 - 1 / 144) / n), "variance");
  });

  test("every bit of the word is set half the time; consecutive words and paths are uncorrelated", () => {
    const s = new Stream();
    const n = 100_000;
    const ones = new Float64Array(32);
    let cross = 0;
    let prevPath = 0;
    let pathCross = 0;
    for (let i = 0; i < n; i++) {
      s.reset(SEED_LO, SEED_HI, i, 77, 1);
      const w = s.word();
      const u1 = w / 4294967296 - 0.5;
      const u2 = s.word() / 4294967296 - 0.5;
      for (let b = 0; b < 32; b++) ones[b]! += (w >>> b) & 1;
      cross += u1 * u2;
      pathCross += u1 * prevPath;
      prevPath = u1;
    }
    for (let b = 0; b < 32; b++) expectWithinSE(ones[b]! / n, 0.5, Math.sqrt(0.25 / n), `bit ${b}`);
    // E[(U₁ − ½)(U₂ − ½)] = 0 with SD 1/12 per term.
    expectWithinSE(cross / n, 0, 1 / 12 / Math.sqrt(n), "word-to-word correlation");
    expectWithinSE(pathCross / n, 0, 1 / 12 / Math.sqrt(n), "path-to-path correlation");
  });

  test("chi-square of 256 byte values over sequential counters", () => {
    const s = new Stream();
    s.reset(SEED_LO, SEED_HI, 0, 5, 0);
    const n = 256 * 2000;
    const counts = new Float64Array(256);
    for (let i = 0; i < n; i++) counts[s.word() >>> 24]!++;
    let chi2 = 0;
    for (const c of counts) chi2 += (c - 2000) ** 2 / 2000;
    // χ²(255): mean 255, sd √510 ≈ 22.6
    assert.ok(Math.abs(chi2 - 255) < Z * Math.sqrt(510), `χ² = ${chi2}`);
  });

  test("below(p) answers uniform() < p exactly, including the ties that need the second word", () => {
    const at = (path: number) => {
      const s = new Stream();
      s.reset(SEED_LO, SEED_HI, path, 77, 3);
      return s;
    };
    let secondWord = 0;
    for (let path = 0; path < 2000; path++) {
      // The draw's own N = hi·2^26 + lo, so that thresholds can sit right at and around it.
      const probe = at(path);
      const hi = probe.word() >>> 5;
      const lo = probe.word() >>> 6;
      const N = hi * 2 ** 26 + lo;
      const ps = [N - 1, N, N + 0.5, N + 1, hi * 2 ** 26, hi * 2 ** 26 - 1, (hi + 1) * 2 ** 26, (hi + 1) * 2 ** 26 - 1];
      for (const p of [...ps.map((n) => n * 2 ** -53), 0, -0, -1, 1, 2, 0.02, 0.3183, NaN, Infinity]) {
        const s = at(path);
        const c0 = s.c;
        const got = s.below(p);
        if (s.c - c0 === 2) secondWord++;
        assert.equal(got, at(path).uniform() < p ? 1 : 0, `path ${path} p=${p}`);
      }
    }
    // The ties really were exercised: the thresholds inside [hi·2^26, (hi + 1)·2^26) need lo.
    assert.ok(secondWord >= 2000 * 4, `second word read only ${secondWord} times`);
  });
});

describe("hashing helpers", () => {
  test("lowbias32 is a bijection on a sample and returns uint32", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 50_000; i++) {
      const h = lowbias32(i);
      assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 32);
      seen.add(h);
    }
    assert.equal(seen.size, 50_000);
  });

  test("site ids differ by owner and ordinal; hashString is stable", () => {
    assert.notEqual(siteId("revenue", 0), siteId("revenue", 1));
    assert.notEqual(siteId("revenue", 0), siteId("cash", 0));
    assert.equal(hashString("revenue"), hashString("revenue"));
  });

  test("seedWords splits a safe integer and rejects others", () => {
    assert.deepEqual(seedWords(0), [0, 0]);
    assert.deepEqual(seedWords(2 ** 32 + 5), [5, 1]);
    assert.deepEqual(seedWords(Number.MAX_SAFE_INTEGER), [0xffffffff, 0x1fffff]);
    assert.throws(() => seedWords(-1), /internal/);
    assert.throws(() => seedWords(1.5), /internal/);
    assert.throws(() => seedWords(2 ** 53), /internal/);
  });
});
