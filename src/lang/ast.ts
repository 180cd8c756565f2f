// The formula AST. Every node keeps its span in the scenario file, so the checker's and the
// runtime's messages point at the exact spot the user edits.

import type { Span } from "./diagnostics.js";

export type BinaryOp = "+" | "-" | "*" | "/" | "^" | "<" | "<=" | ">" | ">=" | "==" | "!=" | "and" | "or";
export type UnaryOp = "-" | "not";

export type Expr = NumberLit | NameRef | Unary | Binary | Call | Range;

/** A number literal; suffixes K M B T % are already applied (`340M` → 340e6, `4%` → 0.04). */
export interface NumberLit {
  kind: "number";
  value: number;
  /** The literal as written, for printing. */
  text: string;
  span: Span;
}

/** A reference to a param, a series, `t`, or the constant `pi`. */
export interface NameRef {
  kind: "name";
  name: string;
  span: Span;
}

export interface Unary {
  kind: "unary";
  op: UnaryOp;
  arg: Expr;
  span: Span;
}

export interface Binary {
  kind: "binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
  span: Span;
}

/** A call: functions (`exp`, `if`, `prev`, `min`, …) and distributions (`normal`, `pert`, …). */
export interface Call {
  kind: "call";
  callee: string;
  calleeSpan: Span;
  args: Expr[];
  span: Span;
}

/** `lo to hi`: a 90% interval (5th and 95th percentiles). */
export interface Range {
  kind: "range";
  lo: Expr;
  hi: Expr;
  span: Span;
}

/** The names an expression reads. */
export function namesIn(e: Expr, out = new Set<string>()): Set<string> {
  switch (e.kind) {
    case "name":
      out.add(e.name);
      break;
    case "unary":
      namesIn(e.arg, out);
      break;
    case "binary":
      namesIn(e.left, out);
      namesIn(e.right, out);
      break;
    case "range":
      namesIn(e.lo, out);
      namesIn(e.hi, out);
      break;
    case "call":
      for (const a of e.args) namesIn(a, out);
      break;
  }
  return out;
}
