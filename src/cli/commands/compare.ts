// `outlast compare BASE OTHER`: two scenarios (two versions of one, usually) on the same seed and
// paths, S(t) of each and the difference with its paired error (src/analysis/compare.ts).

import { compareScenarios, type CompareResult } from "../../analysis/index.js";
import { formatDifference, formatShare, monthLabel } from "../../report/format.js";
import { loadOrExit } from "./shared.js";
import { plainTable, prepareAnalysis, toJson, withAnalysis, type AnalysisFlags } from "./levers.js";

export async function compareCommand(base: string, other: string, flags: AnalysisFlags): Promise<void> {
  const prepared = prepareAnalysis(base, flags, 100_000);
  const second = loadOrExit(other);
  const sources = {
    [prepared.model.scenario.file]: prepared.source as string,
    [second.model.scenario.file]: second.source,
  };
  const started = Date.now();
  const result = await withAnalysis({ ...prepared, source: sources }, (options) =>
    compareScenarios(prepared.model, second.model, options),
  );
  process.stdout.write((flags.json ? toJson(result) : renderComparison(result, Date.now() - started)) + "\n");
}

export function renderComparison(r: CompareResult, elapsedMs?: number): string {
  const name = (s: CompareResult["base"]) => (s.scenario === s.file ? s.file : `${s.scenario} (${s.file})`);
  const out = [
    `base: ${name(r.base)}`,
    `other: ${name(r.other)}`,
    `${r.paths.toLocaleString("en-US")} paths each, seed ${r.seed}, ${r.horizon} months` +
      (r.levers.length ? `, levers on: ${r.levers.join(", ")}` : "") +
      (elapsedMs === undefined ? "" : ` (${(elapsedMs / 1000).toFixed(1)} s)`),
    "  draws are shared where the two name a param or series alike, so the difference is paired path by path; ± is 1.96 SE",
  ];
  const shown = [...new Set([12, 24, 36, r.horizon])].filter((m) => m <= r.horizon).sort((a, b) => a - b);
  const table = plainTable(["month", "date", "S(t) base", "S(t) other", "other − base (paired)", "if independent"]);
  for (const m of shown) {
    const row = r.months[m - 1]!;
    table.push([
      String(m),
      monthLabel(r.base.start, m),
      formatShare(row.base, row.baseSe),
      formatShare(row.other, row.otherSe),
      formatDifference(row.diff, row.se),
      `± ${(196 * row.unpairedSe).toFixed(1)}`,
    ]);
  }
  out.push(table.toString(), ...r.summary);
  return out.join("\n");
}
