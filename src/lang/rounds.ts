// Funding rounds that depend on performance: the `rounds:` block, read from YAML and lowered
// into ordinary series, so the checker, the compiler and every analysis treat a round like any
// other part of the model (draws keyed by the series that makes them, hence common random
// numbers across levers; dependency order and cycles found by the checker).
//
// A round NAME becomes these series (the README, "Rounds", states the rules they implement):
//   NAME_try     1 in a month with an attempt: on or after `earliest`, not yet closed, fewer
//                than `attempts` made, `cooldown` months since the last, and `when` holds
//   NAME_tries   attempts made so far (a stock of NAME_try)
//   NAME_last    the month of the last attempt (0 before the first)
//   NAME_month   the closing month (0 until the round closes): an attempt closes when a
//                uniform draw of its own falls below `p`
//   NAME_closed  1 from the closing month on, else 0 (its mean is P(closed by month m))
//   NAME_size    `size`, evaluated in the closing month and kept
//   NAME         the money paid in the month: each tranche's share of the size, `delay`
//                months after closing, if its `when` holds in that month
// Every generated formula carries the round's spans (the user's `when`, `p`, `size` keep
// their own), so a diagnostic points into the round that caused it.

import type { Node, YAMLMap } from "yaml";
import { isMap, isScalar, isSeq } from "yaml";
import type { Expr } from "./ast.js";
import { constValue } from "./checker.js";
import type { Span } from "./diagnostics.js";
import type { LeverDef, RoundDef, Scenario, SeriesBody, SeriesDef, TrancheDef, YearMonth } from "./model.js";
import { parseFormula } from "./parser.js";
import type { Entry, Path } from "./scenario.js";
import type { SourceText } from "./source.js";

/** The loader's readers, lent to the blocks that live in their own modules. */
export interface LoaderTools {
  text: string;
  source: SourceText;
  entries(map: YAMLMap, path: Path): Entry[];
  mapEntries(e: Entry | undefined, what: string): Entry[];
  fields(e: Entry, allowed: readonly string[], what: string): Map<string, Entry>;
  formula(node: Node | null, path: Path, keySpan: Span): Expr;
  month(node: Node | null, path: Path, code: string, keySpan: Span): YearMonth | undefined;
  optionalString(e: Entry | undefined): string | undefined;
  numberValue(node: Node | null): number | undefined;
  nameList(e: Entry): { name: string; span: Span }[];
  span(node: Node): Span;
  at(e: Entry): Span;
  error(code: string, message: string, span: Span, extra?: { hint?: string; path?: Path }): void;
  warn(code: string, message: string, span: Span, extra?: { hint?: string; path?: Path }): void;
}

const ROUND_KEYS = [
  "earliest",
  "when",
  "p",
  "size",
  "attempts",
  "cooldown",
  "tranches",
  "label",
  "source",
  "unit",
] as const;
const TRANCHE_KEYS = ["share", "delay", "when"] as const;
/** Suffixes of the series a round is lowered to. */
export const ROUND_SERIES = ["try", "tries", "last", "month", "closed", "size"] as const;

/** The simulated month of a calendar month (the scenario's start is 1). */
export function monthOf(start: YearMonth, m: YearMonth): number {
  return (m.year - start.year) * 12 + (m.month - start.month) + 1;
}

