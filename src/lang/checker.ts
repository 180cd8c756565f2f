// The checker: resolves every name, checks arities and constant arguments, and orders params
// and series so that each is computed after what it reads in the same month. It collects
// every problem instead of stopping at the first (as Squiggle returns a list).
//
// Dependencies form two graphs: params read params (drawn once per path), series read
// series in the same month (a reference inside prev() reads last month and adds no edge).
// Because a lever replaces formulas while the rest of the model stays, the order must be
// valid for every combination of levers; the graph is therefore the union of the base edges
// and every lever's replacement edges, and one topological order of the union serves all.
// Strongly connected components (Tarjan, 1972) find the cycles; each is reported once with
// its whole path, found by a breadth-first search inside the component.

import type { Expr } from "./ast.js";
import { BUILTIN_BY_NAME, BUILTINS, isRandomCall, RESERVED_NAMES } from "./builtins.js";
import { CALENDAR_NAMES } from "./calendar.js";
import type { Diagnostic, Span } from "./diagnostics.js";
import { KEYWORDS } from "./lexer.js";
import type { LeverDef, Model, ParamDef, Scenario, SeriesBody, SeriesDef } from "./model.js";
import { tieFactor } from "./discrete.js";
import { formatNumber } from "./print.js";
import { isPlaceholder } from "./scenario.js";
import { checkReportBlocks } from "./report-blocks.js";
import { MAX_HORIZON } from "./scenario.js";
import { closestNames, didYouMean } from "./suggest.js";

/** The result of checking: a Model when no error was found, and every diagnostic. */
export interface CheckResult {
  model?: Model;
  diagnostics: Diagnostic[];
}

/** Most levers an analysis combines (all 2^k combinations). */
export const MAX_LEVERS = 8;

/** Checks names, arities, constant arguments and dependencies; orders params and series. */
export function checkScenario(scenario: Scenario): CheckResult {
  return new Checker(scenario).run();
}

/** What a formula is part of: decides which names it may read. */
type Role = "param" | "series" | "start" | "condition";

interface Edge {
  span: Span;
  lever?: string;
}
type Graph = Map<string, Map<string, Edge>>;

interface Context {
  role: Role;
  /** The param or series being defined, or the key ("alive", "breakeven"). */
  owner: string;
  /** Same-month dependencies found so far (params for params, series for series). */
  deps?: Map<string, Edge>;
  lever?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

class Checker {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly params = new Map<string, ParamDef>();
  private readonly series = new Map<string, SeriesDef>();
  private readonly usedParams = new Set<string>();
  private readonly paramGraph: Graph = new Map();
  private readonly seriesGraph: Graph = new Map();

  constructor(private readonly s: Scenario) {}

  run(): CheckResult {
    this.declare();
    for (const p of this.s.params)
      this.walk(p.expr, { role: "param", owner: p.name, deps: this.edges(this.paramGraph, p.name) });
    for (const x of this.s.series) this.body(x.name, x, undefined);
    this.walk(this.s.alive, { role: "condition", owner: "alive" });
    if (this.s.breakEven) this.walk(this.s.breakEven, { role: "condition", owner: "breakeven" });
    for (const l of this.s.levers) this.lever(l);
    for (const v of this.s.views ?? []) this.lever(v);
    const params = this.order(this.paramGraph, this.s.params, "param");
    const series = this.order(this.seriesGraph, this.s.series, "series");
    const reported = this.reported();
    const shortfall = this.shortfall();
    this.correlations();
    this.actuals();
    this.diagnostics.push(
      ...checkReportBlocks(
        this.s,
        (n) => this.params.has(n),
        (n) => this.series.has(n),
        (n) => this.usedParams.add(n),
      ),
    );
    for (const p of this.s.params) {
      if (!this.usedParams.has(p.name) && this.params.get(p.name) === p) {
        this.warn("unused_param", `param '${p.name}' is never used`, p.nameSpan, "use it in a formula, or remove it");
      }
    }
    if (this.diagnostics.some((d) => d.severity === "error")) return { diagnostics: this.diagnostics };
    const model: Model = { scenario: this.s, params, series, reported, levers: this.s.levers, horizon: this.s.horizon };
    if (shortfall !== undefined) model.shortfall = shortfall;
    return { model, diagnostics: this.diagnostics };
  }

