// The formula parser: recursive descent for atoms and calls, one function per precedence
// level for operators (a precedence-climbing parser written out by hand, as acorn does for
// binary operators), because the levels are few and fixed and each level has its own
// associativity rule:
//
//   or  <  and  <  not  <  comparisons  <  to  <  + -  <  * /  <  unary -  <  ^  <  calls, atoms
//
// `^` is right-associative and binds tighter than unary minus, so -2^2 = -(2^2) and
// 2^-1 = 2^(-1); `a to b` is not associative (a 90% interval has two ends).
//
// Spans: the lexer works on the formula's own text; `mapOffset` turns a formula offset into a
// file offset (a formula inside a YAML scalar starts where the scalar does, one further for a
// quote), so every span points into the file the user edits. The parser never throws on bad
// input: the first error becomes a Diagnostic and parsing stops, since what follows a syntax
// error is rarely worth reporting.
//
// Depth: every construct that nests (an operator's node, a parenthesis, a call's argument, a
// unary sign) counts one level, and a formula deeper than MAX_FORMULA_DEPTH stops with
// `too_deep` at the first token past the bound, before the parser's own recursion (ten frames
// a level) or any later walk over the tree could run out of stack. A long flat sum such as
// `a + b + c + …` is deep too: it parses to a left-leaning tree, one level per operator.

import type { BinaryOp, Expr } from "./ast.js";
import type { Diagnostic, Span } from "./diagnostics.js";
import { monthlyRate } from "./calendar.js";
import { tokenize, type Token } from "./lexer.js";
import { MAX_CALL_ARGS, MAX_FORMULA_DEPTH } from "./limits.js";
import type { YearMonth } from "./model.js";
import { SourceText } from "./source.js";

/** Where a formula sits, so its spans point into the file that holds it. */
export interface FormulaLocation {
  /** The whole file (default: the formula text itself, named `file`). */
  source?: SourceText;
  /** File name when `source` is not given; default "<formula>". */
  file?: string;
  /** Maps an offset in the formula text to an offset in `source`; default identity. */
  mapOffset?: (offset: number) => number;
  /** YAML key path of the formula, copied into diagnostics. */
  path?: (string | number)[];
  /** The scenario's first month: a `YYYY-MM` in the formula is that month's t. */
  start?: YearMonth;
}

/** The result of parsing one formula: an Expr, or the diagnostic that stopped the parse. */
export interface ParseResult {
  expr?: Expr;
  diagnostics: Diagnostic[];
}

class ParseFailure {
  constructor(readonly diagnostic: Diagnostic) {}
}

const COMPARISONS = new Set(["<", "<=", ">", ">=", "==", "!="]);

/** Parses formula text into an Expr. Syntax errors come back as diagnostics, never thrown. */
export function parseFormula(text: string, location: FormulaLocation = {}): ParseResult {
  const source = location.source ?? new SourceText(text, location.file ?? "<formula>");
  const map = location.mapOffset ?? ((i: number) => i);
  const tokens = location.start === undefined ? tokenize(text) : tokenize(text, { start: location.start });
  const parser = new Parser(text, tokens, source, map, location.path);
  try {
    const expr = parser.parseFormula();
    return { expr, diagnostics: parser.warnings() };
  } catch (e) {
    if (e instanceof ParseFailure) return { diagnostics: [e.diagnostic] };
    throw e;
  }
}

