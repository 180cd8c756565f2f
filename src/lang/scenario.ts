// YAML text -> Scenario. The `yaml` package parses into a node tree that keeps source ranges,
// so every value, key and formula keeps a span into the file. Structure is validated here by
// hand rather than with a schema library: each key has its own small reader (in the spirit
// of Plot's `maybeX` functions) that fills defaults, reports what it expected, and lets
// loading go on, so one run reports every structural problem at once. Names are not resolved
// here; that is checker.ts's job.
//
// A formula in a scalar is parsed from the scalar's value, and its offsets are mapped back to
// the raw text (skipping a quote, escapes, or the folding of a multi-line scalar), so a caret
// points into the file the user edits.

import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node, type Scalar, type YAMLMap } from "yaml";
import type { Expr } from "./ast.js";
import type { Diagnostic, Span } from "./diagnostics.js";
import { fileSpan } from "./diagnostics.js";
import { monthlyRate, monthToT } from "./calendar.js";
import { randomCallIn } from "./builtins.js";
import { BETWEEN_MODES, scheduleFormula, type Between, type ScheduleEntry } from "./schedule.js";
import { tokenize } from "./lexer.js";
import type {
  ActualDef,
  CorrelationDef,
  LeverDef,
  LeverSet,
  ParamDef,
  Scenario,
  SeriesBody,
  SeriesDef,
  SourceDef,
  Sourced,
  YearMonth,
} from "./model.js";
import { MAX_PARAMS, MAX_SCHEDULE_ENTRIES, MAX_SERIES, MAX_SOURCE_BYTES } from "./limits.js";
import { parseFormula } from "./parser.js";
import { SourceText } from "./source.js";
import { didYouMean } from "./suggest.js";
import { loadChecks, loadGoals } from "./report-blocks.js";
import { loadRounds, lowerRounds, roundWarnings, type LoaderTools } from "./rounds.js";

/** The result of loading: a Scenario when the file has no errors, and every diagnostic found. */
export interface LoadResult {
  scenario?: Scenario;
  diagnostics: Diagnostic[];
}

/** Top-level keys a scenario may have. */
export const SCENARIO_KEYS = [
  "name",
  "description",
  "start",
  "horizon",
  "sources",
  "params",
  "series",
  "alive",
  "report",
  "shortfall",
  "breakeven",
  "levers",
  "correlations",
  "actuals",
  "rounds",
  "views",
  "checks",
  "goals",
] as const;

/** Longest horizon accepted, in months (a century). */
export const MAX_HORIZON = 1200;

/** Text in, scenario out: loads a YAML scenario; `scenario` is set only when no error was found. */
export function loadScenarioText(text: string, file: string): LoadResult {
  const r = loadScenarioLenient(text, file);
  return r.diagnostics.some((d) => d.severity === "error") ? { diagnostics: r.diagnostics } : r;
}

/**
 * Like loadScenarioText, but returns the scenario whenever the file is a mapping, with broken
 * formulas replaced by a NaN placeholder, so the checker can go on and report the rest.
 * The scenario must not be run when any diagnostic is an error.
 */
export function loadScenarioLenient(text: string, file: string): LoadResult {
  return new Loader(text, file).load();
}

/** The placeholder for a formula that failed to parse (never runs: its diagnostic is an error). */
export function isPlaceholder(e: Expr): boolean {
  return e.kind === "number" && e.text === "<error>";
}

export type Path = (string | number)[];
export interface Entry {
  key: string;
  keySpan: Span;
  value: Node | null;
  path: Path;
}

const SOURCED_KEYS = ["source", "label", "unit"];
const PARAM_KEYS = ["value", ...SOURCED_KEYS];
const SERIES_KEYS = ["start", "next", "change", "value", "schedule", "between", ...SOURCED_KEYS];
const LEVER_KEYS = ["label", "description", "source", "set", "add", "scale"];
const SCHEDULE_KEYS = ["schedule", "between"];
const ACTUAL_KEYS = ["series", "event", "month", "value", "source", "note"];
const SOURCE_KEYS = ["id", "title", "url"];

