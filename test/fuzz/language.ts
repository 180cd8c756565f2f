// Property-based fuzzing of the scenario language (fast-check): arbitraries that build whole
// scenarios from the language's own parts (params drawn from every distribution with ordinary
// and extreme arguments, series as formulas, recurrences and stocks over t, prev, lags, the
// built-in functions, levers and correlations), and mutations of them (a character deleted or
// inserted, a built-in swapped for another, a number made extreme, a line repeated or dropped).
//
// `exercise` runs one scenario text the way the CLI does, in this process: check (load, check,
// compile), and when that passes a small run whose summary is rendered. It returns the problems
// the issue forbids: an internal error (what the CLI would turn into exit 3), output holding
// NaN, undefined or [object Object], and a check that passes followed by a run that fails
// without naming the formula that failed.

import fc from "fast-check";
import { compileModel, ModelRuntimeError, simulateInProcess } from "../../src/engine/index.js";
import { BUILTINS, checkText, renderDiagnostic } from "../../src/lang/index.js";
import { renderRunSummary } from "../../src/report/terminal.js";

const NUMBERS = ["0", "1", "-1", "0.5", "2", "3%", "340M", "6B", "1e308", "-1e308", "1e-320", "1e-300", "1e25", "7"];
const extreme = fc.constantFrom(...NUMBERS);
const ordinary = fc.oneof(
  fc.integer({ min: 0, max: 50 }).map(String),
  fc.constantFrom("0.5", "2.5", "10%", "1.5M", "300K"),
);
const small = fc.oneof(
  { weight: 6, arbitrary: ordinary },
  { weight: 1, arbitrary: extreme },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => String(x)) },
);

/** Arguments a distribution accepts (ascending, p below 1), or now and then anything. */
function distributionArgs(name: string, n: number): fc.Arbitrary<string[]> {
  const sane = fc
    .array(fc.integer({ min: 1, max: 9 }), { minLength: n, maxLength: n })
    .map((xs) => xs.sort((a, b) => a - b).map((x, i) => String(x + i)))
    .map((xs) => (name === "bernoulli" ? ["0.3"] : xs));
  return fc.oneof(
    { weight: 4, arbitrary: sane },
    { weight: 1, arbitrary: fc.array(small, { minLength: n, maxLength: n }) },
  );
}

const DISTRIBUTIONS: [string, number][] = [
  ["normal", 2],
  ["lognormal", 2],
  ["uniform", 2],
  ["integer", 2],
  ["triangular", 3],
  ["pert", 3],
  ["beta", 2],
  ["bernoulli", 1],
  ["poisson", 1],
];

const FUNCTIONS: [string, number][] = [
  ["min", 2],
  ["max", 2],
  ["abs", 1],
  ["exp", 1],
  ["log", 1],
  ["sqrt", 1],
  ["floor", 1],
  ["round", 1],
  ["clamp", 3],
  ["if", 3],
  ["scurve", 3],
  ["decay", 1],
  ["event", 2],
];

const OPS = ["+", "-", "*", "/", "^", "<", ">=", "==", "and", "or"];

/** A formula over the given names (and t, when `timed`), at most `depth` deep. */
function formula(names: readonly string[], timed: boolean, depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(
    small,
    ...(names.length > 0 ? [fc.constantFrom(...names)] : []),
    ...(timed ? [fc.constant("t")] : []),
  );
  if (depth <= 0) return leaf;
  const sub = formula(names, timed, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 2, arbitrary: fc.tuple(sub, fc.constantFrom(...OPS), sub).map(([a, op, b]) => `(${a} ${op} ${b})`) },
    { weight: 1, arbitrary: sub.map((a) => `-${a}`) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(...FUNCTIONS)
        .chain(([f, n]) => fc.array(sub, { minLength: n, maxLength: n }).map((args) => `${f}(${args.join(", ")})`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...DISTRIBUTIONS)
        .chain(([f, n]) => distributionArgs(f, n).map((args) => `${f}(${args.join(", ")})`)),
    },
  );
}

const quote = (s: string) => JSON.stringify(s);

