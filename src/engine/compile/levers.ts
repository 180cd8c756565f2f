// Pass: lever masks. Levers are compiled in: a replaced formula becomes
// `(mask & bit) ? lever : base`, where mask is constant for a run, so one compiled kernel serves
// all 2^k lever combinations; a lever's add or scale is applied on top of the formula in force
// when its bit is on.

import { namesIn, type Expr } from "../../lang/ast.js";
import type { Model, SeriesBody } from "../../lang/model.js";

/** One body an owner may have: the base (bit −1) or a lever's replacement (the lever's bit). */
export interface Variant {
  bit: number;
  body: SeriesBody;
}

/** A lever's add or scale on one name, with the lever's bit in the mask. */
export interface Edit {
  bit: number;
  op: "add" | "scale";
  expr: Expr;
  lever: string;
}

/**
 * The owner of an edit's random draws: its own streams, keyed by the name and the lever, so an
 * edit moves no other draw and draws the same whichever other levers are on.
 */
export function editOwner(name: string, lever: string): string {
  return `${name}~${lever}`;
}

/** The base body of an owner plus each lever's replacement, latest lever first. */
export function variantsOf(model: Model, name: string, base: SeriesBody): Variant[] {
  const out: Variant[] = [];
  model.levers.forEach((lever, bit) => {
    for (const set of lever.set) if (set.name === name) out.unshift({ bit, body: set.body });
  });
  out.push({ bit: -1, body: base });
  return out;
}

/** The add and scale edits levers make on a name, in lever order. */
export function editsOf(model: Model, name: string): Edit[] {
  const out: Edit[] = [];
  model.levers.forEach((lever, bit) => {
    for (const e of lever.edits) if (e.name === name) out.push({ bit, op: e.op, expr: e.expr, lever: lever.name });
  });
  return out;
}

/** The code choosing among variants' codes by the mask: the first variant whose bit is on, else the base (last). */
export function chooseCode(variants: readonly { bit: number }[], codes: readonly string[]): string {
  let out = codes[codes.length - 1]!;
  for (let i = codes.length - 2; i >= 0; i--) out = `((mask & ${1 << variants[i]!.bit}) !== 0 ? ${codes[i]} : ${out})`;
  return out;
}

/** The code applying an edit to the variable `v` when its lever is on. */
export function editCode(ed: Edit, v: string, f: string): string {
  return `if ((mask & ${1 << ed.bit}) !== 0) ${v} = ${v} ${ed.op === "add" ? "+" : "*"} (${f});`;
}

/**
 * Params whose draw on a path is the same under every lever combination: no lever sets or edits
 * them and their formula reads only such params. Params come in dependency order (a param reads
 * only earlier ones).
 */
export function leverFreeParams(model: Model): string[] {
  const params = new Set(model.params.map((p) => p.name));
  const free = new Set<string>();
  for (const p of model.params) {
    if (variantsOf(model, p.name, { kind: "formula", expr: p.expr }).length > 1) continue;
    if (editsOf(model, p.name).length > 0) continue;
    const reads = [...namesIn(p.expr)].filter((n) => params.has(n));
    if (reads.every((n) => free.has(n))) free.add(p.name);
  }
  return [...free];
}