  // ---- declarations ------------------------------------------------------------------------

  private declare(): void {
    const paramCount = this.s.params.length;
    [...this.s.params, ...this.s.series].forEach((def, i) => {
      const kind = i < paramCount ? "param" : "series";
      if (!NAME.test(def.name)) {
        this.error(
          "bad_name",
          `'${def.name}' is not a valid name`,
          def.nameSpan,
          "use letters, digits and _, starting with a letter",
        );
      } else if (KEYWORDS.has(def.name) || (RESERVED_NAMES as readonly string[]).includes(def.name)) {
        this.error(
          "reserved_name",
          `'${def.name}' is reserved (${reservedWhat(def.name)}); choose another name`,
          def.nameSpan,
        );
      } else if ((CALENDAR_NAMES as readonly string[]).includes(def.name)) {
        this.warn(
          "shadows_calendar",
          `${kind} '${def.name}' hides the calendar name '${def.name}' (${def.name === "year" ? "the current month's year" : "the current month, 1 to 12"})`,
          def.nameSpan,
          `formulas that read '${def.name}' get the ${kind}; rename it to use the calendar`,
        );
      } else if (BUILTIN_BY_NAME.has(def.name)) {
        // A name and a call are told apart by the parentheses, so this is legal but confusing.
        this.warn(
          "shadows_builtin",
          `${kind} '${def.name}' has the name of the built-in ${BUILTIN_BY_NAME.get(def.name)!.signature}`,
          def.nameSpan,
          `'${def.name}' reads the ${kind}, '${def.name}(…)' still calls the built-in; rename it to silence this`,
        );
      }
      if (this.params.has(def.name) || this.series.has(def.name)) {
        const first = this.params.get(def.name) ?? this.series.get(def.name)!;
        const where = `${first.nameSpan.start.line}:${first.nameSpan.start.column}`;
        this.error(
          "duplicate_name",
          `'${def.name}' is defined twice (first at ${where})`,
          def.nameSpan,
          "params and series share one namespace",
        );
        return;
      }
      if (kind === "param") this.params.set(def.name, def as ParamDef);
      else this.series.set(def.name, def as SeriesDef);
    });
  }

  private body(name: string, body: SeriesBody, lever: string | undefined): void {
    const ctx: Context = { role: "series", owner: name, deps: this.edges(this.seriesGraph, name) };
    if (lever !== undefined) ctx.lever = lever;
    const start: Context = { role: "start", owner: name };
    switch (body.kind) {
      case "formula":
        this.walk(body.expr, ctx);
        break;
      case "next":
        this.walk(body.start, start);
        this.walk(body.next, ctx);
        break;
      case "stock":
        this.walk(body.start, start);
        this.walk(body.change, ctx);
        break;
      default:
        throw new Error(`internal: ${body satisfies never}`);
    }
  }

  private lever(l: LeverDef): void {
    for (const set of l.set) {
      if (this.params.has(set.name)) {
        if (set.body.kind !== "formula") {
          this.error(
            "lever_param_series",
            `lever '${l.name}' gives param '${set.name}' a series body ({start, ${set.body.kind === "next" ? "next" : "change"}})`,
            set.nameSpan,
            "a param takes a formula; to change a series, set the series",
          );
          continue;
        }
        const ctx: Context = {
          role: "param",
          owner: set.name,
          deps: this.edges(this.paramGraph, set.name),
          lever: l.name,
        };
        this.walk(set.body.expr, ctx);
      } else if (this.series.has(set.name)) {
        this.body(set.name, set.body, l.name);
      } else {
        const hint = didYouMean(set.name, [...this.params.keys(), ...this.series.keys()]);
        this.error(
          "unknown_name",
          `lever '${l.name}' sets unknown name '${set.name}'`,
          set.nameSpan,
          hint ?? "a lever sets params and series",
        );
      }
    }
    for (const edit of l.edits) {
      if (this.params.has(edit.name)) {
        const deps = this.edges(this.paramGraph, edit.name);
        this.walk(edit.expr, { role: "param", owner: edit.name, deps, lever: l.name });
      } else if (this.series.has(edit.name)) {
        const deps = this.edges(this.seriesGraph, edit.name);
        this.walk(edit.expr, { role: "series", owner: edit.name, deps, lever: l.name });
      } else {
        const hint = didYouMean(edit.name, [...this.params.keys(), ...this.series.keys()]);
        this.error(
          "unknown_name",
          `lever '${l.name}' edits unknown name '${edit.name}'`,
          edit.nameSpan,
          hint ?? `a lever's ${edit.op} names params and series`,
        );
      }
    }
    // One edit per name in a lever: two would need an order that the file does not show.
    const seen = new Map<string, { how: string; span: Span }>();
    const edits = [
      ...l.set.map((x) => ({ name: x.name, span: x.nameSpan, how: "set" })),
      ...l.edits.map((x) => ({ name: x.name, span: x.nameSpan, how: x.op })),
    ];
    for (const x of edits) {
      const first = seen.get(x.name);
      if (first === undefined) {
        seen.set(x.name, x);
        continue;
      }
      const where = `${first.span.start.line}:${first.span.start.column}`;
      this.error(
        "lever_edits_twice",
        `lever '${l.name}' edits '${x.name}' twice (${first.how} at ${where}, then ${x.how})`,
        x.span,
        "make one edit per name in a lever: fold them into one formula, or split them into two levers",
      );
    }
    if (l === this.s.levers[MAX_LEVERS]) {
      this.warn(
        "too_many_levers",
        `${this.s.levers.length} levers; analyses combine at most ${MAX_LEVERS}`,
        l.nameSpan,
        "levers beyond the eighth are left out of `levers` analyses",
      );
    }
  }

