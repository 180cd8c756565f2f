// `outlast sensitivity`: a tornado and Sobol indices for one output.

import { analyzeSensitivity, type SensitivityResult } from "../../analysis/index.js";
import { formatAmount } from "../../analysis/format.js";
import { tornadoGivenNote } from "../../report/conditions.js";
import { UsageError } from "../errors.js";
import { parseCount } from "../options.js";
import { plainTable, prepareAnalysis, toJson, withAnalysis, type AnalysisFlags } from "./levers.js";

export interface SensitivityFlags extends AnalysisFlags {
  output?: string;
  sobolPaths?: string;
  bootstrap?: string;
  params?: string;
}

function maybeWhole(text: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = parseCount(text);
  if (n === undefined || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`expected a whole number from ${min} to ${max} for ${flag}, got '${text}'`);
  return n;
}

export async function sensitivityCommand(scenario: string, flags: SensitivityFlags): Promise<void> {
  const sobolPaths = maybeWhole(flags.sobolPaths, "--sobol-paths", 16, 10_000_000);
  const bootstrap = maybeWhole(flags.bootstrap, "--bootstrap", 100, 100_000);
  const prepared = prepareAnalysis(scenario, flags, 20_000);
  const { model, options } = prepared;
  const output = flags.output ?? `alive@${Math.min(24, options.horizon ?? model.horizon)}`;
  const params = flags.params
    ?.split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const started = Date.now();
  const result = await withAnalysis(prepared, (options) =>
    analyzeSensitivity(model, {
      ...options,
      output,
      ...(sobolPaths === undefined ? {} : { sobolPaths }),
      ...(bootstrap === undefined ? {} : { bootstrap }),
      ...(params === undefined ? {} : { params }),
    }),
  );
  if (flags.json) {
    process.stdout.write(toJson(result) + "\n");
    return;
  }
  process.stdout.write(renderSensitivity(result, model.scenario.name, Date.now() - started) + "\n");
}

const num = (x: number): string => formatAmount(x);

export function renderSensitivity(r: SensitivityResult, scenario: string, elapsedMs?: number): string {
  const out: string[] = [];
  out.push(
    `${scenario}: sensitivity of ${r.output} (mean ${num(r.base)} ± ${num(r.baseSe)})` +
      (elapsedMs === undefined ? "" : ` in ${(elapsedMs / 1000).toFixed(1)} s`),
  );
  out.push(
    `tornado: each param at its 10th, then 90th percentile, the others random; ${r.paths.toLocaleString("en-US")} paths per bar`,
  );
  const t = plainTable(["param", "at p10", "at p90", "output at p10", "output at p90", "swing ± paired se"]);
  for (const b of r.tornado)
    t.push([
      b.param,
      num(b.lowValue),
      num(b.highValue),
      num(b.low),
      num(b.high),
      // A standard error at rounding level (the swing is the same on every path) reads as 0.
      `${num(b.swing)} ± ${b.swingSe <= 1e-12 * Math.abs(b.swing) ? "0" : num(b.swingSe)}`,
    ]);
  out.push(t.toString());
  const given = tornadoGivenNote(r.tornado);
  if (given !== undefined) out.push(given);
  out.push(
    `Sobol indices (Saltelli 2010 first order, Jansen total), N = ${r.sobolPaths.toLocaleString("en-US")} rows per matrix, ${Math.round(r.confidence * 100)}% bootstrap intervals`,
  );
  const s = plainTable(["param", "first order", "interval", "total", "interval"]);
  const f = (x: number): string => x.toFixed(3);
  for (const row of [...r.sobol].sort((a, b) => b.total - a.total))
    s.push([
      row.param,
      f(row.first),
      `${f(row.firstLow)} to ${f(row.firstHigh)}`,
      f(row.total),
      `${f(row.totalLow)} to ${f(row.totalHigh)}`,
    ]);
  out.push(s.toString());
  const groups = r.sobol.filter((row) => row.params.length > 1);
  if (groups.length)
    out.push(
      `correlated params are sampled together and share one row (the indices are the group's): ${groups.map((g) => g.param).join("; ")}`,
    );
  const skipped = new Map<string, string[]>();
  for (const x of r.skipped) skipped.set(x.reason, [...(skipped.get(x.reason) ?? []), x.param]);
  for (const [reason, params] of skipped) out.push(`not analysed, ${reason}: ${params.join(", ")}`);
  out.push(...r.summary);
  return out.join("\n");
}