class Parser {
  private pos = 0;
  /** Levels open around the current position (parentheses, call arguments, unary operands). */
  private nest = 0;
  /** Depth of each node built so far (numbers and names are 0). */
  private readonly depths = new WeakMap<Expr, number>();
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly source: SourceText,
    private readonly map: (offset: number) => number,
    private readonly path: (string | number)[] | undefined,
  ) {}

  /** The warnings the lexer attached to tokens (a glued form that could be read two ways). */
  warnings(): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const t of this.tokens) {
      const w = t.warning;
      if (w === undefined) continue;
      const d: Diagnostic = { code: w.code, severity: "warning", message: w.message, span: this.span(w.start, w.end) };
      if (w.hint !== undefined) d.hint = w.hint;
      if (this.path !== undefined) d.path = this.path;
      out.push(d);
    }
    return out;
  }

  parseFormula(): Expr {
    if (this.peek().kind === "eof") this.fail("empty_formula", "expected a formula, got nothing", this.peek());
    const expr = this.parseOr();
    const next = this.peek();
    if (next.kind === "error") this.fail(next.code!, next.message!, next, next.hint);
    if (next.kind !== "eof") {
      const hint =
        next.kind === "keyword" && next.text === "to" ? "a to b takes one interval; add parentheses" : undefined;
      this.fail("unexpected_token", `unexpected ${describe(next)} after the end of the formula`, next, hint);
    }
    return expr;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isKeyword("or")) {
      const at = this.next();
      const right = this.nested(at, () => this.parseAnd());
      left = this.binary("or", left, right, at);
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isKeyword("and")) {
      const at = this.next();
      const right = this.nested(at, () => this.parseNot());
      left = this.binary("and", left, right, at);
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isKeyword("not")) {
      const op = this.next();
      const arg = this.nested(op, () => this.parseNot());
      return this.made({ kind: "unary", op: "not", arg, span: this.spanFrom(op.start, arg.span) }, op);
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    let left = this.parseRange();
    while (this.peek().kind === "op" && COMPARISONS.has(this.peek().text)) {
      const at = this.next();
      const right = this.nested(at, () => this.parseRange());
      left = this.binary(at.text as BinaryOp, left, right, at);
    }
    return left;
  }

  private parseRange(): Expr {
    const lo = this.parseAdditive();
    if (!this.isKeyword("to")) return lo;
    const at = this.next();
    const hi = this.nested(at, () => this.parseAdditive());
    return this.made(
      { kind: "range", lo, hi, span: { file: lo.span.file, start: lo.span.start, end: hi.span.end } },
      at,
    );
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const at = this.next();
      const right = this.nested(at, () => this.parseMultiplicative());
      left = this.binary(at.text as BinaryOp, left, right, at);
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    while (this.isOp("*") || this.isOp("/")) {
      const at = this.next();
      const right = this.nested(at, () => this.parseUnary());
      left = this.binary(at.text as BinaryOp, left, right, at);
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isOp("-")) {
      const op = this.next();
      const folded = this.negativeRate(op);
      if (folded !== undefined) return folded;
      const arg = this.nested(op, () => this.parseUnary());
      return this.made({ kind: "unary", op: "-", arg, span: this.spanFrom(op.start, arg.span) }, op);
    }
    if (this.isOp("+")) {
      // A leading plus changes nothing; accept it so `+5%` reads as written.
      return this.nested(this.next(), () => this.parseUnary());
    }
    return this.parsePower();
  }

  /**
   * `-10%/yr` is a yearly rate of −10% (monthly (0.9)^(1/12) − 1), not minus the monthly form of
   * +10%: the sign belongs to the yearly figure when it stands right before the literal.
   */
  private negativeRate(minus: Token): Expr | undefined {
    const lit = this.peek();
    const after = this.tokens[this.pos + 1];
    if (lit.kind !== "number" || lit.annual !== "rate" || (after?.kind === "op" && after.text === "^"))
      return undefined;
    this.next();
    const value = monthlyRate(-lit.yearly!);
    if (!Number.isFinite(value))
      this.fail("bad_number", `a yearly rate of -${lit.text.replace("/yr", "")} is below -100%`, lit);
    return { kind: "number", value, text: `-${lit.text}`, span: this.span(minus.start, lit.end) };
  }

  private parsePower(): Expr {
    const base = this.parseAtom();
    if (!this.isOp("^")) return base;
    const op = this.next();
    const exponent = this.nested(op, () => this.parseUnary()); // right-associative, and 2^-1 is allowed
    return this.binary("^", base, exponent, op);
  }

  private parseAtom(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case "number":
        this.next();
        return { kind: "number", value: token.value!, text: token.text, span: this.span(token.start, token.end) };
      case "name": {
        this.next();
        if (this.peek().kind === "(") return this.parseCall(token);
        return { kind: "name", name: token.text, span: this.span(token.start, token.end) };
      }
      case "(": {
        this.next();
        const inner = this.nested(token, () => this.parseOr());
        this.expectClose(token, "parenthesis");
        // A parenthesis counts as a level of its own, as it did while its inside was parsed.
        this.depths.set(inner, this.depthOf(inner) + 1);
        return inner;
      }
      case "error":
        return this.fail(token.code!, token.message!, token, token.hint);
      case "eof":
        return this.fail("unexpected_end", "unexpected end of formula; expected a number, a name or '('", token);
      case "keyword":
        return this.fail("unexpected_token", `unexpected '${token.text}'; expected a number, a name or '('`, token);
      case "op":
      case ")":
      case ",":
        return this.fail("unexpected_token", `unexpected '${token.text}'; expected a number, a name or '('`, token);
      default:
        throw new Error(`internal: ${token.kind satisfies never}`);
    }
  }

  private parseCall(name: Token): Expr {
    const open = this.next();
    const args: Expr[] = [];
    if (this.peek().kind !== ")") {
      while (true) {
        const at = this.peek();
        if (args.length === MAX_CALL_ARGS) {
          this.fail(
            "too_many_arguments",
            `${name.text}( has more than ${MAX_CALL_ARGS} arguments`,
            at,
            "split the call, e.g. max(max(a, b), max(c, d))",
          );
        }
        args.push(this.nested(name, () => this.parseOr()));
        if (this.peek().kind !== ",") break;
        this.next();
      }
    }
    const close = this.expectClose(open, "call", name.text);
    const call: Expr = {
      kind: "call",
      callee: name.text,
      calleeSpan: this.span(name.start, name.end),
      args,
      span: this.span(name.start, close.end),
    };
    return this.made(call, name);
  }

  private expectClose(open: Token, what: "parenthesis" | "call", callee?: string): Token {
    const t = this.peek();
    if (t.kind === ")") return this.next();
    if (t.kind === "error") this.fail(t.code!, t.message!, t, t.hint);
    const opened = this.source.position(this.map(open.start));
    const where = `'(' opened at ${opened.line}:${opened.column}`;
    if (t.kind === "eof") {
      const message =
        what === "call"
          ? `unclosed call ${callee}(; expected ')'`
          : `unclosed parenthesis; expected ')' to close ${where}`;
      return this.fail("unexpected_end", message, t, what === "call" ? `${where} is never closed` : undefined);
    }
    const expected = what === "call" ? "',' or ')'" : "')'";
    return this.fail("unexpected_token", `unexpected ${describe(t)}; expected ${expected}`, t);
  }

  private binary(op: BinaryOp, left: Expr, right: Expr, at: Token): Expr {
    const node: Expr = {
      kind: "binary",
      op,
      left,
      right,
      span: { file: left.span.file, start: left.span.start, end: right.span.end },
    };
    return this.made(node, at);
  }

  /** Parses one nested level (an operand, a parenthesised formula, an argument); `at` opens it. */
  private nested(at: Token, parse: () => Expr): Expr {
    if (this.nest + 1 > MAX_FORMULA_DEPTH) this.tooDeep(at);
    this.nest++;
    const e = parse();
    this.nest--;
    return e;
  }

  /** Records a new node's depth; one past the bound (with the levels around it) stops at `at`. */
  private made(e: Expr, at: Token): Expr {
    let below = 0;
    switch (e.kind) {
      case "unary":
        below = this.depthOf(e.arg);
        break;
      case "binary":
        below = Math.max(this.depthOf(e.left), this.depthOf(e.right));
        break;
      case "range":
        below = Math.max(this.depthOf(e.lo), this.depthOf(e.hi));
        break;
      case "call":
        for (const a of e.args) below = Math.max(below, this.depthOf(a));
        break;
      default:
        break;
    }
    const depth = below + 1;
    if (this.nest + depth > MAX_FORMULA_DEPTH) this.tooDeep(at);
    this.depths.set(e, depth);
    return e;
  }

  private depthOf(e: Expr): number {
    return this.depths.get(e) ?? 0;
  }

  private tooDeep(at: Token): never {
    return this.fail(
      "too_deep",
      `formula nested deeper than ${MAX_FORMULA_DEPTH} levels`,
      at,
      "name a part of it as a series or param of its own",
    );
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== "eof") this.pos++;
    return t;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === "op" && t.text === op;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === "keyword" && t.text === word;
  }

  private span(start: number, end: number): Span {
    const s = this.map(start);
    // The end maps from the last character, plus one, so a span never swallows a line break.
    const e = end > start ? this.map(end - 1) + 1 : s;
    return this.source.span(s, e);
  }

  private spanFrom(start: number, to: Span): Span {
    return { file: to.file, start: this.source.position(this.map(start)), end: to.end };
  }

  private fail(code: string, message: string, at: Token, hint?: string): never {
    // An end-of-formula error points just after the last character, which a caret can show.
    const start = at.kind === "eof" ? Math.max(0, trimmedEnd(this.text)) : at.start;
    const end = at.kind === "eof" ? start + 1 : at.end;
    const sMapped = at.kind === "eof" && start > 0 ? this.map(start - 1) + 1 : this.map(start);
    const eMapped = at.kind === "eof" ? sMapped + 1 : this.map(end - 1) + 1;
    const d: Diagnostic = { code, severity: "error", message, span: this.source.span(sMapped, eMapped) };
    if (hint !== undefined) d.hint = hint;
    if (this.path !== undefined) d.path = this.path;
    throw new ParseFailure(d);
  }
}

function trimmedEnd(text: string): number {
  return text.replace(/\s+$/, "").length;
}

function describe(t: Token): string {
  switch (t.kind) {
    case "number":
      return `number '${t.text}'`;
    case "name":
      return `name '${t.text}'`;
    case "eof":
      return "end of formula";
    default:
      return `'${t.text}'`;
  }
}
