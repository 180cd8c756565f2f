// The library entry (`import { loadScenario, simulate } from "outlast"`): load and check
// scenarios, compile and simulate them, and the types of what a run reports.

import { readText } from "./io/load.js";
import { checkText, type Diagnostic } from "./lang/index.js";
import { installNodeRunner } from "./node/install.js";

// In Node, `simulate` runs large jobs on worker threads; a side effect of importing the library.
installNodeRunner();
export { closeSharedPool } from "./node/pool.js";

export { loadScenario, hasErrors, type LoadedScenario } from "./io/load.js";
export { simulate, compileModel, setRunnerFactory } from "./engine/index.js";
export {
  checkText,
  parseFormula,
  printExpr,
  formatExpr,
  renderDiagnostic,
  formatLocation,
  ScenarioError,
} from "./lang/index.js";
export type { Diagnostic, Expr, Model, Position, Scenario, Severity, Span } from "./lang/index.js";
export type { Capture, SimulateOptions } from "./engine/options.js";
export type { RunResult, RunwaySummary, SeriesPoint, ShortfallSummary, SurvivalPoint } from "./engine/result.js";
export { formatRunJson, stableRunResult } from "./report/json.js";
export { renderHtml } from "./report/html.js";
export { csvTables, writeCsv } from "./report/csv.js";
export { buildWorkbook, writeXlsx } from "./report/xlsx.js";

/**
 * Checks a scenario and returns every diagnostic (errors and warnings; empty when clean).
 * Give the text with a file name for messages, or only a file to read it from disk.
 */
export function check(input: { text: string; file?: string } | { file: string }): Diagnostic[] {
  if ("text" in input) return checkText(input.text, input.file ?? "<scenario>").diagnostics;
  const read = readText(input.file);
  return "diagnostic" in read ? [read.diagnostic] : checkText(read.text, input.file).diagnostics;
}
