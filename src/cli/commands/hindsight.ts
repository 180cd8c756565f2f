// `outlast hindsight`: the scenario's forecast against its `actuals:`.

import { hindsight, type HindsightResult } from "../../analysis/index.js";
import { plainTable, prepareAnalysis, share, toJson, withAnalysis, type AnalysisFlags } from "./levers.js";
import { formatAmount } from "../../analysis/format.js";

export async function hindsightCommand(scenario: string, flags: AnalysisFlags): Promise<void> {
  const prepared = prepareAnalysis(scenario, flags, 100_000);
  const result = await withAnalysis(prepared, (options) => hindsight(prepared.model, options));
  if (flags.json) {
    process.stdout.write(toJson(result) + "\n");
    return;
  }
  process.stdout.write(renderHindsight(result) + "\n");
}

const num = (x: number): string => formatAmount(x, 3);

export function renderHindsight(r: HindsightResult): string {
  const out: string[] = [];
  out.push(
    `${r.scenario}: the forecast from ${r.start} against what happened (${r.paths.toLocaleString("en-US")} paths, seed ${r.seed})`,
  );
  const t = plainTable(["actual", "month", "value", "forecast 5–50–95%", "percentile / P(event)", "CRPS", "source"]);
  for (const a of r.actuals)
    t.push([
      a.series ?? `event: ${a.event}`,
      a.month,
      a.event !== undefined ? (a.value ? "happened" : "did not") : num(a.value),
      a.forecast ? `${num(a.forecast.p5)} – ${num(a.forecast.p50)} – ${num(a.forecast.p95)}` : "",
      a.percentile !== null
        ? share(a.percentile)
        : a.probability !== null
          ? `P = ${share(a.probability)}`
          : "not scored",
      a.crps !== null ? num(a.crps) : a.brier !== null ? `Brier ${a.brier.toFixed(3)}` : "",
      a.source.length > 48 ? a.source.slice(0, 47) + "…" : a.source,
    ]);
  if (r.actuals.length) out.push(t.toString());
  out.push(...r.reading);
  return out.join("\n");
}
