// Where a YAML syntax error really is. The YAML library reports an unclosed `[`, `{` or quote
// where it notices (often lines later, at the next key); the user's mistake is at the opener.
// This finds that opener with a light scan of the text before the error: quotes (with their
// escapes), comments, and flow brackets that start a value.

/** What the library says it is missing, by the words of its message. */
function missing(message: string): "[" | "{" | "quote" | undefined {
  if (/flow sequence.*end with a \]/i.test(message)) return "[";
  if (/flow map.*end with a \}/i.test(message)) return "{";
  if (/missing closing .?quote/i.test(message)) return "quote";
  return undefined;
}

/** A quote or bracket can open a value after these (or at the start of a line). */
const OPENS_AFTER = new Set([" ", "\t", "\n", "[", "{", ",", ":", "-"]);

/**
 * The offset of the opener left unclosed when the parser gave up at `at`, for the errors that
 * name one (an unclosed flow sequence, flow map or quoted scalar); undefined otherwise.
 */
export function unclosedOpener(text: string, message: string, at: number): number | undefined {
  const kind = missing(message);
  if (kind === undefined) return undefined;
  const brackets: number[] = [];
  let quote: { char: string; at: number } | undefined;
  const end = Math.min(at, text.length);
  for (let i = 0; i < end; i++) {
    const c = text[i]!;
    const before = i === 0 ? "\n" : text[i - 1]!;
    if (quote) {
      if (quote.char === '"' && c === "\\") i++;
      else if (c === quote.char) {
        if (c === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      }
      continue;
    }
    if (c === "#" && (before === " " || before === "\t" || before === "\n")) {
      while (i < end && text[i] !== "\n") i++;
    } else if ((c === '"' || c === "'") && OPENS_AFTER.has(before)) quote = { char: c, at: i };
    else if ((c === "[" || c === "{") && (OPENS_AFTER.has(before) || brackets.length > 0)) brackets.push(i);
    else if ((c === "]" || c === "}") && brackets.length > 0) brackets.pop();
  }
  if (kind === "quote") return quote?.at;
  const open = brackets.at(-1);
  return open !== undefined && text[open] === kind ? open : undefined;
}
