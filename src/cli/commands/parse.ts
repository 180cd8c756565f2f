// `outlast parse "formula"`: the formula's syntax tree as a one-line S-expression (the same
// printer the golden tests use), or the syntax error with a caret.

import { renderDiagnostic } from "../../lang/diagnostics.js";
import { parseFormula, printExpr } from "../../lang/index.js";
import { ExitError } from "../errors.js";

export function parseCommand(formula: string): void {
  const { expr, diagnostics } = parseFormula(formula, { file: "<formula>" });
  for (const d of diagnostics) process.stderr.write(renderDiagnostic(d, formula) + "\n");
  if (expr === undefined || diagnostics.some((d) => d.severity === "error")) throw new ExitError(1);
  process.stdout.write(printExpr(expr) + "\n");
}
