// The language fuzz in `npm test`: a fixed seed and a bounded number of cases, built scenarios
// and mutated ones (test/fuzz/language.ts). `npm run fuzz` runs many more, through the CLI.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { exercise, mutatedText, scenarioText } from "./language.js";

// A safety net against a hang (an endless loop would otherwise stall the suite), not a speed bound.
const HANG = { timeout: 10 * 60_000 };

test("fuzz: built scenarios check, run and render without internal errors or NaN", HANG, () => {
  fc.assert(
    fc.property(scenarioText, (text) => {
      assert.deepEqual(exercise(text), [], text);
    }),
    { seed: 20251205, numRuns: 150 },
  );
});

test("fuzz: mutated scenarios fail cleanly or run cleanly", HANG, () => {
  fc.assert(
    fc.property(mutatedText, (text) => {
      assert.deepEqual(exercise(text), [], text);
    }),
    { seed: 20251206, numRuns: 150 },
  );
});