/** Reads `rounds:`; each round is checked for its structure here, its formulas by the checker. */
export function loadRounds(tools: LoaderTools, e: Entry | undefined, start: YearMonth, horizon: number): RoundDef[] {
  const out: RoundDef[] = [];
  for (const r of tools.mapEntries(e, "rounds")) {
    if (!isMap(r.value)) {
      tools.error("bad_round", `round '${r.key}' must be a mapping with earliest, when, p and size`, tools.at(r), {
        path: r.path,
        hint: "e.g. series_c: { earliest: 2025-01, when: prev(cash) < 6 * burn, p: 0.8, size: 10B }",
      });
      continue;
    }
    const f = tools.fields(r, ROUND_KEYS, "round");
    const need = (key: string, what: string): Entry | undefined => {
      const x = f.get(key);
      if (!x) tools.error("missing_key", `round '${r.key}' has no '${key}' (${what})`, r.keySpan, { path: r.path });
      return x;
    };
    const earliestEntry = need("earliest", "the first month an attempt may happen, YYYY-MM");
    const sizeEntry = need("size", "the amount raised, a formula evaluated in the closing month");
    const earliest = earliestEntry
      ? tools.month(earliestEntry.value, earliestEntry.path, "bad_date", earliestEntry.keySpan)
      : undefined;
    const expr = (x: Entry): Expr => tools.formula(x.value, x.path, x.keySpan);
    const whenEntry = f.get("when");
    const pEntry = f.get("p");
    const p = pEntry ? expr(pEntry) : numberExpr(1, r.keySpan);
    if (pEntry) {
      const v = constValue(p);
      if (v !== undefined && !(v >= 0 && v <= 1))
        tools.error("bad_probability", `p must be a probability in [0, 1], got ${v}`, tools.at(pEntry), {
          path: pEntry.path,
          hint: "p is the chance that one attempt closes, e.g. 0.8 or 80%",
        });
    }
    const attempts = count(tools, f.get("attempts"), 1, 1, "attempts", "how many times the round may be tried");
    const cooldown = count(tools, f.get("cooldown"), 1, 1, "cooldown", "months from one attempt to the next");
    const round: RoundDef = {
      name: r.key,
      nameSpan: r.keySpan,
      earliest: earliest ?? start,
      earliestMonth: earliest ? monthOf(start, earliest) : 1,
      p,
      size: sizeEntry ? expr(sizeEntry) : numberExpr(0, r.keySpan),
      attempts,
      cooldown,
      tranches: tranches(tools, f.get("tranches"), r),
    };
    if (whenEntry) round.when = expr(whenEntry);
    for (const k of ["label", "source", "unit"] as const) {
      const v = tools.optionalString(f.get(k));
      if (v !== undefined) round[k] = v;
    }
    if (earliest && round.earliestMonth > horizon)
      tools.warn(
        "round_after_horizon",
        `round '${r.key}' may not be tried before ${ym(earliest)}, after the horizon (month ${round.earliestMonth} of ${horizon})`,
        tools.at(earliestEntry!),
        { path: earliestEntry!.path, hint: "it never closes in this run; move 'earliest' or lengthen the horizon" },
      );
    out.push(round);
  }
  return out;
}

function tranches(tools: LoaderTools, e: Entry | undefined, round: Entry): TrancheDef[] {
  if (!e) return [];
  if (!isSeq(e.value)) {
    tools.error("bad_tranche", `tranches must be a list of {share, delay, when}, got ${kind(e.value)}`, tools.at(e), {
      path: e.path,
    });
    return [];
  }
  const out: TrancheDef[] = [];
  e.value.items.forEach((item, i) => {
    const node = item as Node;
    const entry: Entry = { key: `tranches[${i}]`, keySpan: tools.span(node), value: node, path: [...e.path, i] };
    if (!isMap(node)) {
      tools.error("bad_tranche", `expected {share, delay, when}, got ${kind(node)}`, tools.span(node), {
        path: entry.path,
      });
      return;
    }
    const f = tools.fields(entry, TRANCHE_KEYS, "tranche");
    const shareEntry = f.get("share");
    if (!shareEntry) {
      tools.error("missing_key", "a tranche needs a 'share' (of the round's size, e.g. 25%)", entry.keySpan, {
        path: entry.path,
      });
      return;
    }
    const share = tools.formula(shareEntry.value, shareEntry.path, shareEntry.keySpan);
    const v = constValue(share);
    if (v !== undefined && !(v >= 0 && v <= 1))
      tools.error("bad_share", `a tranche's share must be in [0, 1], got ${v}`, tools.at(shareEntry), {
        path: shareEntry.path,
      });
    const t: TrancheDef = {
      share,
      delay: count(tools, f.get("delay"), 0, 0, "delay", "months from the closing to the payment"),
      span: tools.span(node),
    };
    const when = f.get("when");
    if (when) t.when = tools.formula(when.value, when.path, when.keySpan);
    out.push(t);
  });
  const shares = out.map((t) => constValue(t.share));
  if (out.length > 0 && shares.every((s) => s !== undefined)) {
    const total = shares.reduce((a, b) => a! + b!, 0)!;
    if (Math.abs(total - 1) > 1e-9)
      tools.warn(
        "tranche_shares",
        `the tranches of round '${round.key}' add up to ${+(total * 100).toPrecision(4)}% of its size, not 100%`,
        tools.at(e),
        { path: e.path, hint: "shares are fractions of the size evaluated at closing" },
      );
  }
  return out;
}

