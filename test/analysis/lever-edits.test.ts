// A lever edit that changes nothing (add 0, scale 1) must leave every path as it was: through
// the lever analysis, its main effect and its interactions are exactly 0 with a standard error
// of 0, and every combination with it equals the same combination without it, bit for bit,
// random draws, rank-correlated params and lagged series included.
import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeLevers } from "../../src/analysis/index.js";
import { checkText } from "../../src/lang/index.js";

const TEXT = `name: no-op edits
start: 2024-07
horizon: 24
params:
  g: normal(0.03, 0.03)
  burn: 150M to 250M
  raise: 0.5B to 3B
correlations:
  - [g, burn, 0.4]
series:
  revenue: { start: 100M, next: "prev(revenue) * exp(g + 0.1 * normal(0, 1))" }
  momentum: revenue / prev(revenue, 3) - 1
  costs: burn + event(0.05, 50M to 200M)
  funding: { schedule: { 2025-03: raise }, between: zero }
  cash: { start: 1.2B, change: revenue - costs + funding }
alive: cash >= 0
levers:
  raise_more:
    label: Raise more
    add: { funding: "if(t == 2025-09 and momentum > 0, 2B, 0)" }
  nothing:
    label: Edits that change nothing
    add: { cash: 0, revenue: 0, burn: 0 }
    scale: { costs: 1, g: 1, funding: 1 }
  cheaper:
    label: Cheaper
    scale: { costs: 90% }
`;

test("add 0 and scale 1 give a difference of exactly 0 in the lever analysis", async () => {
  const r = checkText(TEXT, "noop.yaml");
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message),
    [],
  );
  const result = await analyzeLevers(r.model!, { paths: 4000, seed: 3, threads: 1, target: "alive@24 >= 0.9" });
  const key = (levers: string[]) => levers.filter((l) => l !== "nothing").join("+");
  const byKey = new Map<string, string>();
  for (const c of result.combinations)
    if (!c.levers.includes("nothing")) byKey.set(key(c.levers), JSON.stringify([c.survival, c.runway, c.value]));
  for (const c of result.combinations) {
    if (!c.levers.includes("nothing")) continue;
    assert.equal(JSON.stringify([c.survival, c.runway, c.value]), byKey.get(key(c.levers)), c.levers.join("+"));
  }
  for (const e of result.effects.filter((x) => x.levers.includes("nothing"))) {
    assert.equal(e.effect, 0, `${e.kind} ${e.levers.join("×")}`);
    assert.equal(e.se, 0, `${e.kind} ${e.levers.join("×")}`);
  }
  // The analysis could see a difference: the other two levers do move survival.
  const main = result.effects.filter((x) => x.kind === "main" && !x.levers.includes("nothing"));
  assert.ok(
    main.every((x) => x.effect > 0 && x.se > 0),
    JSON.stringify(main),
  );
});
