// `outlast check`: every diagnostic, rendered with its line and caret; exit 1 on any error.

import { renderDiagnostic } from "../../lang/diagnostics.js";
import { hasErrors, loadScenario } from "../../io/load.js";
import { ExitError } from "../errors.js";
import { compileModel } from "../../engine/index.js";
import { qmcDimensions } from "../../engine/simulate.js";

export function checkCommand(scenario: string): void {
  const loaded = loadScenario(scenario);
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
