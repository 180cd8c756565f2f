// Bulk generator words (words.ts): the WebAssembly SIMD fill, the JavaScript fill and
// Stream.word() give the same words bit for bit, and the samplers that start from a known word
// give what the samplers that hash it themselves give.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  normalFromWord,
  sampleNormal,
  sampleStdNormal,
  stdNormalFromWord,
} from "../../src/engine/distributions/index.js";
import { Stream, pathKey, seedWords, siteId, siteKey } from "../../src/engine/rng.js";
import { blockWords, bulkWordEngine, wordStride } from "../../src/engine/words.js";

const SITES = [siteId("revenue", 0), siteId("shock", 1), siteId("e", 0)];
const PAIRS = SITES.flatMap((id) => [siteKey(id), Math.imul(id, 0x9e3779b9)]);

test("SIMD and JavaScript fills equal Stream.word() for every path, site and month", () => {
  assert.equal(bulkWordEngine(), "simd", "Node has WebAssembly SIMD, so the fast fill must be in use");
  // Seeds and first paths with non-zero high words exercise the path key's high part.
  for (const [seed, first, count, months] of [
    [1, 0, 1024, 37],
    [2 ** 40 + 12345, 3 * 1024, 1000, 13],
    [7, 2 ** 33 + 2048, 64, 121],
  ] as const) {
    const [lo, hi] = seedWords(seed);
    const simd = blockWords(PAIRS, lo, hi, first, count, months).map((v) => v.slice());
    const js = blockWords(PAIRS, lo, hi, first, count, months, "js");
    const stride = wordStride(months);
    const s = new Stream();
    SITES.forEach((id, k) => {
      assert.deepEqual(simd[k], js[k], `site ${k}, seed ${seed}`);
      for (let i = 0; i < count; i++)
        for (let t = 1; t <= months; t++) {
          s.keyed(lo, hi, pathKey(hi, first + i), siteKey(id), Math.imul(id, 0x9e3779b9));
          s.c = t * 1024;
          const want = s.word() | 0;
          if (js[k]![i * stride + t - 1] !== want)
            assert.fail(
              `seed ${seed} path ${first + i} site ${k} month ${t}: ${js[k]![i * stride + t - 1]} vs ${want}`,
            );
        }
    });
  }
});

test("samplers from a known first word equal the samplers that hash it, rejections included", () => {
  const [lo, hi] = seedWords(3);
  const months = 24;
  const count = 1024;
  const [words] = blockWords(PAIRS.slice(0, 2), lo, hi, 0, count, months);
  const stride = wordStride(months);
  const s = new Stream();
  const ref = new Stream();
  let slow = 0;
  for (let i = 0; i < count; i++)
    for (let t = 1; t <= months; t++) {
      const w = words![i * stride + t - 1]!;
      const key = (x: Stream) => x.keyed(lo, hi, pathKey(hi, i), PAIRS[0]!, PAIRS[1]!);
      key(s);
      key(ref);
      ref.c = t * 1024;
      const want = sampleNormal(ref, 2, 3);
      if (ref.c - t * 1024 > 1) slow++; // the ziggurat read more than its first word
      assert.ok(Object.is(normalFromWord(w, s, t * 1024, 2, 3), want));
      ref.c = t * 1024;
      assert.ok(Object.is(stdNormalFromWord(w, s, t * 1024), sampleStdNormal(ref)));
      ref.c = t * 1024;
      for (const p of [0.02, 0.5, ((w >>> 5) * 2 ** 26 + 5) * 2 ** -53]) {
        ref.c = t * 1024;
        assert.equal(s.belowFromWord(w, t * 1024, p), ref.below(p));
      }
    }
  // About 1.2% of 24,576 draws take the slow path; they must have been compared too.
  assert.ok(slow > 100, `only ${slow} slow-path draws`);
  assert.ok(Number.isNaN(normalFromWord(words![0]!, s, 1024, 0, -1)));
});
