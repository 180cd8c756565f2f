// The formula lexer: a hand-written scanner over one formula's text. Offsets are relative to
// the formula; the parser maps them into the file. Numbers carry their suffix already applied
// (`340M` → 3.4e8, `4%` → 0.04). Bad input becomes an "error" token carrying a diagnostic
// code and message, so the parser can report it with a proper span and stop.
//
// Two forms are read here because they are glued to a number: a month `2025-03` (that month's
// `t`, counted from the scenario's start; see calendar.ts) and the yearly notation `4B/yr`
// (an amount: ÷ 12) and `30%/yr` (a rate: compounds to (1 + r)^(1/12) − 1). Where a glued form
// could be read two ways, the token carries a warning saying which reading was taken.

import { formatMonth, monthlyAmount, monthlyRate, monthToT } from "./calendar.js";
import type { YearMonth } from "./model.js";

/** The keyword operators; they cannot be used as names. */
export const KEYWORDS: ReadonlySet<string> = new Set(["and", "or", "not", "to"]);

/** Multipliers of the number suffixes. */
export const SUFFIXES: Readonly<Record<string, number>> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12, "%": 0.01 };

export type TokenKind = "number" | "name" | "keyword" | "op" | "(" | ")" | "," | "eof" | "error";

/** One token; `start`/`end` are offsets into the formula text (end exclusive). */
export interface Token {
  kind: TokenKind;
  /** The text as written (for "op" and "keyword", the operator itself). */
  text: string;
  start: number;
  end: number;
  /** For "number": the value with its suffix applied. */
  value?: number;
  /** For "error": the diagnostic code and message. */
  code?: string;
  message?: string;
  hint?: string;
  /** For "number": `/yr` was written; `yearly` is the figure before the monthly conversion. */
  annual?: "amount" | "rate";
  yearly?: number;
  /** A reading that could be confused with another; the parser reports it as a warning. */
  warning?: TokenWarning;
}

/** A warning about a token, spanning `start`..`end` of the formula text. */
export interface TokenWarning {
  code: string;
  message: string;
  hint?: string;
  start: number;
  end: number;
}

export interface TokenizeOptions {
  /** The scenario's first month: `YYYY-MM` in a formula is read as a month only when it is known. */
  start?: YearMonth;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const isNameStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** Splits a formula into tokens, ending with one "eof" token; stops at the first "error" token. */
export function tokenize(text: string, options: TokenizeOptions = {}): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (true) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) {
      tokens.push({ kind: "eof", text: "", start: text.length, end: text.length });
      return tokens;
    }
    const date = isDigit(text[i]) ? scanDate(text, i, options.start) : undefined;
    if (date !== undefined) {
      tokens.push(...date);
      if (date[0]!.kind === "error") {
        tokens.push({ kind: "eof", text: "", start: text.length, end: text.length });
        return tokens;
      }
      i = date.at(-1)!.end;
      continue;
    }
    const token = scanToken(text, i);
    tokens.push(token);
    if (token.kind === "error") {
      tokens.push({ kind: "eof", text: "", start: text.length, end: text.length });
      return tokens;
    }
    i = token.end;
  }
}

function scanToken(text: string, start: number): Token {
  const c = text[start]!;
  const two = text.slice(start, start + 2);
  if (isDigit(c) || (c === "." && isDigit(text[start + 1]))) return scanNumber(text, start);
  if (isNameStart(c)) {
    let end = start + 1;
    while (isNameChar(text[end])) end++;
    const word = text.slice(start, end);
    return { kind: KEYWORDS.has(word) ? "keyword" : "name", text: word, start, end };
  }
  if (two === "<=" || two === ">=" || two === "==" || two === "!=")
    return { kind: "op", text: two, start, end: start + 2 };
  if (two === "&&" || two === "||") {
    const word = two === "&&" ? "and" : "or";
    return errorToken(start, start + 2, "unexpected_token", `unexpected '${two}'`, `write '${word}'`);
  }
  if ("+-*/^<>".includes(c)) return { kind: "op", text: c, start, end: start + 1 };
  if (c === "(" || c === ")" || c === ",") return { kind: c, text: c, start, end: start + 1 };
  if (c === "=") return errorToken(start, start + 1, "unexpected_token", "unexpected '='", "write '==' to compare");
  if (c === "!") return errorToken(start, start + 1, "unexpected_token", "unexpected '!'", "write 'not' to negate");
  if (c === "$") return errorToken(start, start + 1, "unexpected_token", "unexpected '$'", "write amounts as 340M");
  const cp = text.codePointAt(start)!;
  const shown = cp < 32 || cp === 127 ? `\\u${cp.toString(16).padStart(4, "0")}` : String.fromCodePoint(cp);
  return errorToken(start, start + (cp > 0xffff ? 2 : 1), "unexpected_character", `unexpected character '${shown}'`);
}

function errorToken(start: number, end: number, code: string, message: string, hint?: string): Token {
  const t: Token = { kind: "error", text: "", start, end, code, message };
  if (hint !== undefined) t.hint = hint;
  return t;
}