class Loader {
  private readonly src: SourceText;
  private readonly diagnostics: Diagnostic[] = [];
  /** The scenario's start once read (formulas count `YYYY-MM` from it); undefined when missing or bad. */
  private startMonth: YearMonth | undefined;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.src = new SourceText(text, file);
  }

  load(): LoadResult {
    // oxlint-disable-next-line no-control-regex -- control characters are exactly what marks a binary file
    const binary = /[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/.exec(this.text);
    if (binary) {
      const code = binary[0].charCodeAt(0).toString(16).padStart(4, "0");
      this.error("binary_file", `the file is not text (it contains the byte \\u${code})`, this.src.span(0, 0), {
        hint: "a scenario is a YAML text file",
      });
      return { diagnostics: this.diagnostics };
    }
    if (this.text.length > MAX_SOURCE_BYTES) {
      const past = this.src.span(MAX_SOURCE_BYTES, MAX_SOURCE_BYTES + 1);
      this.error("too_large", `the file is larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`, past, {
        hint: "a scenario this large is generated; generate a smaller one",
      });
      return { diagnostics: this.diagnostics };
    }
    // Duplicate keys are found by `entries` (the YAML library's own check compares every pair
    // of keys, quadratic in a mapping's size).
    const doc = parseDocument(this.text, { uniqueKeys: false, prettyErrors: false });
    let fatal = false;
    for (const e of doc.errors) {
      const span = this.src.span(e.pos[0], Math.max(e.pos[1], e.pos[0] + 1));
      fatal = true;
      const hint = e.code === "TAB_AS_INDENT" ? "indent with spaces" : undefined;
      this.error("yaml_syntax", lowerFirst(e.message), span, hint === undefined ? {} : { hint });
    }
    if (fatal) return { diagnostics: this.diagnostics };
    const root = doc.contents;
    if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) {
      this.error("empty_file", "the file is empty; expected a scenario (name, start, horizon, params, series, alive)", {
        ...fileSpan(this.file),
      });
      return { diagnostics: this.diagnostics };
    }
    if (!isMap(root)) {
      this.error(
        "not_a_mapping",
        `expected a mapping of scenario keys (name, start, horizon, …), got ${kindOf(root)}`,
        this.span(root),
      );
      return { diagnostics: this.diagnostics };
    }
    return { scenario: this.scenario(root), diagnostics: this.diagnostics };
  }

  private scenario(root: YAMLMap): Scenario {
    const top = new Map<string, Entry>();
    for (const e of this.entries(root, [])) {
      if ((SCENARIO_KEYS as readonly string[]).includes(e.key)) top.set(e.key, e);
      else this.unknownKey(e, SCENARIO_KEYS, "scenario");
    }
    const whole = this.span(root);
    const s: Scenario = {
      file: this.file,
      source: this.text,
      name: this.optionalString(top.get("name")) ?? this.file,
      start: this.start(top.get("start"), whole),
      horizon: this.horizon(top.get("horizon"), whole),
      params: this.params(top.get("params")),
      series: this.seriesList(top.get("series")),
      alive: this.alive(top.get("alive"), whole),
      levers: this.levers(top.get("levers")),
      correlations: this.correlations(top.get("correlations")),
      actuals: this.actuals(top.get("actuals")),
      sources: this.sources(top.get("sources")),
    };
    const description = this.optionalString(top.get("description"));
    if (description !== undefined) s.description = description;
    this.extensions(s, top);
    const report = top.get("report");
    if (report) s.report = this.reportList(report);
    const shortfall = top.get("shortfall");
    if (shortfall) {
      const name = this.optionalString(shortfall);
      if (name !== undefined) s.shortfall = { name, span: this.span(shortfall.value!) };
    }
    const breakeven = top.get("breakeven");
    if (breakeven) s.breakEven = this.formula(breakeven.value, breakeven.path, breakeven.keySpan);
    return s;
  }

  // ---- keys --------------------------------------------------------------------------------

  private start(e: Entry | undefined, whole: Span): YearMonth {
    const fallback = { year: 2000, month: 1 };
    if (!e) {
      this.error("missing_key", "missing key 'start' (the first simulated month, YYYY-MM)", whole, { path: ["start"] });
      return fallback;
    }
    this.startMonth = this.month(e.value, e.path, "bad_start", e.keySpan);
    return this.startMonth ?? fallback;
  }

  private month(node: Node | null, path: Path, code: string, keySpan: Span): YearMonth | undefined {
    const raw = isScalar(node) ? String(node.value) : undefined;
    const m = raw === undefined ? null : /^(\d{4})-(\d{1,2})$/.exec(raw.trim());
    if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return { year: Number(m[1]), month: Number(m[2]) };
    const got = raw === undefined ? kindOf(node) : `'${raw}'`;
    const hint = m ? "months run from 01 to 12" : "write the year and month, e.g. 2024-07";
    this.error(code, `expected a month as YYYY-MM, got ${got}`, node ? this.span(node) : keySpan, { path, hint });
    return undefined;
  }

  private horizon(e: Entry | undefined, whole: Span): number {
    if (!e) {
      this.error("missing_key", "missing key 'horizon' (months to simulate, 1 to 1200)", whole, { path: ["horizon"] });
      return 1;
    }
    const v = isScalar(e.value) ? e.value.value : undefined;
    if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= MAX_HORIZON) return v;
    const got = typeof v === "number" || typeof v === "string" ? String(v) : kindOf(e.value);
    const span = e.value ? this.span(e.value) : e.keySpan;
    this.error("bad_horizon", `horizon must be a whole number of months from 1 to ${MAX_HORIZON}, got ${got}`, span, {
      path: e.path,
      hint:
        typeof v === "number" && v > MAX_HORIZON
          ? "that is more than a century; use months, e.g. 36"
          : "e.g. horizon: 36",
    });
    return 1;
  }

  private alive(e: Entry | undefined, whole: Span): Expr {
    if (!e) {
      this.error("missing_alive", "missing key 'alive': the condition a path must meet to stay alive", whole, {
        path: ["alive"],
        hint: "add e.g. `alive: cash >= 0`",
      });
      return placeholder(whole);
    }
    return this.formula(e.value, e.path, e.keySpan);
  }

  private params(e: Entry | undefined): ParamDef[] {
    const out: ParamDef[] = [];
    for (const p of this.bounded(this.mapEntries(e, "params"), MAX_PARAMS, "too_many_params", "params")) {
      let expr: Expr | undefined;
      const sourced: Sourced = {};
      if (isMap(p.value)) {
        const fields = this.fields(p, PARAM_KEYS, "param");
        const value = fields.get("value");
        if (fields.has("start") || fields.has("next") || fields.has("change")) expr = placeholder(p.keySpan);
        else if (!value) {
          this.error("missing_key", `param '${p.key}' has no 'value'`, p.keySpan, { path: p.path });
          expr = placeholder(p.keySpan);
        } else expr = this.formula(value.value, value.path, value.keySpan);
        this.sourced(fields, sourced);
      } else expr = this.formula(p.value, p.path, p.keySpan);
      out.push({ name: p.key, nameSpan: p.keySpan, expr, ...sourced });
    }
    return out;
  }

  private seriesList(e: Entry | undefined): SeriesDef[] {
    const out: SeriesDef[] = [];
    for (const s of this.bounded(this.mapEntries(e, "series"), MAX_SERIES, "too_many_series", "series")) {
      const sourced: Sourced = {};
      const body = this.seriesBody(s, sourced);
      // A broken body keeps its name (with a placeholder), so references to it do not cascade.
      const kept = body ?? { kind: "formula", expr: placeholder(s.keySpan) };
      out.push({ name: s.key, nameSpan: s.keySpan, ...sourced, ...kept });
    }
    return out;
  }

  /** A series body: a formula scalar, or a mapping {value} | {start, next} | {start, change}. */
  private seriesBody(e: Entry, sourced: Sourced): SeriesBody | undefined {
    if (!isMap(e.value)) return { kind: "formula", expr: this.formula(e.value, e.path, e.keySpan) };
    const f = this.fields(e, SERIES_KEYS, "series");
    this.sourced(f, sourced);
    const [value, start, next, change] = [f.get("value"), f.get("start"), f.get("next"), f.get("change")];
    const expr = (x: Entry): Expr => this.formula(x.value, x.path, x.keySpan);
    const hint =
      "a series is a formula, {start, next} (a recurrence), {start, change} (a stock) or {schedule, between}";
    const schedule = f.get("schedule");
    if (schedule || f.get("between")) {
      const other = value ?? start ?? next ?? change;
      if (other) {
        this.error("bad_series", `series '${e.key}' has both 'schedule' and '${other.key}'`, other.keySpan, {
          path: other.path,
          hint,
        });
      }
      return { kind: "formula", expr: this.schedule(e, f) };
    }
    if (value) {
      if (start || next || change) {
        const other = (start ?? next ?? change)!;
        this.error("bad_series", `series '${e.key}' has both 'value' and '${other.key}'`, other.keySpan, {
          path: other.path,
          hint,
        });
      }
      return { kind: "formula", expr: expr(value) };
    }
    if (next && change) {
      this.error("bad_series", `series '${e.key}' has both 'next' and 'change'`, change.keySpan, {
        path: change.path,
        hint,
      });
      return undefined;
    }
    if (!start) {
      const what = next ? "next" : change ? "change" : undefined;
      const message = what
        ? `series '${e.key}' has '${what}' but no 'start' (its value before month 1)`
        : `series '${e.key}' needs 'value', {start, next} or {start, change}`;
      this.error("bad_series", message, e.keySpan, { path: e.path, hint });
      return undefined;
    }
    if (next) return { kind: "next", start: expr(start), next: expr(next) };
    if (change) return { kind: "stock", start: expr(start), change: expr(change) };
    this.error("bad_series", `series '${e.key}' has 'start' but neither 'next' nor 'change'`, start.keySpan, {
      path: e.path,
      hint,
    });
    return undefined;
  }

  /** `{schedule: {month: formula, …}, between: zero | step | linear}` as one formula (schedule.ts). */
  private schedule(owner: Entry, f: Map<string, Entry>): Expr {
    const sched = f.get("schedule");
    const betweenEntry = f.get("between");
    let between: Between = "zero";
    if (betweenEntry) {
      const mode = this.optionalString(betweenEntry);
      if (mode !== undefined && (BETWEEN_MODES as readonly string[]).includes(mode)) between = mode as Between;
      else if (mode !== undefined)
        this.error(
          "bad_schedule",
          `between must be one of ${BETWEEN_MODES.join(", ")}, got '${mode}'`,
          this.at(betweenEntry),
          {
            path: betweenEntry.path,
            hint: "zero: only at the listed months; step: hold each value until the next; linear: interpolate",
          },
        );
    }
    const whole = this.span(owner.value!);
    if (!sched) {
      this.error("bad_schedule", `'${owner.key}' has 'between' but no 'schedule'`, owner.keySpan, { path: owner.path });
      return placeholder(whole);
    }
    if (!isMap(sched.value) || sched.value.items.length === 0) {
      this.error(
        "bad_schedule",
        `a schedule is a mapping of months to values, got ${kindOf(sched.value)}`,
        this.at(sched),
        {
          path: sched.path,
          hint: "e.g. schedule: { 2024-10: 6.6B, 2025-04: 10B }",
        },
      );
      return placeholder(whole);
    }
    const entries: ScheduleEntry[] = [];
    let broken = false;
    const listed = this.entries(sched.value, sched.path);
    if (listed.length > MAX_SCHEDULE_ENTRIES) {
      // A schedule is one nested `if` per entry: bounded like any formula's depth.
      const past = listed[MAX_SCHEDULE_ENTRIES]!;
      this.error("too_deep", `a schedule holds at most ${MAX_SCHEDULE_ENTRIES} entries`, past.keySpan, {
        path: past.path,
        hint: "split it into several series and add them up",
      });
      return placeholder(whole);
    }
    for (const x of listed) {
      const t = this.scheduleMonth(x);
      const value = this.formula(x.value, x.path, x.keySpan);
      if (t === undefined || isPlaceholder(value)) {
        broken = true;
        continue;
      }
      const random = randomCallIn(value);
      if (random !== undefined) {
        this.error("bad_schedule", `a schedule entry cannot draw random numbers ('${random.name}')`, random.span, {
          path: x.path,
          hint: "draw the uncertain amount once in a param and use the param here",
        });
        broken = true;
      }
      const last = entries.at(-1);
      if (last !== undefined && t <= last.t) {
        this.error(
          "bad_schedule",
          `schedule months must increase: '${x.key}' comes after a later or equal month`,
          x.keySpan,
          {
            path: x.path,
            hint: "list the entries in date order, each month once",
          },
        );
        broken = true;
        continue;
      }
      if (between === "zero" && t < 1) {
        this.warn(
          "schedule_before_start",
          `schedule entry '${x.key}' is before the start, so it never happens`,
          x.keySpan,
          {
            path: x.path,
            hint: "with between: zero a value counts only in its own month; use step or linear to carry it into the run",
          },
        );
      }
      entries.push({ t, value, keySpan: x.keySpan });
    }
    return broken ? placeholder(whole) : scheduleFormula(entries, between, whole);
  }

  /** A schedule key: a month YYYY-MM (its t), or a whole number (t itself). */
  private scheduleMonth(x: Entry): number | undefined {
    const m = /^(\d{4})-(\d{1,2})$/.exec(x.key.trim());
    if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12)
      return monthToT({ year: Number(m[1]), month: Number(m[2]) }, this.startMonth ?? { year: 2000, month: 1 });
    if (/^-?\d+$/.test(x.key.trim())) return Number(x.key);
    this.error("bad_schedule", `expected a month as YYYY-MM (or a month number t), got '${x.key}'`, x.keySpan, {
      path: x.path,
      hint: m ? "months run from 01 to 12" : "e.g. 2025-04: 10B",
    });
    return undefined;
  }

  private levers(e: Entry | undefined): LeverDef[] {
    const out: LeverDef[] = [];
    for (const l of this.mapEntries(e, "levers")) {
      if (!isMap(l.value)) {
        this.error(
          "bad_lever",
          `lever '${l.key}' must be a mapping with label and set, got ${kindOf(l.value)}`,
          this.at(l),
          {
            path: l.path,
          },
        );
        continue;
      }
      const f = this.fields(l, LEVER_KEYS, "lever");
      const lever: LeverDef = {
        name: l.key,
        nameSpan: l.keySpan,
        label: this.optionalString(f.get("label")) ?? l.key,
        set: [],
        edits: [],
      };
      const description = this.optionalString(f.get("description"));
      if (description !== undefined) lever.description = description;
      const source = this.optionalString(f.get("source"));
      if (source !== undefined) lever.source = source;
      const set = f.get("set");
      if (!set && !f.get("add") && !f.get("scale")) {
        this.error(
          "missing_key",
          `lever '${l.key}' has no 'set', 'add' or 'scale' (the params and series it changes)`,
          l.keySpan,
          {
            path: l.path,
            hint: "set: { name: formula } replaces, add: { name: formula } adds, scale: { name: factor } multiplies",
          },
        );
      }
      for (const s of this.mapEntries(set, "set")) {
        const body = this.seriesBody(s, {});
        if (body) lever.set.push({ name: s.key, nameSpan: s.keySpan, body } satisfies LeverSet);
      }
      for (const op of ["add", "scale"] as const) {
        for (const x of this.mapEntries(f.get(op), op)) {
          const expr =
            op === "add" && isMap(x.value)
              ? this.schedule(x, this.fields(x, SCHEDULE_KEYS, "schedule"))
              : this.formula(x.value, x.path, x.keySpan);
          lever.edits.push({ op, name: x.key, nameSpan: x.keySpan, expr });
        }
      }
      out.push(lever);
    }
    return out;
  }

  private correlations(e: Entry | undefined): CorrelationDef[] {
    const out: CorrelationDef[] = [];
    if (!e) return out;
    if (!isSeq(e.value)) {
      this.error("bad_correlation", `correlations must be a list, got ${kindOf(e.value)}`, this.at(e), {
        path: e.path,
        hint: "e.g. - [growth, cost_decline, -0.3]",
      });
      return out;
    }
    e.value.items.forEach((item, i) => {
      const path = [...e.path, i];
      const node = item as Node;
      if (isSeq(node)) {
        const [a, b, rho] = node.items as Node[];
        if (node.items.length !== 3 || !isName(a) || !isName(b)) {
          this.error("bad_correlation", "expected a triple [param, param, rho]", this.span(node), { path });
          return;
        }
        const r = this.rho(rho!, path);
        if (r !== undefined) out.push({ a: String(a.value), b: String(b.value), rho: r, span: this.span(node) });
      } else if (isMap(node)) {
        this.matrix(node, path, out);
      } else {
        this.error(
          "bad_correlation",
          `expected [param, param, rho] or {params, matrix}, got ${kindOf(node)}`,
          this.span(node),
          {
            path,
          },
        );
      }
    });
    return out;
  }

  private matrix(node: YAMLMap, path: Path, out: CorrelationDef[]): void {
    const entry: Entry = { key: String(path.at(-1)), keySpan: this.span(node), value: node, path };
    const f = this.fields(entry, ["params", "matrix"], "correlation");
    const names = f.get("params") ? this.nameList(f.get("params")!) : [];
    const m = f.get("matrix");
    if (!m || !isSeq(m.value)) {
      this.error(
        "bad_correlation",
        "a correlation block needs 'params' and 'matrix' (a list of rows)",
        this.span(node),
        { path },
      );
      return;
    }
    const rows = m.value.items as Node[];
    if (rows.length !== names.length || rows.some((r) => !isSeq(r) || r.items.length !== names.length)) {
      this.error(
        "bad_correlation",
        `the matrix must be ${names.length} × ${names.length}, one row and column per param`,
        this.span(m.value),
        {
          path: m.path,
        },
      );
      return;
    }
    const values = rows.map((r, i) => (r as { items: Node[] }).items.map((c, j) => this.rho(c, [...m.path, i, j])));
    for (let i = 0; i < names.length; i++) {
      const diag = values[i]![i];
      if (diag !== undefined && diag !== 1) {
        this.error(
          "bad_correlation",
          `the matrix diagonal must be 1, got ${diag}`,
          this.span((rows[i] as { items: Node[] }).items[i]!),
          {
            path: [...m.path, i, i],
          },
        );
      }
      for (let j = i + 1; j < names.length; j++) {
        const [x, y] = [values[i]![j], values[j]![i]];
        if (x === undefined || y === undefined) continue;
        const cell = (rows[j] as { items: Node[] }).items[i]!;
        if (x !== y)
          this.error("bad_correlation", `the matrix must be symmetric: ${x} above, ${y} below`, this.span(cell), {
            path: [...m.path, j, i],
          });
        else out.push({ a: names[i]!.name, b: names[j]!.name, rho: x, span: this.span(cell) });
      }
    }
  }

  private rho(node: Node, path: Path): number | undefined {
    const v = this.numberValue(node);
    if (v === undefined || !(v >= -1 && v <= 1)) {
      const got = v === undefined ? describeNode(node) : String(v);
      this.error("bad_correlation", `a rank correlation must be a number in [-1, 1], got ${got}`, this.span(node), {
        path,
      });
      return undefined;
    }
    return v;
  }

  private actuals(e: Entry | undefined): ActualDef[] {
    const out: ActualDef[] = [];
    if (!e) return out;
    if (!isSeq(e.value)) {
      this.error("bad_actual", `actuals must be a list, got ${kindOf(e.value)}`, this.at(e), { path: e.path });
      return out;
    }
    e.value.items.forEach((item, i) => {
      const node = item as Node;
      const entry: Entry = { key: `actuals[${i}]`, keySpan: this.span(node), value: node, path: [...e.path, i] };
      if (!isMap(node)) {
        this.error("bad_actual", `expected {series, month, value, source}, got ${kindOf(node)}`, this.span(node), {
          path: entry.path,
        });
        return;
      }
      const f = this.fields(entry, ACTUAL_KEYS, "actual");
      const series = this.optionalString(f.get("series"));
      const event = this.optionalString(f.get("event"));
      const span = this.span(node);
      if ((series === undefined) === (event === undefined)) {
        this.error("bad_actual", "an actual names either a 'series' or an 'event'", span, { path: entry.path });
      }
      const monthEntry = f.get("month");
      const month = monthEntry
        ? this.month(monthEntry.value, monthEntry.path, "bad_month", monthEntry.keySpan)
        : this.missing(entry, "month", "the month it happened, YYYY-MM");
      const valueEntry = f.get("value");
      let value: number | undefined;
      if (!valueEntry) this.missing(entry, "value", "the figure, e.g. 3.7B");
      else {
        value = this.numberValue(valueEntry.value);
        if (value === undefined) {
          this.error(
            "bad_actual_value",
            `expected a number such as 3.7B, got ${describeNode(valueEntry.value)}`,
            this.at(valueEntry),
            {
              path: valueEntry.path,
              hint: "an actual is a figure that was reported, not a formula",
            },
          );
        }
      }
      const source = this.optionalString(f.get("source"));
      if (source === undefined && !f.get("source")) {
        this.error("missing_source", "an actual needs a 'source' saying where the figure was reported", span, {
          path: entry.path,
          hint: 'add e.g. source: "The Information, 2025-01-03"',
        });
      }
      if (month === undefined || value === undefined || source === undefined) return;
      const a: ActualDef = { month, value, source, span };
      if (series !== undefined) a.series = series;
      if (event !== undefined) a.event = event;
      const note = this.optionalString(f.get("note"));
      if (note !== undefined) a.note = note;
      out.push(a);
    });
    return out;
  }

  private sources(e: Entry | undefined): SourceDef[] {
    const out: SourceDef[] = [];
    if (!e) return out;
    if (!isSeq(e.value)) {
      this.error("bad_source", `sources must be a list of {id, title, url}, got ${kindOf(e.value)}`, this.at(e), {
        path: e.path,
      });
      return out;
    }
    e.value.items.forEach((item, i) => {
      const node = item as Node;
      const entry: Entry = { key: `sources[${i}]`, keySpan: this.span(node), value: node, path: [...e.path, i] };
      if (!isMap(node)) {
        this.error("bad_source", `expected {id, title, url}, got ${kindOf(node)}`, this.span(node), {
          path: entry.path,
        });
        return;
      }
      const f = this.fields(entry, SOURCE_KEYS, "source");
      const id = this.optionalString(f.get("id"));
      const title = this.optionalString(f.get("title"));
      if (id === undefined) this.missing(entry, "id", "a short name to cite");
      if (title === undefined) this.missing(entry, "title", "what the source is");
      if (id === undefined || title === undefined) return;
      const s: SourceDef = { id, title };
      const url = this.optionalString(f.get("url"));
      if (url !== undefined) s.url = url;
      out.push(s);
    });
    return out;
  }

  /** `report:` names, each once: a repeat is a warning and is left out. */
  private reportList(e: Entry): { name: string; span: Span }[] {
    const seen = new Set<string>();
    const out: { name: string; span: Span }[] = [];
    let repeats = 0;
    for (const r of this.nameList(e)) {
      if (!seen.has(r.name)) {
        seen.add(r.name);
        out.push(r);
      } else if (repeats++ === 0) {
        this.diagnostics.push({
          code: "duplicate_report",
          severity: "warning",
          message: `report: names '${r.name}' again`,
          span: r.span,
          hint: "each series is reported once; remove the repeats",
        });
      }
    }
    return out;
  }

  private nameList(e: Entry): { name: string; span: Span }[] {
    if (isScalar(e.value) && typeof e.value.value === "string")
      return [{ name: e.value.value, span: this.span(e.value) }];
    if (!isSeq(e.value)) {
      this.error("expected_list", `expected a list of names, got ${kindOf(e.value)}`, this.at(e), { path: e.path });
      return [];
    }
    const out: { name: string; span: Span }[] = [];
    e.value.items.forEach((item, i) => {
      const node = item as Node;
      if (isName(node)) out.push({ name: String(node.value), span: this.span(node) });
      else
        this.error("expected_list", `expected a name, got ${describeNode(node)}`, this.span(node), {
          path: [...e.path, i],
        });
    });
    return out;
  }

  /** The blocks kept in their own modules: rounds (lowered to series), views, checks, goals. */
  private extensions(s: Scenario, top: Map<string, Entry>): void {
    const tools = this.tools();
    const rounds = loadRounds(tools, top.get("rounds"), s.start, s.horizon);
    if (rounds.length > 0) {
      s.rounds = rounds;
      s.series.push(...lowerRounds(rounds, tools));
    }
    const views = top.get("views");
    if (views) {
      s.views = this.levers(views);
      for (const v of s.views)
        if (s.levers.some((l) => l.name === v.name))
          this.error("view_is_lever", `view '${v.name}' has the name of a lever`, v.nameSpan, {
            path: ["views", v.name],
            hint: "a view and a lever are switched by name: rename one",
          });
    }
    const checks = top.get("checks");
    if (checks) s.checks = loadChecks(tools, checks);
    const goals = top.get("goals");
    const goal = goals ? loadGoals(tools, goals) : undefined;
    if (goal) s.goals = goal;
    if (rounds.length > 0) roundWarnings(s, tools);
  }

  /** The loader's readers, for the blocks that live in their own modules. */
  tools(): LoaderTools {
    return {
      text: this.text,
      source: this.src,
      entries: (map, path) => this.entries(map, path),
      mapEntries: (e, what) => this.mapEntries(e, what),
      fields: (e, allowed, what) => this.fields(e, allowed, what),
      formula: (node, path, keySpan) => this.formula(node, path, keySpan),
      month: (node, path, code, keySpan) => this.month(node, path, code, keySpan),
      optionalString: (e) => this.optionalString(e),
      numberValue: (node) => this.numberValue(node),
      nameList: (e) => this.nameList(e),
      span: (node) => this.span(node),
      at: (e) => this.at(e),
      error: (code, message, span, extra) => this.error(code, message, span, extra),
      warn: (code, message, span, extra) => {
        this.error(code, message, span, extra);
        this.diagnostics.at(-1)!.severity = "warning";
      },
    };
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** The first `max` entries; one more is an error at the first entry past the bound. */
  private bounded(entries: Entry[], max: number, code: string, what: string): Entry[] {
    if (entries.length <= max) return entries;
    const past = entries[max]!;
    this.error(code, `more than ${max.toLocaleString("en-US")} ${what} (this is number ${max + 1})`, past.keySpan, {
      path: past.path,
      hint: `a scenario holds at most ${max.toLocaleString("en-US")} ${what}`,
    });
    return entries.slice(0, max);
  }

  /** The entries of a mapping-valued key; reports a non-mapping. */
  private mapEntries(e: Entry | undefined, what: string): Entry[] {
    if (!e || e.value === null) return [];
    if (!isMap(e.value)) {
      this.error("expected_mapping", `${what} must be a mapping of names, got ${kindOf(e.value)}`, this.at(e), {
        path: e.path,
      });
      return [];
    }
    return this.entries(e.value, e.path);
  }

  private entries(map: YAMLMap, path: Path): Entry[] {
    const out: Entry[] = [];
    const seen = new Set<string>();
    for (const pair of map.items) {
      const key = pair.key as Node | null;
      if (!isScalar(key) || key.value === null || typeof key.value === "object") {
        this.error("bad_key", "expected a plain key", key ? this.span(key) : this.span(map), { path });
        continue;
      }
      const name = String(key.value);
      if (this.hasControl(name, this.span(key), path)) continue;
      const value = (pair.value as Node | null) ?? null;
      if (value !== null && isAlias(value)) {
        this.error("yaml_alias", "YAML aliases (*name) are not supported in scenarios", this.span(value), {
          path: [...path, name],
        });
        continue;
      }
      if (seen.has(name)) {
        this.error("duplicate_key", `duplicate key '${name}'`, this.span(key), {
          hint: "each key may appear once in a mapping",
        });
        continue;
      }
      seen.add(name);
      out.push({ key: name, keySpan: this.span(key), value, path: [...path, name] });
    }
    return out;
  }

  /** Fields of a mapping, reporting keys not in `allowed`. */
  private fields(e: Entry, allowed: readonly string[], what: string): Map<string, Entry> {
    const out = new Map<string, Entry>();
    for (const f of this.entries(e.value as YAMLMap, e.path)) {
      if (allowed.includes(f.key)) out.set(f.key, f);
      else if (what === "param" && ["start", "next", "change"].includes(f.key)) {
        this.error(
          "bad_param",
          `param '${e.key}' has '${f.key}': a param is drawn once per path and does not change`,
          f.keySpan,
          {
            path: f.path,
            hint: "move it under series:",
          },
        );
        out.set(f.key, f);
      } else this.unknownKey(f, allowed, what);
    }
    return out;
  }

  private unknownKey(e: Entry, allowed: readonly string[], what: string): void {
    const hint = /[()+*/^]/.test(e.key)
      ? 'a comma inside { … } ends the value: quote the formula, e.g. next: "max(a, b)"'
      : (didYouMean(e.key, allowed) ?? `expected one of ${allowed.join(", ")}`);
    this.error("unknown_key", `unknown ${what} key '${e.key}'`, e.keySpan, { path: e.path, hint });
  }

  private sourced(f: Map<string, Entry>, out: Sourced): void {
    for (const k of ["source", "label", "unit"] as const) {
      const v = this.optionalString(f.get(k));
      if (v !== undefined) out[k] = v;
    }
  }

  private optionalString(e: Entry | undefined): string | undefined {
    if (!e) return undefined;
    if (isScalar(e.value) && (typeof e.value.value === "string" || typeof e.value.value === "number")) {
      const text = String(e.value.value);
      if (this.hasControl(text, this.span(e.value), e.path)) return undefined;
      return text;
    }
    this.error("expected_string", `expected text for '${e.key}', got ${kindOf(e.value)}`, this.at(e), { path: e.path });
    return undefined;
  }

  /**
   * Reports text holding a control character other than tab and line feed (a quoted YAML
   * string can spell ESC as "\e"): printed, it would drive the user's terminal.
   */
  private hasControl(text: string, span: Span, path: Path): boolean {
    // oxlint-disable-next-line no-control-regex -- control characters are what is looked for
    const m = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.exec(text);
    if (!m) return false;
    const code = m[0].charCodeAt(0).toString(16).padStart(4, "0");
    this.error("control_character", `text holds the control character \\u${code}`, span, {
      path,
      hint: "remove it; escape sequences are not allowed in names and labels",
    });
    return true;
  }

  private missing(e: Entry, key: string, what: string): undefined {
    this.error("missing_key", `missing '${key}' (${what})`, e.keySpan, { path: e.path });
    return undefined;
  }

  /** A plain number: a YAML number, or text like 3.7B, -30% or 1e9 (no names, no operators). */
  private numberValue(node: Node | null): number | undefined {
    if (!isScalar(node)) return undefined;
    if (typeof node.value === "number") return Number.isFinite(node.value) ? node.value : undefined;
    if (typeof node.value !== "string") return undefined;
    const tokens = tokenize(node.value);
    const sign = tokens[0]?.kind === "op" && tokens[0].text === "-" ? -1 : 1;
    const rest = sign === -1 ? tokens.slice(1) : tokens;
    if (rest.length !== 2 || rest[0]!.kind !== "number" || rest[1]!.kind !== "eof") return undefined;
    const n = rest[0]!;
    // The sign of a yearly rate belongs to the yearly figure: -10%/yr is a 10% yearly decline.
    if (n.annual === "rate" && sign === -1) {
      const v = monthlyRate(-n.yearly!);
      return Number.isFinite(v) ? v : undefined;
    }
    return sign * n.value!;
  }

  /** Parses the formula in a node; reports a non-formula and returns a placeholder. */
  private formula(node: Node | null, path: Path, keySpan: Span): Expr {
    if (isScalar(node) && (typeof node.value === "string" || typeof node.value === "number")) {
      const [start, end] = node.range!;
      const raw = this.text.slice(start, end);
      const value = typeof node.value === "string" ? node.value : raw;
      const mapOffset = alignOffsets(value, raw, start, node);
      const location = { source: this.src, mapOffset, path };
      const r = parseFormula(value, this.startMonth ? { ...location, start: this.startMonth } : location);
      if (r.expr) {
        this.diagnostics.push(...r.diagnostics);
        return r.expr;
      }
      if (typeof node.value === "number") return numberNode(node.value, raw, this.span(node));
      this.diagnostics.push(...r.diagnostics);
      return placeholder(this.span(node));
    }
    const span = node ? this.span(node) : keySpan;
    const hint =
      isMap(node) && path[0] === "params" ? "a param is a formula, or {value, source, label, unit}" : undefined;
    this.error(
      "expected_formula",
      `expected a formula, got ${describeNode(node)}`,
      span,
      hint ? { path, hint } : { path },
    );
    return placeholder(span);
  }

  private span(node: Node): Span {
    const r = node.range;
    return r ? this.src.span(r[0], r[1]) : fileSpan(this.file);
  }

  private at(e: Entry): Span {
    return e.value ? this.span(e.value) : e.keySpan;
  }

  private warn(code: string, message: string, span: Span, extra: { hint?: string; path?: Path } = {}): void {
    this.error(code, message, span, extra);
    this.diagnostics.at(-1)!.severity = "warning";
  }

  private error(code: string, message: string, span: Span, extra: { hint?: string; path?: Path } = {}): void {
    const d: Diagnostic = { code, severity: "error", message, span };
    if (extra.hint !== undefined) d.hint = extra.hint;
    if (extra.path !== undefined && extra.path.length > 0) d.path = extra.path;
    this.diagnostics.push(d);
  }
}

