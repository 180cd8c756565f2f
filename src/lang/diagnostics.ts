// Diagnostics are data; rendering is separate. Offsets are stored, line and column are
// computed when a span is made from a source (see source.ts), so every span can be shown
// with the line it points into.

/** A place in a file. line and column are 1-based, as editors show them; offset is 0-based. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A range in a file; end is exclusive. */
export interface Span {
  file: string;
  start: Position;
  end: Position;
}

export type Severity = "error" | "warning";

/**
 * One problem found in a scenario. `code` is a stable snake_case string that tests and docs
 * refer to (`unknown_name`, `cycle`, `wrong_arity`, …); `message` starts lowercase and names
 * the offending value; `hint` says what to do.
 */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  hint?: string;
  /** YAML key path of the value, e.g. ["series", "cash", "start"], when it helps. */
  path?: (string | number)[];
}

/** A diagnostic with flat 1-based line and column, as editors and the JSON API use them. */
export interface FlatDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  hint?: string;
}

export function flattenDiagnostic(d: Diagnostic): FlatDiagnostic {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    line: d.span.start.line,
    column: d.span.start.column,
    endLine: d.span.end.line,
    endColumn: d.span.end.column,
    ...(d.hint !== undefined ? { hint: d.hint } : {}),
  };
}

/** A span that points nowhere in particular (the file as a whole). */
export function fileSpan(file: string): Span {
  const at = { line: 1, column: 1, offset: 0 };
  return { file, start: at, end: at };
}

/** A scenario that failed to load or check: carries every diagnostic found. */
export class ScenarioError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${formatLocation(d.span)} ${d.message}`).join("\n"));
    this.name = "ScenarioError";
    this.diagnostics = diagnostics;
  }
}

export function formatLocation(span: Span): string {
  return `${span.file}:${span.start.line}:${span.start.column}`;
}

/**
 * Renders a diagnostic the way a compiler does: `file:line:col message`, the source line
 * and a caret under the span, then the hint.
 *
 *   scenarios/openai.yaml:14:22 error[unknown_name]: unknown name 'revnue'
 *      |
 *   14 |   inference: 330M * (revnue / 340M) ^ 0.9
 *      |                      ^^^^^^ did you mean 'revenue'?
 */
export function renderDiagnostic(d: Diagnostic, source: string | undefined): string {
  const head = `${formatLocation(d.span)} ${d.severity}[${d.code}]: ${d.message}`;
  const out = [head];
  const lineText = source === undefined ? undefined : lineOf(source, d.span.start.line);
  // oxlint-disable-next-line no-control-regex -- a line with control characters is not shown
  if (lineText !== undefined && !/[\u0000-\u0008\u000e-\u001f]/.test(lineText)) {
    const gutter = String(d.span.start.line);
    const pad = " ".repeat(gutter.length);
    const startCol = d.span.start.column;
    const sameLine = d.span.end.line === d.span.start.line;
    const width = Math.max(1, sameLine ? d.span.end.column - startCol : lineText.length - startCol + 1);
    // A long line is shown as a window of 200 characters around the caret.
    const from = lineText.length > 200 ? Math.max(0, Math.min(startCol - 61, lineText.length - 200)) : 0;
    const lead = from > 0 ? "…" : "";
    const shown = lead + lineText.slice(from, from + 200) + (from + 200 < lineText.length ? "…" : "");
    out.push(`${pad} |`);
    out.push(`${gutter} | ${shown}`);
    const caretAt = Math.max(0, startCol - 1 - from) + lead.length;
    const caret = " ".repeat(caretAt) + "^".repeat(Math.max(1, Math.min(width, 200 - (caretAt - lead.length))));
    out.push(`${pad} | ${caret}${d.hint ? " " + d.hint : ""}`);
  } else if (d.hint) {
    out.push(`  = ${d.hint}`);
  }
  if (d.path && d.path.length > 0) out.push(`  → at ${d.path.join(".")}`);
  return out.join("\n");
}

// The line starts of the last source rendered: a file with thousands of diagnostics is split
// once, not once per diagnostic.
let indexed: { source: string; starts: number[] } | undefined;

/** The 1-based line `line` of `source`, without its line ending. */
function lineOf(source: string, line: number): string | undefined {
  if (indexed?.source !== source) {
    const starts = [0];
    for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) starts.push(i + 1);
    indexed = { source, starts };
  }
  const start = indexed.starts[line - 1];
  if (start === undefined) return undefined;
  const next = indexed.starts[line];
  const text = source.slice(start, next === undefined ? source.length : next - 1);
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}
