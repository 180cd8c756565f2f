// How a command ends other than normally. Exit codes: 1 bad scenario or runtime model error,
// 2 bad usage, 3 an internal error (a bug in outlast).

import { CommanderError } from "commander";
import { renderDiagnostic, type Diagnostic } from "../lang/diagnostics.js";

/** The user called a command wrongly (a bad number, an unknown lever, a file in the way): exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The command has already printed why it failed (diagnostics); exit with this code. */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = "ExitError";
    this.exitCode = exitCode;
  }
}

/** Maps any error to its exit code, printing what the user needs (never a stack trace, unless OUTLAST_DEBUG is set). */
export function handleError(e: unknown): number {
  if (e instanceof ExitError) return e.exitCode;
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander has printed the message
  if (e instanceof UsageError) {
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  const name = e instanceof Error ? e.name : "";
  if (name === "OptionsError") {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 2;
  }
  if (name === "ScenarioError" || name === "ModelRuntimeError") {
    const { diagnostics: many, diagnostic: one } = e as { diagnostics?: Diagnostic[]; diagnostic?: Diagnostic };
    const diagnostics = many ?? (one ? [one] : undefined);
    const source = (e as { source?: string }).source;
    if (Array.isArray(diagnostics) && diagnostics.length > 0) {
      for (const d of diagnostics) process.stderr.write(renderDiagnostic(d, source) + "\n");
    } else {
      process.stderr.write(`error: ${(e as Error).message}\n`);
    }
    return 1;
  }
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`internal error: ${message.replace(/^internal:\s*/, "")}\n`);
  process.stderr.write("this is a bug in outlast; please report it with the command you ran\n");
  if (process.env["OUTLAST_DEBUG"] && e instanceof Error && e.stack) process.stderr.write(e.stack + "\n");
  return 3;
}
