// Big models: the kernel's per-path and per-month statements split into functions of bounded
// size. V8 optimises a function only below a bytecode budget (about 60 KB): a model of
// thousands of series written as one function runs in the interpreter, about 120 ns a
// series-month against 15 ns for the same statements in functions of a few hundred lines each
// (measured on a chain of 4,000 series). The split kernel keeps the per-path state in typed
// arrays instead of local variables — series values in SV, their previous values in SQ, every
// other per-path variable in a slot of X — so each piece can read what the others wrote.
// (Closure variables were measured too: 330 ns a series-month, since every double stored in a
// closure's context is boxed.) The statements are the same; only their variables move, so the
// split kernel's results are bit for bit those of the unsplit one.

import { SIGNATURE_MARK, SPLIT_SIGNATURE_MARK } from "./specialise.js";

/** The variables a generated statement declares at its top level (`let a = …, b = …;`), or none. */
export function declaredNames(stmt: string): string[] {
  const m = /^(?:let|const) /.exec(stmt);
  if (m === null) return [];
  const names: string[] = [];
  let depth = 0;
  let expectName = true;
  for (let i = m[0].length; i < stmt.length; i++) {
    const c = stmt[i]!;
    if (expectName) {
      const id = /^\s*([A-Za-z_$][\w$]*)\s*=/.exec(stmt.slice(i));
      if (id === null) throw new Error(`internal: cannot read the declaration '${stmt.slice(0, 80)}'`);
      names.push(id[1]!);
      i += id[0].length - 1;
      expectName = false;
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) expectName = true;
  }
  return names;
}

/** A declaration statement as an assignment (`let a = x, b = y;` → `a = x, b = y;`); others as they are. */
export function asAssignment(stmt: string): string {
  return stmt.replace(/^(?:let|const) /, "");
}

/** Replaces each identifier that `to` maps (not a property name after a dot) by its replacement. */
export function renameIdentifiers(code: string, to: ReadonlyMap<string, string>): string {
  // Each run of word characters and dots (`s0.c`, `Math.log`, `1e5`, `v10`): only its head can
  // be a variable, and only when it starts as an identifier does.
  return code.replace(/[\w$.]+/g, (run) => {
    const dot = run.indexOf(".");
    const head = dot < 0 ? run : run.slice(0, dot);
    const name = /^[A-Za-z_$]/.test(head) ? to.get(head) : undefined;
    return name === undefined ? run : name + run.slice(head.length);
  });
}

/** Statements in consecutive groups of at most `budget` characters (a longer statement alone). */
export function chunks(stmts: readonly string[], budget: number): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let size = 0;
  for (const s of stmts) {
    if (cur.length > 0 && size + s.length > budget) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(s);
    size += s.length + 1;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/**
 * Where each per-path variable lives in a split kernel: series k's value v_k in SV[k] and its
 * previous value q_k in SQ[k], its scale sc_k in SC[k] (a typed array reads faster than the
 * kernel scope's variables, and V8 optimises the pieces several times faster); params p_k in X[k] (so the param capture is a copy of X's
 * head); every other variable declared by the per-path or per-month statements in the next
 * free slot of X.
 */
export function slotMap(
  S: number,
  P: number,
  statements: Iterable<string>,
): { to: Map<string, string>; slots: number } {
  const to = new Map<string, string>();
  for (let k = 0; k < S; k++) {
    to.set(`v${k}`, `SV[${k}]`);
    to.set(`q${k}`, `SQ[${k}]`);
  }
  for (let k = 0; k < S; k++) to.set(`sc${k}`, `SC[${k}]`);
  for (let k = 0; k < P; k++) to.set(`p${k}`, `X[${k}]`);
  let slots = P;
  for (const s of statements) for (const name of declaredNames(s)) if (!to.has(name)) to.set(name, `X[${slots++}]`);
  return { to, slots };
}

/**
 * `run`'s per-call statements (from after `return function run(ctx) {`) for a split kernel:
 * each declaration becomes an assignment to a variable declared once in the kernel's scope,
 * where the pieces can read it; the per-run constants' mark becomes SPLIT_SIGNATURE_MARK, and
 * their variables (nc, pout, sc_k, ob_k) are declared with the others.
 */
export function hoistToKernel(lines: readonly string[], S: number): { declarations: string[]; statements: string[] } {
  const names = ["nc", "pout"];
  for (let k = 0; k < S; k++) names.push(`sc${k}`, `ob${k}`);
  const statements = lines.map((l) => {
    if (l === SIGNATURE_MARK) return SPLIT_SIGNATURE_MARK;
    names.push(...declaredNames(l));
    return asAssignment(l);
  });
  const declarations: string[] = [];
  for (let i = 0; i < names.length; i += 64) declarations.push(`let ${names.slice(i, i + 64).join(", ")};`);
  return { declarations, statements };
}
