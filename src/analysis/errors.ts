// Mistakes a user can fix (an unknown lever, a malformed target, a range that makes no sense)
// are AnalysisErrors: a stable snake_case code, a lowercase message naming the offending value,
// and the valid choices when they are few. The CLI prints them without a stack trace; anything
// else thrown from an analysis is a bug and starts with "internal:".

export class AnalysisError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(code: string, message: string, hint?: string) {
    super(message);
    this.name = "AnalysisError";
    this.code = code;
    this.hint = hint;
  }
}

/** "a, b or c" (at most `limit` shown, then "…"). */
export function listChoices(choices: readonly string[], limit = 12): string {
  if (choices.length === 0) return "(none)";
  const shown = choices.slice(0, limit);
  const more = choices.length > limit ? `, … (${choices.length - limit} more)` : "";
  if (shown.length === 1) return shown[0]! + more;
  return more ? shown.join(", ") + more : `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}`;
}
