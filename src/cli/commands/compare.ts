// `outlast compare BASE OTHER [MORE…]`: scenarios (versions of one, or different companies) on the
// same seed and paths: S(t) of each on one chart, and each one's difference from the base, paired
// path by path where they share draws (src/analysis/compare.ts).

import { writeFileSync } from "node:fs";
import { compareScenarios, scenarioLabels, type CompareResult } from "../../analysis/index.js";
import { comparisonHtml, survivalCurvesSvg, survivalCurvesText } from "../../report/comparison.js";
import { intervalLabel, intervalZ } from "../../engine/stats/index.js";
import { formatDifference, formatSurvival, monthLabel, summaryMonths } from "../../report/format.js";
import { standalone } from "../../report/svg-files.js";
import { UsageError } from "../errors.js";
import { loadOrExit } from "./shared.js";
import { plainTable, prepareAnalysis, toJson, withAnalysis, type AnalysisFlags } from "./levers.js";

export interface CompareFlags extends AnalysisFlags {
  html?: string;
  svg?: string;
}

export async function compareCommand(scenarios: string[], flags: CompareFlags): Promise<void> {
  if (scenarios.length < 2) throw new UsageError("compare needs at least two scenarios: outlast compare BASE OTHER …");
  if (flags.html === "" || flags.svg === "") throw new UsageError("--html and --svg need a file name");
  const prepared = prepareAnalysis(scenarios[0]!, flags, 100_000);
  const rest = scenarios.slice(1).map((s) => loadOrExit(s));
  const sources: Record<string, string> = { [prepared.model.scenario.file]: prepared.source as string };
  for (const r of rest) sources[r.model.scenario.file] = r.source;
  const started = Date.now();
  const result = await withAnalysis({ ...prepared, source: sources }, (options) =>
    compareScenarios([prepared.model, ...rest.map((r) => r.model)], options),
  );
  const written: string[] = [];
  if (flags.svg !== undefined) {
    writeFileSync(flags.svg, standalone(survivalCurvesSvg(result)));
    written.push(`wrote ${flags.svg}`);
  }
  if (flags.html !== undefined) {
    writeFileSync(flags.html, comparisonHtml(result));
    written.push(`wrote ${flags.html}`);
  }
  process.stdout.write((flags.json ? toJson(result) : renderComparison(result, Date.now() - started)) + "\n");
  if (written.length > 0) process.stderr.write(written.join("\n") + "\n");
}

export function renderComparison(r: CompareResult, elapsedMs?: number): string {
  const labels = scenarioLabels(r.scenarios);
  const name = (k: number) => {
    const s = r.scenarios[k]!;
    return s.scenario === s.file ? s.file : `${s.scenario} (${s.file})`;
  };
  const out = [
    `base: ${name(0)}`,
    ...r.scenarios.slice(1).map((_, j) => `other${r.scenarios.length > 2 ? ` ${j + 1}` : ""}: ${name(j + 1)}`),
    `${r.paths.toLocaleString("en-US")} paths each, seed ${r.seed}, ${r.horizon} months` +
      (r.levers.length ? `, levers on: ${r.levers.join(", ")}` : "") +
      (elapsedMs === undefined ? "" : ` (${(elapsedMs / 1000).toFixed(1)} s)`),
  ];
  for (const d of r.differences) {
    const shared = d.shared.length;
    const names = d.shared.slice(0, 4).join(", ") + (shared > 4 ? ", …" : "");
    out.push(
      shared > 0
        ? `  ${labels[d.other]} draws ${shared === 1 ? "the random numbers of one param or series" : `the random numbers of ${shared} params and series`} as the base does (${names}): its difference is paired path by path`
        : `  ${labels[d.other]} shares no draws with the base: its difference is between independent runs`,
    );
  }
  const z = intervalZ(r.replicates);
  out.push(`  ± is ${intervalLabel(z)}, a 95% interval`);
  const months = summaryMonths(r.horizon);
  const table = plainTable(["scenario", ...months.map((m) => `S(${m}) · ${monthLabel(r.scenarios[0]!.start, m)}`)]);
  r.scenarios.forEach((s, k) => table.push([labels[k]!, ...months.map((m) => formatSurvival(s.survival[m - 1]!, z))]));
  for (const d of r.differences)
    table.push([
      `${labels[d.other]} − base${d.shared.length ? " (paired)" : ""}`,
      ...months.map((m) => formatDifference(d.months[m - 1]!.diff, d.months[m - 1]!.se, z)),
    ]);
  out.push(table.toString(), survivalCurvesText(r), ...r.summary);
  return out.join("\n");
}