/** A whole number ≥ min (default when absent), with a positioned error otherwise. */
function count(tools: LoaderTools, e: Entry | undefined, fallback: number, min: number, key: string, what: string) {
  if (!e) return fallback;
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= 1200) return v;
  tools.error(
    `bad_${key}`,
    `${key} must be a whole number from ${min} to 1200 (${what}), got ${typeof v === "number" || typeof v === "string" ? String(v) : kind(e.value)}`,
    tools.at(e),
    { path: e.path },
  );
  return fallback;
}

/** The series a round is lowered to, in the order they are best read. */
export function lowerRounds(rounds: readonly RoundDef[], tools: LoaderTools): SeriesDef[] {
  const out: SeriesDef[] = [];
  for (const r of rounds) {
    const n = (suffix: string) => `${r.name}_${suffix}`;
    const at = r.nameSpan;
    // Generated text, parsed with every span at the round's name; $X holes take the user's formulas.
    const gen = (text: string, holes: Record<string, Expr> = {}): Expr => {
      const parsed = parseFormula(text.replace(/\$([a-z]+)/g, "__hole_$1"), {
        source: tools.source,
        mapOffset: () => at.start.offset,
      });
      if (!parsed.expr) throw new Error(`internal: round template '${text}': ${parsed.diagnostics[0]?.message}`);
      return fill(parsed.expr, holes);
    };
    // Every series of the round carries the round's source (its numbers come from the round).
    const cited = r.source === undefined ? {} : { source: r.source };
    const add = (suffix: string | undefined, body: SeriesBody, extra: Partial<SeriesDef> = {}) => {
      const name = suffix === undefined ? r.name : n(suffix);
      const s = { name, nameSpan: at, round: r.name, ...cited, ...body, ...extra };
      if (suffix !== undefined) s.hidden = true;
      out.push(s as SeriesDef);
    };
    const when = r.when ?? numberExpr(1, at);
    add("try", {
      kind: "formula",
      expr: gen(
        `t >= ${r.earliestMonth} and prev(${n("month")}) == 0 and prev(${n("tries")}) < ${r.attempts} ` +
          `and (prev(${n("tries")}) == 0 or t - prev(${n("last")}) >= ${r.cooldown}) and ($when)`,
        { when },
      ),
    });
    add("tries", { kind: "stock", start: gen("0"), change: gen(n("try")) });
    add("last", { kind: "next", start: gen("0"), next: gen(`if(${n("try")}, t, prev(${n("last")}))`) });
    add("month", {
      kind: "next",
      start: gen("0"),
      next: gen(`if(prev(${n("month")}) > 0, prev(${n("month")}), if(${n("try")} and uniform(0, 1) < $p, t, 0))`, {
        p: r.p,
      }),
    });
    add("closed", { kind: "formula", expr: gen(`${n("month")} > 0`) }, { unit: "0/1", label: `${r.name} closed` });
    add("size", {
      kind: "next",
      start: gen("0"),
      next: gen(`if(${n("month")} == t, $size, prev(${n("size")}))`, { size: r.size }),
    });
    const tranches: TrancheDef[] =
      r.tranches.length > 0 ? r.tranches : [{ share: numberExpr(1, at), delay: 0, span: at }];
    let money: Expr | undefined;
    for (const tr of tranches) {
      const part = gen(
        `if(${n("month")} > 0 and t == ${n("month")} + ${tr.delay} and ($when), $share * ${n("size")}, 0)`,
        {
          when: tr.when ?? numberExpr(1, at),
          share: tr.share,
        },
      );
      money = money === undefined ? part : { kind: "binary", op: "+", left: money, right: part, span: at };
    }
    add(
      undefined,
      { kind: "formula", expr: money! },
      { unit: r.unit ?? "USD/month", label: r.label ?? `Round ${r.name}` },
    );
  }
  return out;
}

