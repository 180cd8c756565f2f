// The public surface of src/lang: text in, checked model out, plus the printers and the
// contract types. Other folders import only from here.

import { checkScenario } from "./checker.js";
import type { Diagnostic } from "./diagnostics.js";
import type { Model } from "./model.js";
import { loadScenarioLenient } from "./scenario.js";

export type { BinaryOp, Binary, Call, Expr, NameRef, NumberLit, Range, Unary, UnaryOp } from "./ast.js";
export type { Diagnostic, Position, Severity, Span } from "./diagnostics.js";
export { fileSpan, flattenDiagnostic, formatLocation, renderDiagnostic, ScenarioError } from "./diagnostics.js";
export type { FlatDiagnostic } from "./diagnostics.js";
export type {
  ActualDef,
  CorrelationDef,
  LeverDef,
  LeverEdit,
  LeverSet,
  Model,
  ParamDef,
  Scenario,
  SeriesBody,
  SeriesDef,
  SourceDef,
  Sourced,
  YearMonth,
} from "./model.js";
export type { Builtin, BuiltinKind } from "./builtins.js";
export { BUILTIN_BY_NAME, BUILTINS, isRandomCall, RESERVED_NAMES, Z95 } from "./builtins.js";
export { SourceText, joinSpans } from "./source.js";
export { KEYWORDS, SUFFIXES, tokenize, type Token, type TokenKind } from "./lexer.js";
export { parseFormula, type FormulaLocation, type ParseResult } from "./parser.js";
export { formatExpr, formatNumber, printExpr } from "./print.js";
export { isPlaceholder, loadScenarioText, MAX_HORIZON, SCENARIO_KEYS, type LoadResult } from "./scenario.js";
export { checkScenario, constValue, MAX_LEVERS, type CheckResult } from "./checker.js";
export { closestNames, didYouMean, editDistance, suggestName } from "./suggest.js";

/**
 * Loads and checks a scenario in one step, reporting load and check problems together.
 * `model` is set only when no diagnostic is an error; warnings may accompany it.
 */
export function checkText(text: string, file: string): { model?: Model; diagnostics: Diagnostic[] } {
  const loaded = loadScenarioLenient(text, file);
  if (!loaded.scenario) return { diagnostics: loaded.diagnostics };
  const checked = checkScenario(loaded.scenario);
  const diagnostics = [...loaded.diagnostics, ...checked.diagnostics];
  if (diagnostics.some((d) => d.severity === "error") || !checked.model) return { diagnostics };
  return { model: checked.model, diagnostics };
}
