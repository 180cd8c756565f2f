// The sizes a scenario may reach. Every stage (loader, parser, checker, compiler, interpreter,
// printer) is written for inputs within these bounds: the walks over a formula recurse at most
// MAX_FORMULA_DEPTH deep, far below any JavaScript stack, and every walk over params and series
// is iterative. Past a bound the loader or the parser says so with a diagnostic at the first
// thing past it (`too_deep`, `too_large`, `too_many_params`, …), never a crash.

/** Largest scenario file, in bytes (UTF-8). */
export const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

/** Deepest nesting of a formula: operators, parentheses, calls and unary signs, counted together. */
export const MAX_FORMULA_DEPTH = 256;

/**
 * Most entries of one schedule. A schedule stands for one `if` per entry around its values, so
 * with values at the depth bound its tree is at most 240 + 256 + 4 levels deep, which every
 * stage still walks with room to spare (they overflowed past 1,800).
 */
export const MAX_SCHEDULE_ENTRIES = 240;

/** Most arguments of one call (`max(a, b, …)`). */
export const MAX_CALL_ARGS = 1000;

/** Most params in a scenario. */
export const MAX_PARAMS = 100_000;

/** Most series in a scenario. */
export const MAX_SERIES = 10_000;
