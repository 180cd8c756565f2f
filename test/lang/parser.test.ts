import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Expr } from "../../src/lang/ast.js";
import { parseFormula } from "../../src/lang/parser.js";
import { formatExpr, printExpr } from "../../src/lang/print.js";

function testParse(source: string, expected: string): void {
  const r = parseFormula(source);
  assert.deepEqual(r.diagnostics, [], `${source}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  assert.equal(printExpr(r.expr!), expected, source);
}

/** Asserts the first diagnostic's code, 1-based column span and message fragment. */
function testFail(source: string, code: string, column: number, messageIncludes: string, endColumn?: number): void {
  const r = parseFormula(source);
  assert.equal(r.expr, undefined, `${source} should not parse`);
  const d = r.diagnostics[0]!;
  assert.equal(d.code, code, `${source}: ${d.message}`);
  assert.equal(d.span.start.column, column, `${source}: column`);
  if (endColumn !== undefined) assert.equal(d.span.end.column, endColumn, `${source}: end column`);
  assert.ok(d.message.includes(messageIncludes), `${source}: '${d.message}' lacks '${messageIncludes}'`);
}

test("precedence", () => {
  testParse("1 + 2 * x", "(+ 1 (* 2 x))");
  testParse("(1 + 2) * x", "(* (+ 1 2) x)");
  testParse("1 - 2 - 3", "(- (- 1 2) 3)");
  testParse("8 / 4 / 2", "(/ (/ 8 4) 2)");
  testParse("a or b and c", "(or a (and b c))");
  testParse("not a and b", "(and (not a) b)");
  testParse("not a < b", "(not (< a b))");
  testParse("a + 1 < b * 2", "(< (+ a 1) (* b 2))");
  testParse("a == b != c", "(!= (== a b) c)");
  testParse("1 + 2 to 3 * 4", "(to (+ 1 2) (* 3 4))");
  testParse("x < 1 to 2", "(< x (to 1 2))");
  testParse("a >= 0 and b <= 1 or c > 2", "(or (and (>= a 0) (<= b 1)) (> c 2))");
});

test("unary minus and right-associative power", () => {
  testParse("-2^2", "(- (^ 2 2))");
  testParse("2^3^4", "(^ 2 (^ 3 4))");
  testParse("2^-1", "(^ 2 (- 1))");
  testParse("-x * y", "(* (- x) y)");
  testParse("a - -b", "(- a (- b))");
  testParse("(-2)^2", "(^ (- 2) 2)");
  testParse("-x to y", "(to (- x) y)");
  testParse("+5%", "0.05");
  testParse("not not a", "(not (not a))");
});

test("number suffixes", () => {
  testParse("340M", "3.4e8");
  testParse("4%", "0.04");
  testParse("1.5B", "1.5e9");
  testParse("2e9", "2e9");
  testParse("2.5e-3", "0.0025");
  testParse("12K", "1.2e4");
  testParse("3T", "3e12");
  testParse(".5", "0.5");
  testParse("2B to 10B", "(to 2e9 1e10)");
});

test("calls", () => {
  testParse("normal(0, 1)", "(call normal 0 1)");
  testParse("f()", "(call f)");
  testParse("if(t == 3 and x, 1, max(a, b, c))", "(call if (and (== t 3) x) 1 (call max a b c))");
  testParse("prev(cash) + 1", "(+ (call prev cash) 1)");
});

test("spans and columns", () => {
  const e = parseFormula("330M * (revnue / 340M)").expr!;
  assert.equal(e.kind, "binary");
  const div = (e as Extract<Expr, { kind: "binary" }>).right as Extract<Expr, { kind: "binary" }>;
  assert.equal(div.left.span.start.column, 9);
  assert.equal(div.left.span.end.column, 15);
  const call = parseFormula("  normal(0, 1)").expr! as Extract<Expr, { kind: "call" }>;
  assert.equal(call.span.start.column, 3);
  assert.equal(call.span.end.column, 15);
  assert.equal(call.calleeSpan.end.column, 9);
  assert.equal(call.args[1]!.span.start.offset, 12);
  const neg = parseFormula("-2^2").expr!;
  assert.equal(neg.span.start.column, 1);
  assert.equal(neg.span.end.column, 5);
});

test("mapped offsets land in the file", async () => {
  const { SourceText } = await import("../../src/lang/source.js");
  const file = "params:\n  growth: normal(0.04, 0.02)\n";
  const source = new SourceText(file, "x.yaml");
  const base = file.indexOf("normal");
  const e = parseFormula("normal(0.04, 0.02)", { source, mapOffset: (i) => base + i }).expr! as Extract<
    Expr,
    { kind: "call" }
  >;
  assert.deepEqual([e.args[1]!.span.start.line, e.args[1]!.span.start.column], [2, 24]);
});

test("syntax errors", () => {
  testFail("3X", "bad_number", 1, "unknown suffix 'X'", 3);
  testFail("10m", "bad_number", 1, "'10m'");
  testFail("1_000", "bad_number", 1, "'1_000'");
  testFail("1e999", "bad_number", 1, "too large");
  testFail("(1 + 2", "unexpected_end", 7, "unclosed parenthesis");
  testFail("normal(1, 2", "unexpected_end", 12, "unclosed call normal(");
  testFail("1 +", "unexpected_end", 4, "unexpected end of formula");
  testFail("1 + * 2", "unexpected_token", 5, "unexpected '*'");
  testFail("a = b", "unexpected_token", 3, "unexpected '='");
  testFail("a && b", "unexpected_token", 3, "'&&'");
  testFail("1 to 2 to 3", "unexpected_token", 8, "after the end of the formula");
  testFail("f(1 2)", "unexpected_token", 5, "expected ',' or ')'");
  testFail("", "empty_formula", 1, "expected a formula");
  testFail("1 # 2", "unexpected_character", 3, "'#'");
  testFail("x)", "unexpected_token", 2, "')'");
  testFail("a \u0000", "unexpected_character", 3, "\\u0000");
});

// Generated trees: names avoid keywords, numbers are nonnegative (a negative literal is a unary minus).
const NAMES = ["x", "y", "revenue", "cash", "t", "pi", "a_1"];
const number = fc
  .oneof(fc.double({ min: 0, max: 1e15, noNaN: true }), fc.integer({ min: 0, max: 1000 }))
  .map((value): Expr => ({ kind: "number", value, text: "", span: dummy }));
const dummy = { file: "", start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
const binaryOps = ["+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==", "!=", "and", "or"] as const;
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    number,
    fc.constantFrom(...NAMES).map((name): Expr => ({ kind: "name", name, span: dummy })),
    fc
      .tuple(fc.constantFrom("-" as const, "not" as const), tie("e"))
      .map(([op, arg]): Expr => ({ kind: "unary", op, arg, span: dummy })),
    fc
      .tuple(fc.constantFrom(...binaryOps), tie("e"), tie("e"))
      .map(([op, left, right]): Expr => ({ kind: "binary", op, left, right, span: dummy })),
    fc
      .tuple(fc.constantFrom("normal", "max", "if", "f"), fc.array(tie("e"), { maxLength: 3 }))
      .map(([callee, args]): Expr => ({ kind: "call", callee, calleeSpan: dummy, args, span: dummy })),
    fc.tuple(tie("e"), tie("e")).map(([lo, hi]): Expr => ({ kind: "range", lo, hi, span: dummy })),
  ),
})).e;

test("formatExpr round-trips through the parser", () => {
  fc.assert(
    fc.property(exprArb, (e) => {
      const text = formatExpr(e);
      const r = parseFormula(text);
      assert.deepEqual(r.diagnostics, [], text);
      assert.equal(printExpr(r.expr!), printExpr(e), text);
    }),
    { numRuns: 500 },
  );
});

test("formatExpr keeps suffixes as written", () => {
  for (const src of ["340M * (revenue / 340M) ^ 0.9", "2B to 10B", "-2 ^ 2", "(-2) ^ 2", "uniform(1%, 4%)"]) {
    assert.equal(formatExpr(parseFormula(src).expr!), src);
  }
});

test("months and yearly figures: glued forms become numbers, keep their text, and print back", () => {
  const start = { year: 2024, month: 7 };
  const parse = (source: string) => parseFormula(source, { start });
  const cases: [string, string, number][] = [
    ["t >= 2025-03", "(>= t 9)", 9],
    ["2024-07", "1", 1],
    ["2024-06 - 1", "(- 0 1)", 0],
    ["2025 - 3", "(- 2025 3)", 2025],
    ["4B/yr", "3.333333333333333e8", 4e9 / 12],
    ["30%/yr", String(Math.pow(1.3, 1 / 12) - 1), Math.pow(1.3, 1 / 12) - 1],
    ["-10%/yr", String(Math.pow(0.9, 1 / 12) - 1), Math.pow(0.9, 1 / 12) - 1],
    ["-(10%/yr)", `(- ${Math.pow(1.1, 1 / 12) - 1})`, Math.pow(1.1, 1 / 12) - 1],
    ["x - 10%/yr", `(- x ${Math.pow(1.1, 1 / 12) - 1})`, 0],
  ];
  for (const [source, printed] of cases) {
    const r = parse(source);
    assert.deepEqual(r.diagnostics, [], source);
    assert.equal(printExpr(r.expr!), printed, source);
    // Infix printing keeps the text as written, and it parses back to the same tree.
    assert.equal(printExpr(parse(formatExpr(r.expr!)).expr!), printed, `${source} → ${formatExpr(r.expr!)}`);
  }
  assert.equal(formatExpr(parse("if(t >= 2025-03, 4B/yr, -10%/yr)").expr!), "if(t >= 2025-03, 4B/yr, -10%/yr)");
  testFail("4B/year", "bad_number", 1, "bad number '4B/year'", 8);
  testFail("4B/mo + 1", "bad_number", 1, "bad number '4B/mo'", 6);
  testFail("t == 2025-01-15", "bad_date", 6, "is a day", 16);
  const decline = parseFormula("-150%/yr");
  assert.equal(decline.diagnostics[0]?.code, "bad_number");
});