  // ---- formulas ----------------------------------------------------------------------------

  /** Walks a whole formula: names and calls, then constant parts that are not finite numbers. */
  private walk(e: Expr, ctx: Context): void {
    this.visit(e, ctx);
    this.finite(e);
  }

  /**
   * The value of a constant formula (numbers and arithmetic), reporting the smallest constant
   * part whose value is not a finite number though its operands are (`2^1024`, `(-1)^0.5`,
   * `.inf`): such a formula would stop every run. Undefined when not constant.
   */
  private finite(e: Expr): number | undefined {
    let v: number | undefined;
    switch (e.kind) {
      case "number":
        if (isPlaceholder(e)) return undefined;
        v = e.value;
        if (!Number.isFinite(v)) this.error("not_finite", `the number ${e.text} is not finite`, e.span);
        return v;
      case "unary": {
        const a = this.finite(e.arg);
        if (a === undefined || !Number.isFinite(a)) return undefined;
        v = e.op === "-" ? -a : undefined;
        break;
      }
      case "binary": {
        const [a, b] = [this.finite(e.left), this.finite(e.right)];
        if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) return undefined;
        v = arithmetic(e.op, a, b);
        break;
      }
      case "call":
        for (const a of e.args) this.finite(a);
        return undefined;
      case "range":
        this.finite(e.lo);
        this.finite(e.hi);
        return undefined;
      default:
        return undefined;
    }
    if (v !== undefined && !Number.isFinite(v)) {
      const what = Number.isNaN(v) ? "not a number" : v > 0 ? "Infinity" : "-Infinity";
      this.error("not_finite", `this part of the formula is ${what}`, e.span, "every value must be a finite number");
    }
    return v;
  }

  private visit(e: Expr, ctx: Context): void {
    switch (e.kind) {
      case "number":
        return;
      case "name":
        return this.name(e.name, e.span, ctx);
      case "unary":
        return this.visit(e.arg, ctx);
      case "binary":
        this.visit(e.left, ctx);
        return this.visit(e.right, ctx);
      case "range": {
        this.visit(e.lo, ctx);
        this.visit(e.hi, ctx);
        const [lo, hi] = [constValue(e.lo), constValue(e.hi)];
        if (lo !== undefined && hi !== undefined && !(lo < hi)) {
          const msg = `'a to b' needs a < b, got ${formatNumber(lo)} to ${formatNumber(hi)}`;
          this.error("bad_range", msg, e.span, "a to b is a 90% interval: its 5th and 95th percentiles");
        }
        return;
      }
      case "call":
        return this.call(e, ctx);
      default:
        throw new Error(`internal: ${e satisfies never}`);
    }
  }

