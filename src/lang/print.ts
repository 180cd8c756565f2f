// Two printers of a formula AST. `printExpr` writes a one-line S-expression, unambiguous and
// stable, for golden tests and `outlast parse`; `formatExpr` writes infix text that parses
// back to the same tree, adding parentheses only where the precedence table (see parser.ts)
// needs them.

import type { BinaryOp, Expr } from "./ast.js";

/** A number in its shortest exact form; large and tiny magnitudes in exponent form (2e9, 3.4e8). */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (Object.is(value, -0)) return "-0";
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e4 || abs < 1e-4)) return value.toExponential().replace("e+", "e");
  return String(value);
}

/** One-line S-expression: `(+ 1 (* 2 x))`, `(call normal 0 1)`, `(to 2e9 1e10)`, `(- x)`, `(not c)`. */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "number":
      return formatNumber(e.value);
    case "name":
      return e.name;
    case "unary":
      return `(${e.op} ${printExpr(e.arg)})`;
    case "binary":
      return `(${e.op} ${printExpr(e.left)} ${printExpr(e.right)})`;
    case "call":
      return `(call ${e.callee}${e.args.map((a) => " " + printExpr(a)).join("")})`;
    case "range":
      return `(to ${printExpr(e.lo)} ${printExpr(e.hi)})`;
    default:
      throw new Error(`internal: ${e satisfies never}`);
  }
}

// Binding strength, loosest first, matching the parser's levels.
const OR = 1;
const AND = 2;
const NOT = 3;
const COMPARE = 4;
const RANGE = 5;
const ADD = 6;
const MUL = 7;
const NEG = 8;
const POW = 9;
const ATOM = 10;

const BINARY_PRECEDENCE: Record<BinaryOp, number> = {
  or: OR,
  and: AND,
  "<": COMPARE,
  "<=": COMPARE,
  ">": COMPARE,
  ">=": COMPARE,
  "==": COMPARE,
  "!=": COMPARE,
  "+": ADD,
  "-": ADD,
  "*": MUL,
  "/": MUL,
  "^": POW,
};

/** Infix text that parses back to the same tree (`parseFormula(formatExpr(e))` prints like e). */
export function formatExpr(e: Expr): string {
  return format(e, OR);
}

function precedence(e: Expr): number {
  switch (e.kind) {
    case "number":
      return e.value < 0 || Object.is(e.value, -0) ? NEG : ATOM;
    case "name":
    case "call":
      return ATOM;
    case "unary":
      return e.op === "not" ? NOT : NEG;
    case "binary":
      return BINARY_PRECEDENCE[e.op];
    case "range":
      return RANGE;
    default:
      throw new Error(`internal: ${e satisfies never}`);
  }
}

function format(e: Expr, context: number): string {
  const text = formatBare(e);
  return precedence(e) < context ? `(${text})` : text;
}

function formatBare(e: Expr): string {
  switch (e.kind) {
    case "number":
      return numberText(e.value, e.text);
    case "name":
      return e.name;
    case "unary":
      if (e.op === "not") return `not ${format(e.arg, NOT)}`;
      // -10%/yr is a yearly decline (the sign belongs to the rate): minus a rate keeps its parentheses.
      if (e.arg.kind === "number" && /^\d.*%\/yr$/.test(e.arg.text)) return `-(${e.arg.text})`;
      return `-${format(e.arg, NEG)}`;
    case "binary": {
      const p = BINARY_PRECEDENCE[e.op];
      // Left-associative levels need parentheses on a right operand of the same level; `^` is
      // right-associative, its base must be an atom and its exponent may be a unary minus.
      const [l, r] = e.op === "^" ? [ATOM, NEG] : [p, p + 1];
      return `${format(e.left, l)} ${e.op} ${format(e.right, r)}`;
    }
    case "call":
      return `${e.callee}(${e.args.map((a) => format(a, OR)).join(", ")})`;
    case "range":
      return `${format(e.lo, ADD)} to ${format(e.hi, ADD)}`;
    default:
      throw new Error(`internal: ${e satisfies never}`);
  }
}

const SUFFIX_VALUE: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12, "%": 0.01 };

// Keep the text as written (`340M`, `4%`) when it still denotes the value; else the shortest form.
function numberText(value: number, written: string): string {
  // A month (`2025-03`, already its t) and the yearly notation (`4B/yr`, `-10%/yr`) keep their text.
  if (/^\d{4}-\d{1,2}$|\/yr$/.test(written)) return written;
  if (value < 0 || Object.is(value, -0)) return `-${numberText(-value, "")}`;
  const m = /^(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)([KMBT%]?)$/.exec(written);
  if (m && Number(m[1]) * (m[2] ? SUFFIX_VALUE[m[2]]! : 1) === value) return written;
  return formatNumber(value);
}
