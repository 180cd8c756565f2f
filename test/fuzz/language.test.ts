// The language fuzz in `npm test`: a fixed seed and a bounded number of cases, built scenarios
// and mutated ones (test/fuzz/language.ts). `npm run fuzz` runs many more, through the CLI.
// Every case runs under a time bound of its own (bounded.ts): a hang fails as that case, with
// its input.

import assert from "node:assert/strict";
import { after, test } from "node:test";
import fc from "fast-check";
import { BoundedCases } from "./bounded.js";
import { mutatedText, scenarioText } from "./language.js";

// The outer safety net; each case has its own, much shorter, bound.
const HANG = { timeout: 10 * 60_000 };

const cases = new BoundedCases();
after(() => cases.close());

/**
 * The property over one arbitrary. After a hang, later cases (fast-check shrinking) pass at once:
 * each would wait out the bound again, and the case reported is the one that hung.
 */
function bounded(arb: fc.Arbitrary<string>) {
  let hung = false;
  return fc.asyncProperty(arb, async (text) => {
    if (hung) return;
    const problems = await cases.exercise(text);
    if (problems.some((p) => p.startsWith("no answer within"))) hung = true;
    assert.deepEqual(problems, [], text);
  });
}

test("fuzz: built scenarios check, run and render without internal errors or NaN", HANG, async () => {
  await fc.assert(bounded(scenarioText), { seed: 20251205, numRuns: 150 });
});

test("fuzz: mutated scenarios fail cleanly or run cleanly", HANG, async () => {
  await fc.assert(bounded(mutatedText), { seed: 20251206, numRuns: 150 });
});

test(
  "fuzz: a case that never returns fails as that case, with its input, not as the test timing out",
  HANG,
  async () => {
    const hanging = new BoundedCases(new URL("./hang-worker.ts", import.meta.url), 2);
    try {
      assert.deepEqual(await hanging.exercise("name: fine"), []);
      assert.deepEqual(await hanging.exercise("name: loops forever"), [
        "no answer within 2 s (a hang in check, compile or run)",
      ]);
      // The worker was replaced: the next case runs.
      assert.deepEqual(await hanging.exercise("name: fine again"), []);
      // Through fast-check: the failure names the case that hung.
      let hung = false;
      const property = fc.asyncProperty(fc.constantFrom("name: a", "name: loops forever"), async (text) => {
        if (hung) return;
        const problems = await hanging.exercise(text);
        if (problems.length > 0) hung = true;
        assert.deepEqual(problems, [], text);
      });
      await assert.rejects(fc.assert(property, { seed: 1, numRuns: 20 }), /name: loops forever/);
    } finally {
      await hanging.close();
    }
  },
);