// digits [. digits] [e [+-] digits] [suffix]; a letter glued to a number is an error, so
// `3X` and `10m` are caught here rather than read as a number times a name.
function scanNumber(text: string, start: number): Token {
  let i = start;
  while (isDigit(text[i])) i++;
  if (text[i] === "." && isDigit(text[i + 1])) {
    i++;
    while (isDigit(text[i])) i++;
  } else if (text[i] === "." && !isNameStart(text[i + 1])) {
    i++; // "3." is 3
  }
  if (
    (text[i] === "e" || text[i] === "E") &&
    (isDigit(text[i + 1]) || (/[+-]/.test(text[i + 1] ?? "") && isDigit(text[i + 2])))
  ) {
    i += 2;
    while (isDigit(text[i])) i++;
  }
  const digits = text.slice(start, i);
  let value = Number(digits);
  let end = i;
  const s = text[i];
  if (s !== undefined && s in SUFFIXES && (s === "%" || !isNameChar(text[i + 1]))) {
    value *= SUFFIXES[s]!;
    end = i + 1;
  } else if (isNameChar(s) || s === "_") {
    while (isNameChar(text[end])) end++;
    const written = text.slice(start, end);
    const glued = text.slice(i, end);
    if (glued.startsWith("_") || /^[0-9_]+$/.test(written.replace(/[.eE]/g, ""))) {
      return errorToken(
        start,
        end,
        "bad_number",
        `bad number '${written}'`,
        "write numbers without '_' separators, e.g. 1200000 or 1.2M",
      );
    }
    const upper = glued.toUpperCase();
    const hint =
      upper in SUFFIXES
        ? `suffixes are upper case: ${text.slice(start, i)}${upper}`
        : "number suffixes are K (thousand), M (million), B (billion), T (trillion) and %";
    return errorToken(start, end, "bad_number", `bad number '${written}': unknown suffix '${glued}'`, hint);
  }
  if (!Number.isFinite(value)) {
    return errorToken(start, end, "bad_number", `number '${text.slice(start, end)}' is too large`);
  }
  const per = /^\/(yr|year|month|mo)\b/.exec(text.slice(end));
  if (per && per[1] !== "yr") {
    const written = text.slice(start, end);
    const hint =
      per[1] === "year"
        ? `write ${written}/yr for a yearly figure; with spaces, ${written} / year divides by the calendar year`
        : `a figure is monthly unless written with /yr; write ${written}, or ${written} / ${per[1]} with spaces to divide`;
    return errorToken(start, end + per[0].length, "bad_number", `bad number '${written}${per[0]}'`, hint);
  }
  if (per) return annualToken(text, start, end, value, s === "%" && end === i + 1);
  return { kind: "number", text: text.slice(start, end), start, end, value };
}

// `x/yr`: an amount per year (÷ 12) or, written with %, a rate per year (compounded monthly).
function annualToken(text: string, start: number, end: number, yearly: number, percent: boolean): Token {
  const stop = end + 3;
  const written = text.slice(start, stop);
  const token: Token = {
    kind: "number",
    text: written,
    start,
    end: stop,
    value: percent ? monthlyRate(yearly) : monthlyAmount(yearly),
    annual: percent ? "rate" : "amount",
    yearly,
  };
  if (!percent && yearly > 0 && yearly < 1) {
    const pct = `${+(yearly * 100).toPrecision(12)}%/yr`;
    token.warning = {
      code: "annual_amount_or_rate",
      message: `'${written}' is an amount per year (${+(yearly / 12).toPrecision(6)} a month), not a rate`,
      hint: `for a yearly rate write ${pct}; to silence this, write ${yearly} / 12`,
      start,
      end: stop,
    };
  }
  return token;
}

/**
 * `YYYY-MM` glued together: the month's t when the scenario's start is known and the month is
 * 1–12 (a one-digit month is read as a month, with a warning); otherwise the tokens of the
 * subtraction, with a warning. undefined when the text is not of that shape.
 */
function scanDate(text: string, start: number, first: YearMonth | undefined): Token[] | undefined {
  const m = /^(\d{4})-(\d{1,2})(?![0-9A-Za-z_.%])/.exec(text.slice(start));
  if (!m) return undefined;
  const end = start + m[0].length;
  const written = m[0];
  if (/^-\d/.test(text.slice(end))) {
    const day = /^-\d+/.exec(text.slice(end))![0];
    return [
      errorToken(
        start,
        end + day.length,
        "bad_date",
        `'${written}${day}' is a day; dates in formulas are months`,
        `write the month, ${written}`,
      ),
    ];
  }
  const [year, month] = [Number(m[1]), Number(m[2])];
  const minus = start + m[1]!.length;
  const arithmetic = (message: string, hint: string): Token[] => [
    {
      kind: "number",
      text: m[1]!,
      start,
      end: minus,
      value: year,
      warning: { code: "date_or_subtraction", message, hint, start, end },
    },
    { kind: "op", text: "-", start: minus, end: minus + 1 },
    { kind: "number", text: m[2]!, start: minus + 1, end, value: month },
  ];
  // The subtraction as the parser will read it (its value depends on what follows: 2025-13 * 2).
  const difference = `the subtraction ${year} - ${month}`;
  if (month < 1 || month > 12) {
    return arithmetic(
      `'${written}' is not a month (months run 01 to 12); read as ${difference}`,
      `write ${year} - ${month} with spaces to silence this`,
    );
  }
  const date = { year, month };
  if (first === undefined) {
    return arithmetic(
      `'${written}' looks like a month, but there is no start month to count from; read as ${difference}`,
      `give the scenario a start (start: YYYY-MM), or write ${year} - ${month} with spaces`,
    );
  }
  const t = monthToT(date, first);
  const token: Token = { kind: "number", text: written, start, end, value: t };
  if (m[2]!.length === 1) {
    token.warning = {
      code: "date_or_subtraction",
      message: `'${written}' read as the month ${formatMonth(date)} (t = ${t})`,
      hint: `write ${formatMonth(date)} for the month, or ${year} - ${month} with spaces for arithmetic`,
      start,
      end,
    };
  }
  return [token];
}
