// The blocks that drive `outlast report`: `checks:` (reported figures the calendar check
// compares the model with) and `goals:` (the goal-seek: target, the param varied, the closing
// months). Read here with positioned diagnostics; names are resolved by checkReportBlocks once
// every param and series is known.

import type { Node } from "yaml";
import { isMap, isScalar, isSeq } from "yaml";
import type { Expr } from "./ast.js";
import { constValue } from "./checker.js";
import type { Diagnostic, Span } from "./diagnostics.js";
import type { CheckDef, GoalDef, Scenario } from "./model.js";
import type { LoaderTools } from "./rounds.js";
import type { Entry } from "./scenario.js";
import { didYouMean } from "./suggest.js";

const CHECK_KEYS = ["name", "series", "period", "value", "before", "source"] as const;
const GOAL_KEYS = ["target", "vary", "month", "months", "closes", "levers"] as const;

/** A check's series: names joined by + and − (the check sums per-month means, which is linear). */
export function checkTerms(e: Expr): { name: string; sign: 1 | -1; span: Span }[] | undefined {
  if (e.kind === "name") return [{ name: e.name, sign: 1, span: e.span }];
  if (e.kind === "binary" && (e.op === "+" || e.op === "-")) {
    const [a, b] = [checkTerms(e.left), checkTerms(e.right)];
    if (!a || !b) return undefined;
    return [...a, ...(e.op === "-" ? b.map((x) => ({ ...x, sign: -x.sign as 1 | -1 })) : b)];
  }
  return undefined;
}

export function loadChecks(tools: LoaderTools, e: Entry): CheckDef[] {
  const out: CheckDef[] = [];
  if (!isSeq(e.value)) {
    tools.error("bad_check", "checks must be a list of {name, series, period, value, source}", tools.at(e), {
      path: e.path,
      hint: "e.g. - { name: revenue, series: revenue, period: 2024, value: 3.5B to 4.5B, source: … }",
    });
    return out;
  }
  e.value.items.forEach((item, i) => {
    const node = item as Node;
    const entry: Entry = { key: `checks[${i}]`, keySpan: tools.span(node), value: node, path: [...e.path, i] };
    if (!isMap(node)) {
      tools.error("bad_check", "expected {name, series, period, value, source}", tools.span(node), {
        path: entry.path,
      });
      return;
    }
    const f = tools.fields(entry, CHECK_KEYS, "check");
    const missing = (key: string, what: string) =>
      tools.error("missing_key", `a check needs '${key}' (${what})`, entry.keySpan, { path: entry.path });
    const seriesEntry = f.get("series");
    const periodEntry = f.get("period");
    const valueEntry = f.get("value");
    const source = tools.optionalString(f.get("source"));
    if (!seriesEntry) missing("series", "a series, or series joined by + and −, e.g. costs - revenue");
    if (!periodEntry) missing("period", "a calendar year, e.g. 2024");
    if (!valueEntry) missing("value", "the reported figure, or a range such as 3.5B to 4.5B");
    if (source === undefined && !f.get("source")) missing("source", "where the figure was reported");
    const series = seriesEntry ? tools.formula(seriesEntry.value, seriesEntry.path, seriesEntry.keySpan) : undefined;
    if (series && !checkTerms(series) && !(series.kind === "number" && series.text === "<error>"))
      tools.error("bad_check", "a check's series is a series name, or names joined by + and −", series.span, {
        path: seriesEntry!.path,
        hint: "the check sums each month's mean, which only a sum or difference of series keeps exact",
      });
    let year: number | undefined;
    if (periodEntry) {
      const v = isScalar(periodEntry.value) ? periodEntry.value.value : undefined;
      if (typeof v === "number" && Number.isInteger(v) && v >= 1000 && v <= 9999) year = v;
      else
        tools.error(
          "bad_period",
          `a check's period is a calendar year such as 2024, got ${String(v)}`,
          tools.at(periodEntry),
          {
            path: periodEntry.path,
          },
        );
    }
    let range: [number, number] | undefined;
    if (valueEntry) {
      const v = tools.formula(valueEntry.value, valueEntry.path, valueEntry.keySpan);
      const lo = v.kind === "range" ? constValue(v.lo) : constValue(v);
      const hi = v.kind === "range" ? constValue(v.hi) : lo;
      if (lo !== undefined && hi !== undefined && lo <= hi) range = [lo, hi];
      else if (!(v.kind === "number" && v.text === "<error>"))
        tools.error("bad_check_value", "a check's value is a number, or a range 'low to high'", v.span, {
          path: valueEntry.path,
          hint: "e.g. 8.5B, or 3.5B to 4.5B",
        });
    }
    if (!series || year === undefined || !range || source === undefined || !checkTerms(series)) return;
    const name =
      tools.optionalString(f.get("name")) ?? tools.text.slice(series.span.start.offset, series.span.end.offset);
    const check: CheckDef = {
      label: name,
      series: tools.text.slice(series.span.start.offset, series.span.end.offset),
      seriesSpan: series.span,
      terms: checkTerms(series)!,
      from: { year, month: 1 },
      to: { year, month: 12 },
      low: range[0],
      high: range[1],
      source,
      span: tools.span(node),
    };
    const before = f.get("before");
    if (before) check.before = tools.formula(before.value, before.path, before.keySpan);
    out.push(check);
  });
  return out;
}

