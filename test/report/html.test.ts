import assert from "node:assert/strict";
import { test } from "node:test";
import { renderHtml, runwaySvg, tornadoSvg } from "../../src/report/html.js";
import { conditionsFromLevers } from "../../src/report/conditions.js";
import { fixtureFundingGoal, fixtureLeverDefs, fixtureLevers, fixtureResult, fixtureTornado } from "./fixture.js";

test("html: inline SVG charts for survival, each series and the runway", () => {
  const html = renderHtml({ result: fixtureResult() });
  assert.equal(html.match(/<svg /g)?.length, 4);
  assert.match(html, /aria-label="survival curve"/);
  assert.match(html, /aria-label="fan chart of cash"/);
  assert.match(html, /<polygon [^>]*points="[0-9., -]+"/);
});

test("html: self-contained: no script, no external link, stylesheet or image", () => {
  const html = renderHtml({ result: fixtureResult() });
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:)?\/\//i);
  assert.doesNotMatch(html, /@import|url\(/i);
});

test("html: text from the scenario is escaped", () => {
  const r = fixtureResult();
  r.scenario = "<b>Acme & Co</b>";
  const html = renderHtml({ result: r });
  assert.match(html, /&lt;b&gt;Acme &amp; Co&lt;\/b&gt;/);
  assert.doesNotMatch(html, /<b>Acme/);
});

test("html: conditions, funding goal, tornado and calendar when given", () => {
  const html = renderHtml({
    result: fixtureResult(),
    conditions: conditionsFromLevers(fixtureLevers(), fixtureLeverDefs),
    fundingGoal: fixtureFundingGoal(),
    tornado: fixtureTornado(),
    calendar: {
      year: 2024,
      reportedMonths: 6,
      simulatedMonths: 6,
      source: "test",
      notes: [],
      lines: [
        { name: "revenue", reported: 1.3e9, simulated: 2.3e9, total: 3.6e9, expectedLow: 3.5e9, expectedHigh: 4.5e9 },
      ],
    },
  });
  assert.match(html, /<h2>The conditions<\/h2>/);
  assert.match(html, /Raise money <code>funding<\/code><\/th><td>30\.0% ± 1\.0%<\/td><td>\+29\.0 pp ± 0\.8<\/td>/);
  assert.match(html, /all 2 together<\/th><td>32\.0% ± 1\.0%/);
  assert.match(html, /funding × apps<\/th><td>\+1\.9 pp ± 0\.4/);
  assert.match(html, /No one condition is enough/);
  assert.match(html, /<td>\$12\.1B<\/td><td>\$11\.9B – \$12\.4B<\/td><td>90\.1% ± 0\.8%<\/td><td>72\.0% ± 1\.2%<\/td>/);
  assert.match(html, /not reachable \(best S\(24\) 37\.0% ± 1\.2% at \$100B\)/);
  assert.match(html, /closes for certain/);
  assert.match(html, /Correlated params are drawn given the one held: revenue_growth \(with price_erosion\)\.<\/p>/);
  // The tornado: one SVG with two bars (P10, P90) per param and the base line.
  const svg = /<svg [^>]*aria-label="tornado of alive@24">(.*?)<\/svg>/.exec(html)?.[1];
  assert.ok(svg, "a tornado SVG");
  assert.equal(svg.match(/<rect /g)?.length, 10);
  for (const p of ["opening_cash", "revenue_growth", "inference_elasticity", "training_growth", "legal_size"])
    assert.match(svg, new RegExp(`>${p}</text>`));
  assert.doesNotMatch(svg, /NaN/);
  assert.equal(html.match(/<svg /g)?.length, 5);
  assert.match(html, /\$3\.6B/);
});

test("html: chart labels stay apart: the runway's last bar reads 'alive', a bar across the tornado carries its own label", () => {
  const runway = runwaySvg(fixtureResult(36));
  const ticks = [...runway.matchAll(/<text [^>]*y="[0-9.]+" text-anchor="(?:start|middle|end)">([^<]+)<\/text>/g)].map(
    (m) => m[1],
  );
  // Month 36 (2027-06) would sit next to the last bar's label, so only the first, 12, 24 and the last remain.
  assert.deepEqual(ticks.slice(-4).sort(), ["2024-07", "2025-06", "2026-06", "alive"]);
  const t = fixtureTornado();
  const wide = { ...t, base: 0.5, bars: [{ ...t.bars[0]!, low: 0, high: 1 }, ...t.bars.slice(1)] };
  const svg = tornadoSvg(wide);
  // The bar spans the whole axis: its "0.0% → 100.0%" goes on the bar with a white halo, not over the names.
  assert.match(svg, /<text x="[0-9.]+" text-anchor="start" stroke="white"[^>]*>0\.0% → 100\.0%<\/text>/);
  const other = /<text x="([0-9.]+)" text-anchor="start" y="[0-9.]+" dominant-baseline="middle">/.exec(svg);
  assert.ok(other, "the other bars' labels sit right of their bars");
});