  private name(name: string, span: Span, ctx: Context): void {
    if (name === "pi") return;
    if (name === "t") {
      if (ctx.role === "param") {
        this.error(
          "param_uses_t",
          `param '${ctx.owner}' uses t, the month`,
          span,
          "a param is drawn once per path, before any month; move it under series:",
        );
      } else if (ctx.role === "start") {
        this.error(
          "start_uses_t",
          `the start of series '${ctx.owner}' uses t`,
          span,
          "a start value is the value before month 1",
        );
      }
      return;
    }
    if (this.params.has(name)) {
      this.usedParams.add(name);
      if (ctx.role === "param") this.addEdge(ctx, name, span);
      return;
    }
    if ((CALENDAR_NAMES as readonly string[]).includes(name) && !this.series.has(name)) {
      if (ctx.role === "param" || ctx.role === "start") {
        const where = ctx.role === "param" ? `param '${ctx.owner}'` : `the start of series '${ctx.owner}'`;
        this.error(
          ctx.role === "param" ? "param_uses_t" : "start_uses_t",
          `${where} uses ${name}, the calendar of the current month`,
          span,
          ctx.role === "param"
            ? "a param is drawn once per path, before any month; move it under series:"
            : "a start value is the value before month 1",
        );
      }
      return;
    }
    if (this.series.has(name)) {
      if (ctx.role === "param") {
        this.error(
          "param_uses_series",
          `param '${ctx.owner}' uses series '${name}'`,
          span,
          "a param is drawn once per path and cannot read a monthly series; make it a series",
        );
      } else if (ctx.role === "start") {
        this.error(
          "start_uses_series",
          `the start of series '${ctx.owner}' uses series '${name}'`,
          span,
          "a start value may use params and numbers only",
        );
      } else if (ctx.role === "series") this.addEdge(ctx, name, span);
      return;
    }
    const b = BUILTIN_BY_NAME.get(name);
    if (b) {
      this.error("function_as_value", `'${name}' is a function; call it as ${b.signature}`, span);
      return;
    }
    const hint =
      name === "yr"
        ? "for a yearly figure glue /yr to the number: 4B/yr (an amount), 30%/yr (a rate)"
        : didYouMean(name, this.knownNames());
    this.error(
      "unknown_name",
      `unknown name '${name}'`,
      span,
      hint ?? "names are params, series, t, year, month and pi",
    );
  }

  private call(e: Extract<Expr, { kind: "call" }>, ctx: Context): void {
    const b = BUILTIN_BY_NAME.get(e.callee);
    if (!b) {
      for (const a of e.args) this.visit(a, ctx);
      if (this.params.has(e.callee) || this.series.has(e.callee)) {
        const what = this.params.has(e.callee) ? "param" : "series";
        this.error(
          "not_a_function",
          `'${e.callee}' is a ${what}, not a function`,
          e.calleeSpan,
          `write ${e.callee} without parentheses`,
        );
        return;
      }
      const close = closestNames(
        e.callee,
        BUILTINS.map((x) => x.name),
      );
      const hint =
        close.length > 0
          ? `did you mean ${close.map((c) => `'${c}'`).join(" or ")}?`
          : `expected one of ${BUILTINS.map((x) => x.name).join(", ")}`;
      this.error("unknown_function", `unknown function '${e.callee}'`, e.calleeSpan, hint);
      return;
    }
    const n = e.args.length;
    if (n < b.minArgs || n > b.maxArgs) {
      const count =
        b.minArgs === b.maxArgs
          ? plural(b.minArgs)
          : b.maxArgs === Infinity
            ? `at least ${plural(b.minArgs)}`
            : `${b.minArgs} to ${b.maxArgs} arguments`;
      this.error("wrong_arity", `${b.name} expects ${count} (${b.signature}), got ${n}`, e.span);
    }
    if (b.name === "prev") return this.prev(e, ctx);
    const rate = e.args[0];
    if (b.name === "decay" && rate?.kind === "number" && /^[^-].*%\/yr$/.test(rate.text)) {
      this.warn(
        "decay_of_yearly_rate",
        `decay(${rate.text}) declines by less than ${rate.text.replace("/yr", "")} a year: ${rate.text} is a growth rate`,
        rate.span,
        `for a yearly decline write growth(-${rate.text})`,
      );
    }
    for (const a of e.args) this.visit(a, ctx);
    if (b.checkConstantArgs && n >= b.minArgs && n <= b.maxArgs) {
      const values = e.args.map(constValue);
      const message = b.checkConstantArgs(values);
      if (message !== undefined) {
        // Blame the first argument that is wrong on its own; else the whole call.
        const alone = values.findIndex(
          (v, i) =>
            v !== undefined && b.checkConstantArgs!(values.map((w, j) => (j === i ? w : undefined))) !== undefined,
        );
        const span = alone >= 0 ? e.args[alone]!.span : e.span;
        this.error("bad_argument", message, span, `${b.signature}: ${b.summary}`);
      }
    }
  }

