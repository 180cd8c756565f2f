// The formula lexer: a hand-written scanner over one formula's text. Offsets are relative to
// the formula; the parser maps them into the file. Numbers carry their suffix already applied
// (`340M` → 3.4e8, `4%` → 0.04). Bad input becomes an "error" token carrying a diagnostic
// code and message, so the parser can report it with a proper span and stop.

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
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const isNameStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** Splits a formula into tokens, ending with one "eof" token; stops at the first "error" token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (true) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) {
      tokens.push({ kind: "eof", text: "", start: text.length, end: text.length });
      return tokens;
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
  return { kind: "number", text: text.slice(start, end), start, end, value };
}
