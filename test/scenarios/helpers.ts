// Shared by the scenario-library tests: loading a built-in, reading a constant param, and the
// statistical band check (a mean over n paths, SE from the run's percentiles).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import type { RunResult } from "../../src/engine/index.js";
import { checkText, constValue, type Model } from "../../src/lang/index.js";

export const scenariosDir = new URL("../../scenarios/", import.meta.url);
export const B = 1e9;
/** Bands are asserted with this many standard errors to spare (two-sided false alarm ≈ 6e-7). */
export const Z = 5;

/** Names of the built-in scenarios (scenarios/*.yaml). */
export function builtinNames(): string[] {
  return readdirSync(scenariosDir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
}

export function scenarioText(name: string): string {
  return readFileSync(new URL(`${name}.yaml`, scenariosDir), "utf8");
}

/** A built-in, checked; fails the test on any diagnostic (errors and warnings alike). */
export function loadBuiltin(name: string): Model {
  const { model, diagnostics } = checkText(scenarioText(name), `${name}.yaml`);
  assert.ok(model, diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(
    diagnostics.map((d) => d.message),
    [],
    `${name} checks without warnings`,
  );
  return model;
}

export function param(model: Model, name: string): number {
  const p = model.params.find((q) => q.name === name);
  assert.ok(p, `param ${name}`);
  const v = constValue(p.expr);
  assert.ok(v !== undefined, `param ${name} is a constant`);
  return v;
}

/**
 * SE of a mean over the run's paths, sd estimated from the 5th–95th percentile spread of `series`
 * at `month` as (p95 − p5)/3.29 (exact for a normal; year totals are sums of months, close to normal).
 */
export function seOfMean(r: RunResult, series: string, month: number): number {
  const p = r.series[series]![month - 1]!;
  return (p.p95 - p.p5) / (2 * 1.6448536269514722) / Math.sqrt(r.paths);
}

/** Asserts lo + Z·se ≤ x ≤ hi − Z·se, saying how many SEs inside or outside the band x is. */
export function expectInsideBand(x: number, lo: number, hi: number, se: number, what: string): void {
  const margin = Math.min(x - lo, hi - x) / se;
  assert.ok(
    margin >= Z,
    `${what}: ${(x / B).toFixed(3)}B is ${margin.toFixed(1)} SE inside [${lo / B}B, ${hi / B}B] (se ${(se / B).toFixed(4)}B, need z = ${Z})`,
  );
}

/** The number literals of an expression (any node of kind "number", however deep). */
export function numberLiterals(node: unknown, out: number[] = []): number[] {
  if (node === null || typeof node !== "object") return out;
  if (Array.isArray(node)) {
    for (const x of node) numberLiterals(x, out);
    return out;
  }
  const o = node as Record<string, unknown>;
  if (o["kind"] === "number" && typeof o["value"] === "number") out.push(o["value"]);
  for (const [k, v] of Object.entries(o)) if (k !== "span" && k !== "nameSpan") numberLiterals(v, out);
  return out;
}