  private prev(e: Extract<Expr, { kind: "call" }>, ctx: Context): void {
    const arg = e.args[0];
    if (!arg) return;
    const lag = e.args[1] ? this.lag(e, e.args[1], ctx) : 1;
    if (arg.kind !== "name") {
      this.visit(arg, ctx);
      const inner = arg.kind === "call" && arg.callee === "prev" ? arg : undefined;
      const innerLag = inner?.args[1] === undefined ? 1 : constValue(inner.args[1]);
      const hint =
        inner?.args[0]?.kind === "name" && innerLag !== undefined && lag !== undefined
          ? `for ${inner.args[0].name} ${innerLag + lag} months back write prev(${inner.args[0].name}, ${innerLag + lag})`
          : "e.g. prev(cash), or prev(cash, 3) for three months back";
      this.error("prev_needs_name", "prev takes the name of a series, not a formula", arg.span, hint);
      return;
    }
    const name = arg.name;
    if (this.series.has(name)) {
      if (ctx.role === "series") this.prevStart(name, arg.span, ctx);
      if (ctx.role === "param")
        this.error(
          "param_uses_series",
          `param '${ctx.owner}' uses series '${name}'`,
          arg.span,
          "a param is drawn once per path and cannot read a monthly series",
        );
      else if (ctx.role === "start")
        this.error(
          "start_uses_series",
          `the start of series '${ctx.owner}' uses prev(${name})`,
          arg.span,
          "a start value is the value before month 1",
        );
      return;
    }
    if (this.params.has(name) || name === "t" || name === "pi") {
      if (this.params.has(name)) this.usedParams.add(name);
      const what = this.params.has(name) ? `'${name}' is a param, not a series` : `'${name}' is not a series`;
      this.error(
        "prev_not_series",
        `prev(${name}): ${what}`,
        arg.span,
        `a param keeps its value every month; write ${name}`,
      );
      return;
    }
    const hint = didYouMean(name, this.series.keys());
    this.error("unknown_name", `unknown name '${name}'`, arg.span, hint ?? "prev takes the name of a series");
  }

  /**
   * prev(x) at month 1 reads x's start, so every body of x that can be in force while this
   * formula is must have one. A formula inside lever L's change sees L's body of x (when L sets
   * x) or any later lever's; a formula of the base model, or of a lever that leaves x alone, may
   * see x's base body or any lever's.
   */
  private prevStart(name: string, span: Span, ctx: Context): void {
    const bodies = (this.bodiesOf ??= this.leverBodies()).get(name) ?? [];
    const base = this.series.get(name)!;
    const from = ctx.lever === undefined ? -1 : bodies.findIndex((b) => b.lever === ctx.lever);
    const possible = from >= 0 ? bodies.slice(from) : [{ lever: undefined, kind: base.kind }, ...bodies];
    const bad = possible.find((b) => b.kind === "formula");
    if (!bad) return;
    const when =
      bad.lever !== undefined
        ? ` with lever '${bad.lever}' on`
        : bodies.length > 0
          ? ` with no lever on that gives it one`
          : "";
    this.error(
      "prev_needs_start",
      `prev(${name}) at month 1 needs a start value, but '${name}' is a plain formula${when}`,
      span,
      `give '${name}' a start: { start: …, next: … }`,
    );
  }

  private bodiesOf: Map<string, { lever: string | undefined; kind: SeriesBody["kind"] }[]> | undefined;

  /** Per series, the bodies levers give it, in lever order. */
  private leverBodies(): Map<string, { lever: string | undefined; kind: SeriesBody["kind"] }[]> {
    const out = new Map<string, { lever: string | undefined; kind: SeriesBody["kind"] }[]>();
    for (const l of this.s.levers)
      for (const set of l.set) {
        if (!this.series.has(set.name)) continue;
        const list = out.get(set.name) ?? [];
        list.push({ lever: l.name, kind: set.body.kind });
        out.set(set.name, list);
      }
    return out;
  }

