// A source text with its line starts, so offsets (what the lexer and the YAML parser store)
// turn into 1-based line and column only when a span is made. Lines end at "\n"; a "\r"
// before it belongs to the line ending, not to any column a caret could point at.

import type { Position, Span } from "./diagnostics.js";

/** A file's text plus a line index; columns count UTF-16 code units, as JavaScript strings do. */
export class SourceText {
  readonly file: string;
  readonly text: string;
  private readonly lineStarts: number[];

  constructor(text: string, file: string) {
    this.text = text;
    this.file = file;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** The position of a 0-based offset (clamped into the text). */
  position(offset: number): Position {
    const at = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    // Binary search for the last line start <= at.
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - this.lineStarts[lo]! + 1, offset: at };
  }

  /** The span from start to end (exclusive) offsets. */
  span(start: number, end: number): Span {
    return { file: this.file, start: this.position(start), end: this.position(Math.max(start, end)) };
  }
}

/** A span covering two spans (from the start of a to the end of b). */
export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: a.start, end: b.end };
}
