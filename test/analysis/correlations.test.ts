// `correlations:` imposes rank correlations between params and keeps each param's own
// distribution. Tested through the engine on a fixture whose params are copied into series.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { DISTRIBUTIONS, simulate } from "../../src/engine/index.js";
import { checkText, type Model } from "../../src/lang/index.js";
import { expectWithinSE } from "./helpers.js";

function load(name: string): { model?: Model; messages: string } {
  const file = `test/fixtures/analysis/${name}.yaml`;
  const { model, diagnostics } = checkText(readFileSync(file, "utf8"), file);
  const messages = diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n");
  return model ? { model, messages } : { messages };
}

function ranks(xs: Float64Array): Float64Array {
  const order = Array.from(xs.keys()).sort((i, j) => xs[i]! - xs[j]!);
  const r = new Float64Array(xs.length);
  order.forEach((i, k) => (r[i] = k));
  return r;
}

function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

test("correlated params reach their target Spearman correlations and keep their marginals", async () => {
  const { model, messages } = load("correlated");
  assert.ok(model, messages);
  const n = 131_072; // 16 replicates of 2^13 points: no rounding under rqmc
  const run = await simulate(model, {
    paths: n,
    seed: 11,
    report: [],
    capture: ["sa", "sb", "sc"].map((name) => ({ kind: "series" as const, name, month: 1 })),
  });
  const [a, b, c] = run.captures!.map(ranks);
  // SE of a sample Spearman correlation: Var(atanh r_s) ≈ 1.06/(n − 3) (Fieller, Hartley & Pearson 1957),
  // so SE(r_s) ≈ (1 − ρ²)·√(1.06/(n − 3)). A Gaussian copula that used ρ itself as the normal
  // correlation would give (6/π)·asin(ρ/2) instead: 0.5819 for 0.6, about 9 SE off at this n.
  const se = (rho: number): number => (1 - rho * rho) * Math.sqrt(1.06 / (n - 3));
  for (const [x, y, rho, what] of [
    [a, b, 0.6, "a-b"],
    [a, c, -0.4, "a-c"],
    [b, c, 0.2, "b-c"],
  ] as const)
    expectWithinSE(pearson(x!, y!), rho, se(rho), { z: 5 }, `Spearman ${what}`);

  // Marginals: the share of draws below each param's p-quantile is p, SE √(p(1 − p)/n).
  const marginals = [
    {
      values: run.captures![0]!,
      q: (p: number) => DISTRIBUTIONS.normal.quantile([0, 1], p),
      name: "a ~ normal(0, 1)",
    },
    {
      values: run.captures![1]!,
      q: (p: number) => DISTRIBUTIONS.lognormal.quantile([0, 0.5], p),
      name: "b ~ lognormal",
    },
    { values: run.captures![2]!, q: (p: number) => DISTRIBUTIONS.uniform.quantile([0, 1], p), name: "c ~ uniform" },
  ];
  for (const { values, q, name } of marginals)
    for (const p of [0.05, 0.25, 0.5, 0.75, 0.95]) {
      const cut = q(p);
      let below = 0;
      for (const v of values) if (v < cut) below++;
      expectWithinSE(below / n, p, Math.sqrt((p * (1 - p)) / n), { z: 5 }, `${name}: share below q(${p})`);
    }
});

test("a correlation matrix that is not positive definite is a clear error naming the params", async () => {
  const { model, messages } = load("not-pd");
  let message = messages;
  if (model) {
    try {
      await simulate(model, { paths: 10, seed: 1, report: [] });
      assert.fail("expected an error for a matrix that is not positive definite");
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
    }
  }
  assert.match(message, /positive definite/);
  for (const name of ["a", "b", "c"]) assert.match(message, new RegExp(`\\b${name}\\b`));
});
