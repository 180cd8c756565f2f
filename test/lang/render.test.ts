// Golden files of rendered diagnostics: on mismatch the output is written beside the golden
// as `.actual`; UPDATE_GOLDEN=1 rewrites the golden.

import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { checkText, renderDiagnostic } from "../../src/lang/index.js";

function testGolden(fixture: string, golden: string): void {
  test(`golden ${golden}`, () => {
    const path = `test/fixtures/broken/${fixture}`;
    const text = readFileSync(new URL(`../fixtures/broken/${fixture}`, import.meta.url), "utf8");
    const out =
      checkText(text, path)
        .diagnostics.map((d) => renderDiagnostic(d, text))
        .join("\n\n") + "\n";
    const goldenUrl = new URL(`../golden/${golden}`, import.meta.url);
    const actualUrl = new URL(`../golden/${golden}.actual`, import.meta.url);
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(goldenUrl)) writeFileSync(goldenUrl, out);
    const want = readFileSync(goldenUrl, "utf8");
    if (out !== want) writeFileSync(actualUrl, out);
    else if (existsSync(actualUrl)) rmSync(actualUrl);
    assert.equal(out, want, `rendered output differs; see test/golden/${golden}.actual`);
  });
}

testGolden("unknown-name.yaml", "lang-unknown-name.txt");
testGolden("cycle-3.yaml", "lang-cycle-3.txt");
testGolden("unclosed-paren.yaml", "lang-unclosed-paren.txt");
testGolden("flow-map-comma.yaml", "lang-flow-map-comma.txt");