/**
 * Maps offsets in a scalar's value to offsets in the file. Plain scalars map one to one;
 * quoted ones are shifted past the quote; otherwise (escapes, folded lines, block scalars)
 * each value character is matched greedily to the next equal raw character, with any
 * whitespace matching any whitespace, which is exact for everything but escapes.
 */
function alignOffsets(value: string, raw: string, base: number, node: Scalar): (i: number) => number {
  if (raw === value) return (i) => base + i;
  const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
  if (quoted && raw.slice(1, -1) === value) return (i) => base + 1 + i;
  const table: number[] = [];
  let j = quoted ? 1 : node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED" ? raw.indexOf("\n") + 1 : 0;
  const space = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    let k = j;
    while (k < raw.length && raw[k] !== c && !(space(c) && space(raw[k]))) k++;
    if (k < raw.length) j = k + 1;
    table.push(k < raw.length ? k : Math.min(j, raw.length - 1));
  }
  return (i) => base + (i < table.length ? table[i]! : (table.at(-1) ?? -1) + 1 + (i - table.length));
}

function numberNode(value: number, raw: string, span: Span): Expr {
  const lit: Expr = { kind: "number", value: Math.abs(value), text: raw.replace(/^[-+]/, ""), span };
  return value < 0 ? { kind: "unary", op: "-", arg: lit, span } : lit;
}

function placeholder(span: Span): Expr {
  return { kind: "number", value: NaN, text: "<error>", span };
}

function isName(node: Node | undefined | null): node is Scalar {
  return isScalar(node) && typeof node.value === "string" && node.value.length > 0;
}

export function kindOf(node: Node | null | undefined): string {
  if (node === null || node === undefined) return "nothing";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    if (node.value === null) return "nothing";
    return typeof node.value === "string"
      ? "text"
      : `${typeof node.value === "number" ? "the number" : ""} ${String(node.value)}`.trim();
  }
  return "an alias";
}

export function describeNode(node: Node | null | undefined): string {
  if (isScalar(node) && typeof node.value === "string") return `'${node.value}'`;
  return kindOf(node);
}

function lowerFirst(s: string): string {
  return s.length > 1 && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}