  /** The lag k of prev(x, k): a whole constant ≥ 1; undefined (and an error) otherwise. */
  private lag(call: Extract<Expr, { kind: "call" }>, k: Expr, ctx: Context): number | undefined {
    const v = constValue(k);
    if (v === undefined) this.visit(k, ctx);
    const what = `prev(x, k) reads x k months back`;
    if (v === undefined || !Number.isInteger(v) || v < 1) {
      const got = v === undefined ? "a formula" : formatNumber(v);
      this.error(
        "bad_lag",
        `the lag of prev must be a whole number of months, 1 or more, written as a constant; got ${got}`,
        k.span,
        `${what}: e.g. prev(revenue, 3)`,
      );
      return undefined;
    }
    if (v > MAX_HORIZON) {
      this.error(
        "bad_lag",
        `a lag of ${formatNumber(v)} months is longer than any horizon (at most ${MAX_HORIZON})`,
        k.span,
        what,
      );
      return undefined;
    }
    if (v >= this.s.horizon) {
      this.warn(
        "lag_beyond_horizon",
        `a lag of ${v} months reaches before the start in every month of this ${this.s.horizon}-month horizon`,
        call.span,
        "so it always reads the series' start; use the start's value instead, or a shorter lag",
      );
    }
    return v;
  }

  private knownNames(): string[] {
    return [
      ...this.params.keys(),
      ...this.series.keys(),
      ...RESERVED_NAMES,
      ...CALENDAR_NAMES,
      ...BUILTINS.map((b) => b.name),
    ];
  }

  // ---- dependency order --------------------------------------------------------------------

  private edges(graph: Graph, name: string): Map<string, Edge> {
    let m = graph.get(name);
    if (!m) graph.set(name, (m = new Map()));
    return m;
  }

  private addEdge(ctx: Context, to: string, span: Span): void {
    if (!ctx.deps || ctx.deps.has(to)) return;
    const edge: Edge = { span };
    if (ctx.lever !== undefined) edge.lever = ctx.lever;
    ctx.deps.set(to, edge);
  }

  /** Declaration order, stably rearranged so each item follows what it reads; reports cycles. */
  private order<T extends { name: string }>(graph: Graph, defs: T[], kind: "param" | "series"): T[] {
    const index = new Map(defs.map((d, i) => [d.name, i]));
    for (const scc of stronglyConnected(
      defs.map((d) => d.name),
      graph,
    )) {
      const self = scc.length === 1 && graph.get(scc[0]!)?.has(scc[0]!);
      if (scc.length > 1 || self) this.cycle(scc, graph, index, kind);
    }
    // Kahn's algorithm, always taking the earliest declared ready item (a binary heap of
    // declaration indices, so n items take O(n log n) rather than a scan per pick). Items left
    // on a cycle (already reported) follow in declaration order.
    const waiting = defs.map(() => 0);
    const readers = defs.map((): number[] => []);
    defs.forEach((d, i) => {
      for (const x of graph.get(d.name)?.keys() ?? []) {
        const j = index.get(x);
        if (j === undefined || x === d.name || defs[j]!.name !== x) continue;
        waiting[i]!++;
        readers[j]!.push(i);
      }
    });
    const ready = new MinHeap();
    waiting.forEach((w, i) => {
      if (w === 0) ready.push(i);
    });
    const out: T[] = [];
    const placed = new Uint8Array(defs.length);
    let next = 0;
    while (out.length < defs.length) {
      let i = ready.pop();
      if (i === undefined) {
        while (placed[next]) next++;
        i = next;
      }
      if (placed[i]) continue;
      placed[i] = 1;
      out.push(defs[i]!);
      for (const r of readers[i]!) if (--waiting[r]! === 0 && !placed[r]) ready.push(r);
    }
    return out;
  }

