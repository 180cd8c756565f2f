// The compiler's per-run specialisation: the signature's constants go in at the mark, once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { perRunConstants, SIGNATURE_MARK, specialiser } from "../../../src/engine/compile/specialise.js";

test("perRunConstants: scale, report and capture become literals", () => {
  assert.deepEqual(perRunConstants({ scaled: false, reported: [1], captures: false }, 2), [
    "const nc = 0;",
    "const pout = null;",
    "const sc0 = 1, ob0 = -1;",
    "const sc1 = 1, ob1 = ctx.outBase[1];",
  ]);
  assert.deepEqual(perRunConstants({ scaled: true, reported: [], captures: true, paramCaptures: true }, 1), [
    "const nc = caps.length;",
    "const pout = ctx.paramOut;",
    "const sc0 = ctx.scale[0], ob0 = -1;",
  ]);
});

test("specialiser fills the mark (and nothing else), and caches by signature", () => {
  // A `$&` in the template must stay as it is (String.replace's patterns are not used).
  const source = specialiser(`a ${SIGNATURE_MARK} b $& ${SIGNATURE_MARK}`, 1);
  const sig = { scaled: false, reported: [0], captures: false };
  const s = source(sig);
  assert.equal(s, `a const nc = 0;\nconst pout = null;\nconst sc0 = 1, ob0 = ctx.outBase[0]; b $& ${SIGNATURE_MARK}`);
  assert.equal(source({ ...sig }), s);
  assert.notEqual(source({ ...sig, reported: [] }), s);
});
