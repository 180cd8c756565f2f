import assert from "node:assert/strict";
import { test } from "node:test";
import { renderHtml } from "../../src/report/html.js";
import { fixtureResult } from "./fixture.js";

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

test("html: conditions and calendar tables when given", () => {
  const html = renderHtml({
    result: fixtureResult(),
    conditions: {
      month: 24,
      baseline: { alive: 0.3, se: 0.01 },
      rows: [{ lever: "funding", label: "Raise money", alive: 0.6, se: 0.01, diff: 0.3, diffSe: 0.005 }],
    },
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
  assert.match(html, /Raise money/);
  assert.match(html, /\+30\.0 pp ± 1\.0/);
  assert.match(html, /\$3\.6B/);
});