  private cycle(scc: string[], graph: Graph, index: Map<string, number>, kind: "param" | "series"): void {
    const members = new Set(scc);
    const first = [...scc].sort((a, b) => index.get(a)! - index.get(b)!)[0]!;
    // Shortest path from `first` back to itself within the component.
    const parent = new Map<string, string>();
    const queue = [first];
    let last: string | undefined;
    search: for (let q = 0; q < queue.length; q++) {
      const x = queue[q]!;
      for (const y of [...(graph.get(x)?.keys() ?? [])].sort((a, b) => index.get(a)! - index.get(b)!)) {
        if (!members.has(y)) continue;
        if (y === first) {
          last = x;
          break search;
        }
        if (!parent.has(y)) {
          parent.set(y, x);
          queue.push(y);
        }
      }
    }
    if (last === undefined) throw new Error("internal: a strongly connected component without a cycle");
    const path = [last];
    while (path[0] !== first) path.unshift(parent.get(path[0]!)!);
    const names = [...path, first];
    const closing = graph.get(last)!.get(first)!;
    const levers = [
      ...new Set(
        names
          .slice(0, -1)
          .map((n, i) => graph.get(n)!.get(names[i + 1]!)!.lever)
          .filter((l) => l !== undefined),
      ),
    ];
    const isView = (l: string) => this.s.views?.some((v) => v.name === l) === true;
    const withLevers =
      levers.length > 0 ? ` (with ${levers.map((l) => `${isView(l) ? "view" : "lever"} '${l}'`).join(", ")} on)` : "";
    const advice = kind === "series" ? `use prev(${first}) to refer to last month` : "a param cannot depend on itself";
    this.error(
      "cycle",
      `cycle: ${names.join(" -> ")}${withLevers}; ${advice}`,
      closing.span,
      kind === "series" ? `write prev(${first}) here` : undefined,
    );
  }

  // ---- the rest ----------------------------------------------------------------------------

  private reported(): string[] {
    if (!this.s.report) return this.s.series.filter((x) => x.hidden !== true).map((x) => x.name);
    const out: string[] = [];
    for (const r of this.s.report) if (this.knownSeries(r.name, r.span, "report")) out.push(r.name);
    return out;
  }

  private shortfall(): string | undefined {
    const sf = this.s.shortfall;
    if (sf) return this.knownSeries(sf.name, sf.span, "shortfall") ? sf.name : undefined;
    return this.series.has("cash") ? "cash" : undefined;
  }

  private knownSeries(name: string, span: Span, where: string): boolean {
    if (this.series.has(name)) return true;
    if (this.params.has(name)) {
      this.error(
        "unknown_series",
        `${where} names '${name}', which is a param, not a series`,
        span,
        "a param does not change month to month",
      );
    } else {
      this.error(
        "unknown_series",
        `${where} names unknown series '${name}'`,
        span,
        didYouMean(name, this.series.keys()) ?? `series are ${[...this.series.keys()].join(", ") || "(none)"}`,
      );
    }
    return false;
  }

  private correlations(): void {
    const seen = new Set<string>();
    for (const c of this.s.correlations) {
      let ok = true;
      for (const name of [c.a, c.b]) {
        const p = this.params.get(name);
        if (!p) {
          ok = false;
          const what = this.series.has(name)
            ? `'${name}' is a series; correlations are between params`
            : `unknown param '${name}'`;
          this.error("unknown_name", `correlation names ${what}`, c.span, didYouMean(name, this.params.keys()));
        } else if (!isDistribution(p.expr)) {
          ok = false;
          this.error(
            "not_a_distribution",
            `correlated param '${name}' must be a single distribution, such as normal(0, 1) or 2 to 5`,
            c.span,
            "rank correlation reorders one distribution's draws",
          );
        }
      }
      if (c.a === c.b) this.error("bad_correlation", `a param cannot be correlated with itself ('${c.a}')`, c.span);
      else if (ok) this.discreteCorrelation(c);
      const key = [c.a, c.b].sort().join("\u0000");
      if (ok && seen.has(key))
        this.warn(
          "duplicate_correlation",
          `the correlation of '${c.a}' and '${c.b}' is given twice; the last one wins`,
          c.span,
        );
      seen.add(key);
    }
  }

