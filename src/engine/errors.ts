import type { Diagnostic } from "../lang/diagnostics.js";
import { formatLocation } from "../lang/diagnostics.js";

/** A formula produced NaN or an infinity while running: names the param or series, month and path. */
export class ModelRuntimeError extends Error {
  readonly diagnostic: Diagnostic;
  constructor(diagnostic: Diagnostic) {
    super(`${formatLocation(diagnostic.span)} ${diagnostic.message}`);
    this.name = "ModelRuntimeError";
    this.diagnostic = diagnostic;
  }
}

/** Options that make no sense for the model (an unknown lever, a negative path count, …). */
export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OptionsError";
  }
}

/** Lists choices for a message: `a, b, c` or `(none)`. */
export function listChoices(names: readonly string[]): string {
  return names.length === 0 ? "(none)" : names.join(", ");
}