/** A whole scenario: params, series (formulas, recurrences, stocks), alive, levers, correlations. */
export const scenarioText: fc.Arbitrary<string> = fc
  .record({
    params: fc.integer({ min: 0, max: 4 }),
    series: fc.integer({ min: 1, max: 4 }),
    horizon: fc.constantFrom(1, 3, 12, 36),
    seed: fc.nat(),
  })
  .chain(({ params, series, horizon }) => {
    const paramNames = Array.from({ length: params }, (_, i) => `p${i}`);
    const seriesNames = Array.from({ length: series }, (_, i) => `s${i}`);
    const paramDefs = fc.tuple(
      ...paramNames.map((_, i) =>
        fc.oneof(
          fc
            .constantFrom(...DISTRIBUTIONS)
            .chain(([f, n]) =>
              fc.array(small, { minLength: n, maxLength: n }).map((args) => `${f}(${args.join(", ")})`),
            ),
          fc.tuple(small, small).map(([a, b]) => `${a} to ${b}`),
          formula(paramNames.slice(0, i), false, 2),
        ),
      ),
    );
    const seriesDefs = fc.tuple(
      ...seriesNames.map((name, i) => {
        const readable = [...paramNames, ...seriesNames.slice(0, i)];
        const withPrev = [...readable, `prev(${name})`, `prev(${name}, 2)`];
        return fc.oneof(
          formula(readable, true, 3).map((f) => quote(f)),
          fc
            .tuple(formula(paramNames, false, 1), formula(withPrev, true, 3))
            .map(([s, n]) => `{ start: ${quote(s)}, next: ${quote(n)} }`),
          fc
            .tuple(formula(paramNames, false, 1), formula(withPrev, true, 3))
            .map(([s, c]) => `{ start: ${quote(s)}, change: ${quote(c)} }`),
        );
      }),
    );
    const lever = fc.option(fc.tuple(fc.constantFrom(...seriesNames), formula(paramNames, true, 2)), {
      nil: undefined,
    });
    // Mostly a valid pair of params, now and then a wrong name or an impossible rho.
    const correlation = fc.oneof(
      { weight: 5, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.tuple(
          fc.constantFrom("p0", "p0", "p0", "s0"),
          fc.constantFrom("p1", "p1", "p1", "p2"),
          fc.constantFrom("0.8", "-0.5", "0.3", "1", "2"),
        ),
      },
    );
    return fc
      .tuple(paramDefs, seriesDefs, lever, correlation, formula(seriesNames, true, 1))
      .map(([ps, ss, lv, corr, alive]) => {
        const lines = ["name: fuzz", "start: 2024-07", `horizon: ${horizon}`];
        if (ps.length > 0) lines.push("params:", ...ps.map((p, i) => `  p${i}: ${quote(p)}`));
        lines.push("series:", ...ss.map((s, i) => `  s${i}: ${s}`));
        lines.push(`alive: ${quote(alive)}`);
        if (lv) lines.push("levers:", "  l:", "    label: a lever", "    set:", `      ${lv[0]}: ${quote(lv[1])}`);
        if (corr) lines.push("correlations:", `  - [${corr.join(", ")}]`);
        return lines.join("\n") + "\n";
      });
  });

const NAMES = BUILTINS.map((b) => b.name);
const INSERTS = [
  "(",
  ")",
  ",",
  ":",
  "-",
  "^",
  "{",
  "}",
  "[",
  "]",
  "'",
  '"',
  "#",
  "\t",
  "\n",
  " ",
  "e",
  "%",
  "B",
  "1e999",
  "prev(",
  "x",
  "\\e",
  "&",
  "*",
  "!",
];

/** A scenario mutated a few times: the inputs a user's typo or an editor's accident makes. */
export const mutatedText: fc.Arbitrary<string> = fc
  .tuple(scenarioText, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 5 })), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => {
    let s = text;
    for (const [at, pick, kind] of edits) {
      const i = s.length === 0 ? 0 : at % s.length;
      switch (kind) {
        case 0:
          s = s.slice(0, i) + s.slice(i + 1);
          break;
        case 1:
          s = s.slice(0, i) + INSERTS[pick % INSERTS.length] + s.slice(i);
          break;
        case 2: {
          const name = NAMES.find((n) => s.includes(n + "("));
          if (name) s = s.replace(name + "(", NAMES[pick % NAMES.length] + "(");
          break;
        }
        case 3:
          s = s.replace(/\d+(\.\d+)?/, NUMBERS[pick % NUMBERS.length]!);
          break;
        case 4: {
          const lines = s.split("\n");
          const k = pick % lines.length;
          lines.splice(k, 0, lines[k]!);
          s = lines.join("\n");
          break;
        }
        default: {
          const lines = s.split("\n");
          lines.splice(pick % lines.length, 1);
          s = lines.join("\n");
        }
      }
    }
    return s;
  });

const BAD_OUTPUT = /NaN|undefined|\[object Object\]/;

/** The problems one scenario text shows; empty when it behaves. */
export function exercise(text: string, file = "fuzz.yaml"): string[] {
  const problems: string[] = [];
  const clean = (what: string, out: string) => {
    // A message may quote the scenario's own text, which may say NaN: only unquoted output counts.
    const unquoted = out.replace(/'[^'\n]*'/g, "''").replace(/^\s*\d* \|.*$/gm, "");
    if (BAD_OUTPUT.test(unquoted)) problems.push(`${what} output holds ${BAD_OUTPUT.exec(unquoted)![0]}:\n${out}`);
  };
  let checked;
  try {
    checked = checkText(text, file);
    for (const d of checked.diagnostics) clean(`diagnostic ${d.code}`, renderDiagnostic(d, text));
  } catch (e) {
    return [`internal error in check: ${(e as Error).stack ?? String(e)}`];
  }
  if (!checked.model) return problems;
  let compiled;
  try {
    compiled = compileModel(checked.model);
    for (const d of compiled.diagnostics) clean(`diagnostic ${d.code}`, renderDiagnostic(d, text));
  } catch (e) {
    return [...problems, `internal error in compile: ${(e as Error).stack ?? String(e)}`];
  }
  if (compiled.diagnostics.some((d) => d.severity === "error")) return problems;
  try {
    const run = simulateInProcess(compiled, { paths: 64, seed: 1 });
    clean("run summary", renderRunSummary(run));
    clean("run JSON", JSON.stringify(run));
  } catch (e) {
    if (e instanceof ModelRuntimeError) {
      const d = e.diagnostic;
      // A run may fail, but only by naming the param or series whose formula failed, on its line.
      if (
        !/^(param|series) '[A-Za-z_][A-Za-z0-9_]*' is (NaN|Infinity|-Infinity) /.test(d.message) ||
        d.span.start.line < 1
      )
        problems.push(`run failed without naming the formula: ${d.message}`);
      // It says "is NaN" by design; nothing else may.
      const rendered = renderDiagnostic(d, text).replace(/ is (NaN|-?Infinity) /, " is X ");
      clean("runtime error", rendered);
    } else problems.push(`check passed, then the run failed: ${(e as Error).stack ?? String(e)}`);
  }
  return problems;
}