  /** Warns when ties of a discrete param keep a correlation from what was asked (discrete.ts). */
  private discreteCorrelation(c: Scenario["correlations"][number]): void {
    const factors = [c.a, c.b].map((n) => ({ name: n, f: tieFactor(this.params.get(n)!.expr) }));
    const discrete = factors.filter((x) => x.f !== undefined && x.f < 1);
    const cap = discrete.reduce((m, x) => m * x.f!, 1);
    // Only where the shortfall shows in the second decimal.
    if (discrete.length === 0 || Math.abs(c.rho) * (1 - cap) < 0.005) return;
    const names = discrete.map((x) => `'${x.name}'`).join(" and ");
    const round = (x: number) => x.toFixed(3).replace(/0+$/, "").replace(/\.$/, "");
    this.warn(
      "discrete_correlation",
      `${names} ${discrete.length === 1 ? "is" : "are"} discrete: a rank correlation of '${c.a}' and '${c.b}' can reach only −${round(cap)} to ${round(cap)}, so ${c.rho} will come out near ${round(c.rho * cap)}`,
      c.span,
      "ties among a discrete param's values cap its rank correlations; `outlast run --verbose` prints the achieved ones",
    );
  }

  private actuals(): void {
    for (const a of this.s.actuals) {
      if (a.series !== undefined && !this.series.has(a.series)) {
        this.error(
          "unknown_series",
          `actual names unknown series '${a.series}'`,
          a.span,
          didYouMean(a.series, this.series.keys()),
        );
      }
    }
  }

  private error(code: string, message: string, span: Span, hint?: string): void {
    this.push("error", code, message, span, hint);
  }

  private warn(code: string, message: string, span: Span, hint?: string): void {
    this.push("warning", code, message, span, hint);
  }

  private push(
    severity: Diagnostic["severity"],
    code: string,
    message: string,
    span: Span,
    hint: string | undefined,
  ): void {
    const d: Diagnostic = { code, severity, message, span };
    if (hint !== undefined) d.hint = hint;
    this.diagnostics.push(d);
  }
}

/** a op b for the arithmetic operators; undefined for the others (comparisons, and/or). */
function arithmetic(op: string, a: number, b: number): number | undefined {
  if (op === "+") return a + b;
  if (op === "-") return a - b;
  if (op === "*") return a * b;
  if (op === "/") return a / b;
  if (op === "^") return a ** b;
  return undefined;
}

/** The value of a formula made of numbers and arithmetic only, when finite; else undefined. */
export function constValue(e: Expr): number | undefined {
  let v: number | undefined;
  switch (e.kind) {
    case "number":
      v = e.value;
      break;
    case "unary": {
      const a = constValue(e.arg);
      v = a === undefined ? undefined : e.op === "-" ? -a : undefined;
      break;
    }
    case "binary": {
      const [a, b] = [constValue(e.left), constValue(e.right)];
      if (a === undefined || b === undefined) return undefined;
      v = arithmetic(e.op, a, b);
      break;
    }
    default:
      return undefined;
  }
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

function isDistribution(e: Expr): boolean {
  return e.kind === "range" || (e.kind === "call" && isRandomCall(e.callee) && e.callee !== "event");
}

function plural(n: number): string {
  return n === 1 ? "1 argument" : `${n} arguments`;
}

function reservedWhat(name: string): string {
  if (name === "t") return "the month, 1..horizon";
  if (name === "pi") return "the constant π";
  if (KEYWORDS.has(name)) return "an operator";
  return `the built-in ${BUILTIN_BY_NAME.get(name)!.signature}`;
}

/**
 * Tarjan's strongly connected components, in a deterministic order. Iterative (an explicit
 * stack of frames), so a chain of 100,000 params that read each other is no deeper for the
 * JavaScript stack than one.
 */
function stronglyConnected(nodes: string[], graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  const known = new Set(nodes);
  const frames: { v: string; edges: Iterator<string> }[] = [];
  const enter = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    frames.push({ v, edges: (graph.get(v)?.keys() ?? [].values())[Symbol.iterator]() });
  };
  for (const n of nodes) {
    if (index.has(n)) continue;
    enter(n);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const v = frame.v;
      const step = frame.edges.next();
      if (!step.done) {
        const w = step.value;
        if (!known.has(w)) continue;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      frames.pop();
      if (low.get(v) === index.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        out.push(scc);
      }
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(v)!));
    }
  }
  return out;
}

/** A binary min-heap of indices. */
class MinHeap {
  private readonly items: number[] = [];

  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (a[up]! <= x) break;
      a[i] = a[up]!;
      i = up;
    }
    a[i] = x;
  }

  pop(): number | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      while (true) {
        let c = 2 * i + 1;
        if (c >= a.length) break;
        if (c + 1 < a.length && a[c + 1]! < a[c]!) c++;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
