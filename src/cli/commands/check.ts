// `outlast check`: every diagnostic, rendered with its line and caret; exit 1 on any error.

import { renderDiagnostic } from "../../lang/diagnostics.js";
import { hasErrors, loadScenario } from "../../io/load.js";
import { ExitError } from "../errors.js";
import { compileModel } from "../../engine/index.js";
import { qmcDimensions, samplingPlan } from "../../engine/simulate.js";
import { defaultRunMemoryWarning } from "../../engine/memory.js";
import { defaultRunThreads } from "../../node/install.js";
import { hybridSlots } from "../../node/pool.js";
import { DEFAULT_PATHS } from "../options.js";

export function checkCommand(scenario: string): void {
  const loaded = loadScenario(scenario);
  if (loaded.model !== undefined && !hasErrors(loaded.diagnostics)) {
    // Would the default run (`outlast run` with no options) be refused for memory? Say so now.
    const paths = samplingPlan(DEFAULT_PATHS).paths;
    // The chunks the default run keeps in flight: one on this thread and two per worker.
    const threads = hybridSlots(defaultRunThreads(paths, loaded.model.horizon));
    const warning = defaultRunMemoryWarning(loaded.model, paths, threads);
    if (warning !== undefined) loaded.diagnostics.push(warning);
  }
  for (const d of loaded.diagnostics) process.stdout.write(renderDiagnostic(d, loaded.source || undefined) + "\n\n");
  const errors = loaded.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = loaded.diagnostics.length - errors;
  if (hasErrors(loaded.diagnostics) || loaded.model === undefined) {
    const counts =
      `${errors} error${errors === 1 ? "" : "s"}` +
      (warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : "");
    process.stdout.write(`${loaded.file}: ${counts}\n`);
    throw new ExitError(1);
  }
  const m = loaded.model;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  process.stdout.write(
    `ok: ${plural(m.params.length, "param")}, ${m.series.length} series, ${plural(m.levers.length, "lever")}` +
      (warnings > 0 ? ` (${plural(warnings, "warning")})` : "") +
      "\n",
  );
  // What rqmc and lhs sampling make of the draws: one dimension per (draw site, month).
  const compiled = compileModel(m);
  const { pathKinds, monthKinds } = compiled.qmcLayout();
  const d = qmcDimensions(compiled, m.horizon);
  process.stdout.write(
    `draws: ${plural(pathKinds.length, "draw")} per path, ${monthKinds.length} a month; over ${m.horizon} months ` +
      `${plural(d.qmc, "quasi-Monte Carlo dimension")}, ${d.fallback} falling back to the counter streams\n`,
  );
}
