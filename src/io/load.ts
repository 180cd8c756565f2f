// Reads a scenario from disk and checks it. Problems with the file itself (missing, a folder,
// not text) are diagnostics like any other, so the CLI renders them the same way and exits 1.

import { closeSync, openSync, readSync, statSync } from "node:fs";
import { checkText } from "../lang/index.js";
import { compileModel } from "../engine/index.js";
import { fileSpan, type Diagnostic, type Position } from "../lang/diagnostics.js";
import { MAX_SOURCE_BYTES } from "../lang/limits.js";
import type { Model } from "../lang/model.js";
import { builtinNames, looksLikeName, resolveScenario } from "../cli/resolve.js";

export interface LoadedScenario {
  /** Present when the scenario checked without errors. */
  model?: Model;
  /** Every problem found, errors and warnings, in file order. */
  diagnostics: Diagnostic[];
  /** The file text ("" when it could not be read), for rendering carets. */
  source: string;
  /** The path as shown in messages. */
  file: string;
}

/** Loads a scenario by path or by built-in name (`openai-2024` → scenarios/openai-2024.yaml). */
export function loadScenario(pathOrName: string): LoadedScenario {
  const { path, display } = resolveScenario(pathOrName);
  const read = readText(path, display);
  if ("diagnostic" in read) return { diagnostics: [read.diagnostic], source: "", file: display };
  const checked = checkText(read.text, display);
  let model = checked.model;
  const diagnostics = [...checked.diagnostics];
  if (model !== undefined) {
    // A few problems only show when the model is compiled (inconsistent correlations, prev of a
    // plain formula): report them with the checker's.
    const compiled = compileModel(model).diagnostics;
    diagnostics.push(...compiled);
    if (hasErrors(compiled)) model = undefined;
  }
  return model === undefined
    ? { diagnostics, source: read.text, file: display }
    : { model, diagnostics, source: read.text, file: display };
}

/** True when any diagnostic is an error (warnings alone do not stop a run). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Reads a file as UTF-8 text, or says why it cannot be a scenario. */
export function readText(path: string, display: string = path): { text: string } | { diagnostic: Diagnostic } {
  const fail = (code: string, message: string, hint?: string, at?: Position): { diagnostic: Diagnostic } => {
    const span = fileSpan(display);
    if (at) span.start = span.end = at;
    return {
      diagnostic:
        hint === undefined
          ? { code, severity: "error", message, span }
          : { code, severity: "error", message, span, hint },
    };
  };
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) {
      return fail(
        "is_directory",
        `'${display}' is a directory, not a scenario file`,
        "give the path of a .yaml file inside it",
      );
    }
    bytes = readBounded(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      const names = builtinNames();
      const hint = looksLikeName(display)
        ? `there is no built-in scenario named '${display}' either; built-ins: ${names.join(", ") || "(none)"}`
        : "check the path, or give a built-in name (see `outlast list`)";
      return fail("file_not_found", `no such file '${display}'`, hint);
    }
    if (code === "EISDIR") return fail("is_directory", `'${display}' is a directory, not a scenario file`);
    if (code === "ELOOP")
      return fail(
        "cannot_read",
        `cannot read '${display}': its symbolic links form a loop`,
        "point the link at a file",
      );
    if (code === "EACCES" || code === "EPERM")
      return fail("cannot_read", `cannot read '${display}': permission denied`, "check the file's permissions");
    return fail(
      "cannot_read",
      `cannot read '${display}' (${code ?? "unknown error"})`,
      "check that it is a readable file",
    );
  }
  if (bytes.length > MAX_SOURCE_BYTES) {
    return fail(
      "too_large",
      `'${display}' is larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`,
      "a scenario this large is generated; generate a smaller one",
      positionOf(bytes, MAX_SOURCE_BYTES),
    );
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return fail(
      "not_text",
      `'${display}' is not a text file (it contains a NUL byte)`,
      "a scenario is a YAML text file",
      positionOf(bytes, nul),
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fail(
      "not_text",
      `'${display}' is not valid UTF-8 text`,
      "save the file as UTF-8",
      positionOf(bytes, firstInvalidUtf8(bytes)),
    );
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

function positionOf(bytes: Buffer, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

/** The offset of the first byte that does not start a valid UTF-8 sequence (a rough locator for the message). */
function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  // Bisect on the longest prefix that decodes (a cut inside a valid sequence also fails, hence
  // the `stream` flag, which accepts an incomplete sequence at the end).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/**
 * Reads at most MAX_SOURCE_BYTES + 1 bytes, stopping early at a NUL byte: a device such as
 * /dev/zero or an endless pipe ends the read at once instead of filling the memory.
 */
function readBounded(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= MAX_SOURCE_BYTES) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, MAX_SOURCE_BYTES + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (chunk.subarray(0, n).includes(0)) break;
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
