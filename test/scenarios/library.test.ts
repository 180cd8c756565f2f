// The built-in library as a whole: every scenario checks cleanly, every number in it says where
// it comes from, the sources a scenario lists are the ones its facts file documents, and the
// files of the library speak of the project alone.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { builtinNames, loadBuiltin, numberLiterals, scenariosDir } from "./helpers.js";

/**
 * A source that cites (the facts file, a listed source id, a lever, or a dated report such as
 * "CNBC, Nov 2023") or says why it is chosen ("assumption: …", "baseline: …").
 */
function cites(source: string | undefined, ids: readonly string[]): boolean {
  if (!source) return false;
  if (/assumption|baseline|hindsight|facts|lever/i.test(source)) return true;
  if (/\b(19|20)\d\d\b/.test(source)) return true;
  return ids.some((id) => source.includes(id));
}

test("library: every built-in checks without errors or warnings", () => {
  const names = builtinNames();
  for (const expected of ["anthropic-2024", "openai-2024", "openai-2026", "startup"])
    assert.ok(names.includes(expected), `scenarios/${expected}.yaml is in the library`);
  for (const name of names) loadBuiltin(name);
});

test("library: every param, and every series with a number in its formula, cites a source or says it is an assumption", () => {
  for (const name of builtinNames()) {
    const model = loadBuiltin(name);
    const ids = model.scenario.sources.map((s) => s.id);
    for (const p of model.params)
      assert.ok(cites(p.source, ids), `${name}: param ${p.name} has no citation (source: ${JSON.stringify(p.source)})`);
    for (const s of model.series) {
      // 0, 1 and 12 (months in a year, for annual amounts) are arithmetic, not figures.
      const literals = numberLiterals(s).filter((v) => v !== 0 && v !== 1 && v !== 12);
      if (literals.length === 0) continue;
      assert.ok(
        cites(s.source, ids),
        `${name}: series ${s.name} uses ${literals.join(", ")} but cites nothing (source: ${JSON.stringify(s.source)})`,
      );
    }
  }
});

// A scenario NAME whose facts file is scenarios/facts/NAME.md lists, under `sources:`, only
// outlets that the facts file documents, at the same address.
test("library: a scenario's sources are documented, with the same URL, in its facts file", () => {
  for (const name of builtinNames()) {
    const factsFile = new URL(`facts/${name}.md`, scenariosDir);
    if (!existsSync(factsFile)) continue;
    const facts = readFileSync(factsFile, "utf8");
    const model = loadBuiltin(name);
    const withUrl = model.scenario.sources.filter((s) => s.url !== undefined);
    assert.ok(withUrl.length > 0, `${name} lists its outlets`);
    for (const s of withUrl) {
      const row = facts.split("\n").find((line) => line.startsWith(`| ${s.id} |`));
      assert.ok(row, `${name}: source ${s.id} is documented in facts/${name}.md`);
      assert.ok(row.includes(s.url!), `${name}: source ${s.id} has the URL ${s.url} in facts/${name}.md`);
    }
  }
});

test("library: the facts files and the scenarios they back speak of the project alone", () => {
  const facts = readdirSync(new URL("facts/", scenariosDir)).filter((f) => f.endsWith(".md"));
  assert.deepEqual(facts.sort(), ["anthropic-2024.md", "openai-2024.md", "openai-2026.md"]);
  const files = [
    ...facts.map((f) => `facts/${f}`),
    "README.md",
    "anthropic-2024.yaml",
    "openai-2026.yaml",
    "startup.yaml",
  ];
  for (const f of files) {
    const text = readFileSync(new URL(f, scenariosDir), "utf8");
    assert.doesNotMatch(text, /\.\.\/shared|\bDESIGN\b/, `scenarios/${f} refers to files outside the project`);
  }
});