export function loadGoals(tools: LoaderTools, e: Entry): GoalDef | undefined {
  if (!isMap(e.value)) {
    tools.error("bad_goal", "goals must be a mapping {target, vary, month, months, closes, levers}", tools.at(e), {
      path: e.path,
    });
    return undefined;
  }
  const f = tools.fields(e, GOAL_KEYS, "goal");
  const name = (key: string): { name: string; span: Span } | undefined => {
    const x = f.get(key);
    const v = tools.optionalString(x);
    return x && v !== undefined ? { name: v, span: tools.at(x) } : undefined;
  };
  const targetEntry = f.get("target");
  const target = tools.optionalString(targetEntry);
  const vary = name("vary");
  if (!targetEntry)
    tools.error("missing_key", "goals needs a 'target', e.g. alive@24 >= 0.9", e.keySpan, { path: e.path });
  else if (target !== undefined && !/^alive@\d+\s*>=?\s*(0|1|0?\.[0-9]+)$/.test(target.trim()))
    tools.error("bad_goal", `a goal's target is 'alive@MONTH >= SHARE', got '${target}'`, tools.at(targetEntry), {
      path: targetEntry.path,
      hint: "e.g. alive@24 >= 0.9",
    });
  if (!f.get("vary"))
    tools.error("missing_key", "goals needs 'vary' (the param whose least value is sought)", e.keySpan, {
      path: e.path,
    });
  const month = name("month");
  const monthsEntry = f.get("months");
  const months: number[] = [];
  if (monthsEntry) {
    const items = isSeq(monthsEntry.value) ? (monthsEntry.value.items as Node[]) : [];
    if (!isSeq(monthsEntry.value))
      tools.error("bad_goal", "months must be a list of months, e.g. [3, 6, 9, 12]", tools.at(monthsEntry), {
        path: monthsEntry.path,
      });
    items.forEach((n, i) => {
      const v = isScalar(n) ? n.value : undefined;
      if (typeof v === "number" && Number.isInteger(v) && v >= 1) months.push(v);
      else
        tools.error("bad_goal", `a closing month is a whole number ≥ 1, got ${String(v)}`, tools.span(n), {
          path: [...monthsEntry.path, i],
        });
    });
  }
  if (month && months.length === 0)
    tools.error("bad_goal", `goals names the month param '${month.name}' but no 'months' to try`, month.span, {
      path: e.path,
      hint: "add e.g. months: [3, 6, 9, 12]",
    });
  if (!f.get("month"))
    tools.error("missing_key", "goals needs 'month' (the param that holds the closing month) and 'months'", e.keySpan, {
      path: e.path,
      hint: "e.g. month: raise_month, months: [3, 6, 9, 12]",
    });
  if (target === undefined || !vary) return undefined;
  const goal: GoalDef = {
    target: target.trim(),
    targetSpan: tools.at(targetEntry!),
    vary: vary.name,
    varySpan: vary.span,
    months: months.length > 0 ? months : [0],
    span: tools.at(e),
  };
  if (month) {
    goal.month = month.name;
    goal.monthSpan = month.span;
  }
  const closes = name("closes");
  if (closes) {
    goal.closes = closes.name;
    goal.closesSpan = closes.span;
  }
  const levers = f.get("levers");
  if (levers) goal.levers = tools.nameList(levers);
  return goal;
}

/**
 * Name checks once params, series and levers are known (called by the checker); `use` is told
 * of every param the blocks read, so a param read only there is not "never used".
 */
export function checkReportBlocks(
  s: Scenario,
  isParam: (n: string) => boolean,
  isSeries: (n: string) => boolean,
  use: (param: string) => void,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const err = (code: string, message: string, span: Span, hint?: string) =>
    out.push({ code, severity: "error", message, span, ...(hint === undefined ? {} : { hint }) });
  const params = s.params.map((p) => p.name);
  const series = s.series.filter((x) => !x.hidden).map((x) => x.name);
  for (const c of s.checks ?? []) {
    for (const t of c.terms)
      if (!isSeries(t.name))
        err(
          "unknown_series",
          `check '${c.label}' names unknown series '${t.name}'`,
          t.span,
          didYouMean(t.name, series) ?? "a check sums a series over the year",
        );
    if (c.before)
      for (const n of namesIn(c.before))
        if (isParam(n.name)) use(n.name);
        else
          err(
            "bad_check",
            `'before' must be made of numbers and constant params; '${n.name}' is not a param`,
            n.span,
            didYouMean(n.name, params),
          );
  }
  const g = s.goals;
  if (g) {
    for (const [key, name, span] of [
      ["vary", g.vary, g.varySpan],
      ["month", g.month, g.monthSpan],
      ["closes", g.closes, g.closesSpan],
    ] as const)
      if (name !== undefined && isParam(name)) use(name);
      else if (name !== undefined)
        err("unknown_name", `goals.${key} names unknown param '${name}'`, span!, didYouMean(name, params));
    for (const l of g.levers ?? [])
      if (!s.levers.some((x) => x.name === l.name))
        err(
          "unknown_name",
          `goals.levers names unknown lever '${l.name}'`,
          l.span,
          didYouMean(
            l.name,
            s.levers.map((x) => x.name),
          ),
        );
  }
  return out;
}

function namesIn(e: Expr, out: { name: string; span: Span }[] = []): { name: string; span: Span }[] {
  if (e.kind === "name") out.push({ name: e.name, span: e.span });
  else if (e.kind === "unary") namesIn(e.arg, out);
  else if (e.kind === "binary") {
    namesIn(e.left, out);
    namesIn(e.right, out);
  } else if (e.kind === "call") for (const a of e.args) namesIn(a, out);
  else if (e.kind === "range") {
    namesIn(e.lo, out);
    namesIn(e.hi, out);
  }
  return out;
}