/** Warnings once the whole scenario is read: a round whose money no formula uses. */
export function roundWarnings(s: Scenario, tools: LoaderTools): void {
  const used = new Set<string>();
  const visit = (e: Expr | undefined) => {
    if (e) for (const name of namesOf(e)) used.add(name);
  };
  const body = (b: SeriesBody) => {
    if (b.kind === "formula") visit(b.expr);
    else {
      visit(b.start);
      visit(b.kind === "next" ? b.next : b.change);
    }
  };
  for (const x of s.series) if (x.round === undefined) body(x);
  const levers: LeverDef[] = [...s.levers, ...(s.views ?? [])];
  for (const l of levers) {
    for (const set of l.set) body(set.body);
    for (const edit of l.edits ?? []) visit(edit.expr);
  }
  visit(s.alive);
  visit(s.breakEven);
  for (const r of s.rounds ?? []) {
    // Another round's formulas may read this one's money too.
    visit(r.when);
    visit(r.size);
    for (const t of r.tranches) visit(t.when);
  }
  for (const r of s.rounds ?? [])
    if (!used.has(r.name))
      tools.warn("round_unused", `no formula uses the money of round '${r.name}'`, r.nameSpan, {
        path: ["rounds", r.name],
        hint: `add ${r.name} to the cash change, e.g. change: revenue - costs + ${r.name}`,
      });
}

function namesOf(e: Expr, out: string[] = []): string[] {
  switch (e.kind) {
    case "name":
      out.push(e.name);
      break;
    case "unary":
      namesOf(e.arg, out);
      break;
    case "binary":
      namesOf(e.left, out);
      namesOf(e.right, out);
      break;
    case "range":
      namesOf(e.lo, out);
      namesOf(e.hi, out);
      break;
    case "call":
      for (const a of e.args) namesOf(a, out);
      break;
  }
  return out;
}

/** Replaces the holes `__hole_x` of a generated formula with the user's formulas. */
function fill(e: Expr, holes: Record<string, Expr>): Expr {
  switch (e.kind) {
    case "name": {
      const m = /^__hole_([a-z]+)$/.exec(e.name);
      if (!m) return e;
      const h = holes[m[1]!];
      if (!h) throw new Error(`internal: no hole ${m[1]}`);
      return h;
    }
    case "unary":
      return { ...e, arg: fill(e.arg, holes) };
    case "binary":
      return { ...e, left: fill(e.left, holes), right: fill(e.right, holes) };
    case "range":
      return { ...e, lo: fill(e.lo, holes), hi: fill(e.hi, holes) };
    case "call":
      return { ...e, args: e.args.map((a) => fill(a, holes)) };
    default:
      return e;
  }
}

function numberExpr(value: number, span: Span): Expr {
  return { kind: "number", value, text: String(value), span };
}

const ym = (m: YearMonth): string => `${m.year}-${String(m.month).padStart(2, "0")}`;

function kind(node: Node | null | undefined): string {
  if (node === null || node === undefined) return "nothing";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  return isScalar(node) ? `'${String(node.value)}'` : "an alias";
}
