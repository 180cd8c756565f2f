// The kernel's statements and skeleton: params drawn once per path (with their lever variants
// and edits), each series' start value and month step in dependency order, then the month's
// bookkeeping (the NaN test, prev values, lag rings, survival, shortfall, break-even, outputs).
// The passes it drives: deps.ts (what to hoist), growth.ts (tracked logs), levers.ts (variants
// and edits), sites.ts (draw sites and QMC dimensions), emit.ts (expressions).

import type { Diagnostic } from "../../lang/diagnostics.js";
import type { Model, SeriesBody } from "../../lang/model.js";
import { longestLags, modelFormulas } from "../lags.js";
import { INVERSE_OF } from "../qmc/invert.js";
import { literal, monthFormula, SAMPLER_OF } from "./code.js";
import { copulaCode } from "./copula.js";
import { carriedSeries, type NameIndex } from "./deps.js";
import { Emitter } from "./emit.js";
import { findLogTracked, findSharedExp, powerOfA } from "./growth.js";
import { chooseCode, editCode, editOwner, editsOf, variantsOf, type Edit, type Variant } from "./levers.js";
import { DrawSites, QMC_MONTH_SITES, QMC_PATH_DIMS, type QmcLayout } from "./sites.js";
import { SIGNATURE_MARK } from "./specialise.js";
import { splitSkeleton } from "./split-kernel.js";

/** A kernel before per-run specialisation: its text with SIGNATURE_MARK, and its QMC layout. */
export interface KernelTemplate {
  template: string;
  layout: QmcLayout;
  diagnostics: Diagnostic[];
}

/** Everything a kernel's statements are built from. */
export interface Parts {
  model: Model;
  names: NameIndex;
  lags: ReadonlyMap<string, number>;
  logTracked: ReadonlyMap<number, unknown>;
  sites: DrawSites;
  em: Emitter;
  qmc: boolean;
}

/**
 * A kernel whose source would be longer than this many characters is split into functions of
 * at most CHUNK_CHARS characters of statements each (split.ts). V8 optimises a function of at
 * most 60 KB of bytecode: a whole chain kernel was optimised at 63,875 characters (3 ns a
 * series-month) and not at 76,675 (60 ns); bytecode per character differs from one kind of
 * code to another, hence a quarter's margin. An optimised whole kernel is faster than a split
 * one (values stay in registers), so the threshold is no lower. Every built-in scenario's
 * kernel is well under it (openai-2024's is about 31,000 characters) and stays one function.
 */
export const SPLIT_ABOVE = 48_000;
/** The statements of one piece of a split kernel, in characters: V8 optimises pieces of this size. */
export const CHUNK_CHARS = 8_000;

/** When to split the kernel (tests force it on small models): see SPLIT_ABOVE and CHUNK_CHARS. */
export interface SplitOptions {
  above?: number;
  chunk?: number;
}

export function emitKernel(model: Model, exact: boolean, qmc: boolean, split: SplitOptions = {}): KernelTemplate {
  if (model.levers.length > 30) throw new Error("internal: at most 30 levers can be compiled");
  const paramIndex = new Map<string, number>();
  const seriesIndex = new Map<string, number>();
  model.params.forEach((p, i) => paramIndex.set(p.name, i));
  model.series.forEach((s, i) => seriesIndex.set(s.name, i));
  const names = { paramIndex, seriesIndex };
  const lags = longestLags(modelFormulas(model));
  const logTracked = exact ? new Map() : findLogTracked(model);
  const sharedExp = exact ? new Map() : findSharedExp(model, seriesIndex, logTracked);
  const sites = new DrawSites(model, paramIndex, seriesIndex);
  const em = new Emitter({ model, exact, qmc, names, lags, logTracked, sharedExp, sites });
  const parts: Parts = { model, names, lags, logTracked, sites, em, qmc };

  const paramCode = paramStatements(parts);
  const { startCode, stepCode } = seriesStatements(parts, sharedExp);
  em.monthUpdates = [];
  const alive = em.gen(model.scenario.alive, { name: "alive", ordinal: 0, month: true }, true);
  const aliveUpdates = em.monthUpdates;
  em.monthUpdates = [];
  const breakEven = model.scenario.breakEven
    ? em.gen(model.scenario.breakEven, { name: "breakeven", ordinal: 0, month: true }, true)
    : undefined;
  const breakEvenUpdates = em.monthUpdates;

  const body = { paramCode, startCode, stepCode, alive, aliveUpdates, breakEven, breakEvenUpdates };
  let text = skeleton(parts, body).join("\n");
  if (text.length > (split.above ?? SPLIT_ABOVE))
    text = splitSkeleton(parts, body, split.chunk ?? CHUNK_CHARS).join("\n");
  const numbered = sites.numberQmcSites();
  const template = qmc ? numbered.code(text) : text;
  return { template, layout: numbered.layout, diagnostics: em.diagnostics };
}

/** Params, each with lever alternatives, drawn at t = 0; correlated ones through the copula. */
function paramStatements({ model, sites, em, qmc }: Parts): string[] {
  const paramCode: string[] = [];
  const copula = copulaCode(model, sites, qmc, em.diagnostics);
  paramCode.push(...copula.code);
  model.params.forEach((p, k) => {
    const variants = variantsOf(model, p.name, { kind: "formula", expr: p.expr });
    const value = chooseCode(
      variants,
      variants.map(({ body }) => {
        if (body.kind !== "formula") throw new Error(`internal: lever sets param '${p.name}' to a series body`);
        const j = copula.index.get(p.name);
        if (j !== undefined && body.expr === p.expr) return em.genQuantile(p.expr, `cu${j}`);
        return em.gen(body.expr, { name: p.name, ordinal: 0, month: false }, false);
      }),
    );
    const edits = editsOf(model, p.name);
    if (edits.length > 0) {
      // Levers' add and scale on top of the formula in force, each from its own draws.
      paramCode.push(`let pe${k} = ${value};`);
      for (const ed of edits) {
        const f = em.gen(ed.expr, { name: editOwner(p.name, ed.lever), ordinal: 0, month: false }, false);
        paramCode.push(editCode(ed, `pe${k}`, f));
      }
    }
    paramCode.push(
      `let p${k} = fx${k} === fx${k} ? fx${k} : pv${k} !== null ? pv${k}[pvOff + i] : ${edits.length > 0 ? `pe${k}` : value};`,
      `if (!(p${k} - p${k} === 0)) { ctx.err = [1, ${k}, 0, path, p${k}]; return; }`,
    );
  });
  return paramCode;
}

/** Series: start values per path, then the month step. */
function seriesStatements(
  parts: Parts,
  sharedExp: ReturnType<typeof findSharedExp>,
): { startCode: string[]; stepCode: string[] } {
  const { model, em } = parts;
  const startCode: string[] = [];
  const stepCode: string[] = [];
  model.series.forEach((s, k) => {
    const growth = (parts.logTracked as ReadonlyMap<number, Parameters<Emitter["gen"]>[0]>).get(k);
    if (growth !== undefined) {
      // prev(s)·exp(E): the same product as the plain form, plus log s kept as a running sum.
      em.monthUpdates = [];
      const start =
        s.kind === "next" ? em.gen(s.start, { name: `${s.name}.start`, ordinal: 0, month: false }, false) : "NaN";
      startCode.push(`let q${k} = ${start}, v${k} = 0, lg${k} = Math.log(q${k});`);
      em.prologue.push(`const lsc${k} = sc${k} > 0 ? Math.log(sc${k}) : NaN;`);
      em.prefetchOK = true;
      const e = em.gen(growth, { name: s.name, ordinal: 0, month: true }, true);
      em.prefetchOK = false;
      stepCode.push(...em.monthUpdates);
      stepCode.push(`const le${k} = ${e};`);
      const shared = sharedExp.get(k);
      if (shared !== undefined) {
        // Only while the series is not scaled (sc = 1); otherwise the plain form below.
        em.prologue.push(`const sh${k} = sc${k} === 1;`);
        const top = Math.max(shared.L, ...shared.powers);
        stepCode.push(`const A${k}_1 = sh${k} ? Math.exp(le${k} * ${literal(1 / shared.L)}) : 0;`);
        for (let b = 2; b <= top; b *= 2) stepCode.push(`const A${k}_${b} = A${k}_${b / 2} * A${k}_${b / 2};`);
        stepCode.push(`v${k} = sh${k} ? q${k} * ${powerOfA(k, shared.L)} : (q${k} * Math.exp(le${k})) * sc${k};`);
      } else stepCode.push(`v${k} = (q${k} * Math.exp(le${k})) * sc${k};`);
      stepCode.push(`lg${k} += le${k} + lsc${k};`);
      stepCode.push(...em.monthAfter.splice(0));
      return;
    }
    const variants = variantsOf(model, s.name, s);
    em.monthUpdates = [];
    const starts = variants.map((v) =>
      v.body.kind === "formula"
        ? "NaN"
        : em.gen(v.body.start, { name: `${s.name}.start`, ordinal: 0, month: false }, false),
    );
    startCode.push(`let q${k} = ${chooseCode(variants, starts)}, v${k} = 0;`);
    const edits = editsOf(model, s.name);
    if (edits.length > 0) {
      stepCode.push(...editedStep(parts, k, variants, edits));
      return;
    }
    em.prefetchOK = variants.length === 1;
    const steps = variants.map((v) => {
      const owner = { name: s.name, ordinal: 0, month: true };
      const body = v.body;
      switch (body.kind) {
        case "formula":
          return `(${em.gen(body.expr, owner, true)}) * sc${k}`;
        case "next":
          return `(${em.gen(body.next, owner, true)}) * sc${k}`;
        case "stock":
          return `q${k} + (${em.gen(body.change, owner, true)}) * sc${k}`;
        default:
          throw new Error(`internal: ${body satisfies never}`);
      }
    });
    stepCode.push(...em.monthUpdates);
    em.prefetchOK = false;
    stepCode.push(`v${k} = ${chooseCode(variants, steps)};`);
    stepCode.push(...em.monthAfter.splice(0));
  });
  return { startCode, stepCode };
}

/**
 * The month step of a series that levers edit: the month formula in force (base or a lever's
 * set) as e, then each lever's add or scale when its bit is on, in lever order, then the value
 * (e for a formula or recurrence, previous + e for a stock), scaled as any series is.
 */
function editedStep({ model, em }: Parts, k: number, variants: Variant[], edits: Edit[]): string[] {
  const s = model.series[k]!;
  em.monthUpdates = [];
  // Each variant numbers its draws from 0, as the base does: a set keeps the base's draws.
  const month = variants.map((v) => em.gen(monthFormula(v.body), { name: s.name, ordinal: 0, month: true }, true));
  const code = [`let e${k} = ${chooseCode(variants, month)};`];
  em.conditional++;
  for (const ed of edits) {
    const f = em.gen(ed.expr, { name: editOwner(s.name, ed.lever), ordinal: 0, month: true }, true);
    code.push(editCode(ed, `e${k}`, f));
  }
  em.conditional--;
  const values = variants.map((v: { body: SeriesBody }) =>
    v.body.kind === "stock" ? `q${k} + e${k} * sc${k}` : `e${k} * sc${k}`,
  );
  return [...em.monthUpdates, ...code, `v${k} = ${chooseCode(variants, values)};`];
}

/** The statements the skeleton places. */
export interface Body {
  paramCode: string[];
  startCode: string[];
  stepCode: string[];
  alive: string;
  aliveUpdates: string[];
  breakEven: string | undefined;
  breakEvenUpdates: string[];
}

/**
 * The kernel's text up to the loop over paths: the library bindings, the streams, and `run`'s
 * per-call constants (the per-run mark, tables, lag rings, the block's generator words).
 */
export function preamble({ model, lags, names, sites, em, qmc }: Parts): string[] {
  const P = model.params.length;
  const S = model.series.length;
  const lines: string[] = [];
  const emit = (s: string) => lines.push(s);
  emit(`"use strict";`);
  emit(
    `const { Stream, pathKey, keyAll, sample, quantile, normalCdf, stdNormal, normalW, stdNormalW, blockWords, wordStride, pw, pwf, powInt, rnd, clamp, scurve } = lib;`,
  );
  for (const name of Object.keys(SAMPLER_OF)) emit(`const d_${name} = sample.${SAMPLER_OF[name]};`);
  if (qmc) {
    for (const name of Object.keys(SAMPLER_OF)) emit(`const q_${name} = lib.inverse.${INVERSE_OF[name]!.fn};`);
    emit(`const qz = lib.inverse.inverseNormal;`);
  }
  for (const l of sites.declarations()) emit(l);
  const wordSites = sites.wordSites();
  emit(`return function run(ctx) {`);
  emit(`const seedLo = ctx.seedLo, seedHi = ctx.seedHi, first = ctx.first, count = ctx.count, T = ctx.horizon;`);
  emit(`const mask = ctx.mask, pvOff = ctx.pvOffset, out = ctx.out, stride = ctx.stride;`);
  emit(`const death = ctx.death, short = ctx.short, be = ctx.breakEven, caps = ctx.caps;`);
  emit(SIGNATURE_MARK);
  emit(`const V = new Float64Array(${Math.max(S, 1)});`);
  for (let k = 0; k < P; k++) emit(`const fx${k} = ctx.fixed[${k}], pv${k} = ctx.paramValues[${k}];`);
  for (const l of em.prologue) emit(l);
  if (qmc) emit(`const qu = ctx.qu, QD = ctx.qd, TQ = ctx.qt, pid = ctx.pid;`);
  for (const [name, K] of lags) emit(`const hist${names.seriesIndex.get(name)!} = new Float64Array(${K});`);
  if (wordSites.length > 0) {
    // Each month's first generator word of every always-drawn site, for the whole block (words.ts).
    emit(`const WS = blockWords(WSITES, seedLo, seedHi, first, count, T + 1), ws = wordStride(T + 1);`);
    emit(`const ${[...sites.wordOf.values()].map((w, k) => `${w} = WS[${k}]`).join(", ")};`);
  }
  return lines;
}

/** The kernel's text, line by line: the preamble, then the loops over paths and months. */
function skeleton(parts: Parts, b: Body): string[] {
  const { model, lags, logTracked, sites, em, qmc } = parts;
  const seriesIndex = parts.names.seriesIndex;
  const P = model.params.length;
  const S = model.series.length;
  const { paramCode, startCode, stepCode, alive, aliveUpdates, breakEven, breakEvenUpdates } = b;
  const shortfall = model.shortfall === undefined ? -1 : seriesIndex.get(model.shortfall)!;
  const lines = preamble(parts);
  const emit = (s: string) => lines.push(s);
  const wordSites = sites.wordSites();
  emit(`for (let i = 0; i < count; i++) {`);
  // A qmc path's number is its point and replicate's (chunk.ts pathId), wherever it sits in the run.
  emit(qmc ? `const path = pid[i];` : `const path = first + i;`);
  if (qmc) emit(`const qo = i * QD;`);
  if (wordSites.length > 0) emit(`const wb = i * ws - 1;`);
  for (const l of keyStreams(parts)) emit(l);
  for (const l of paramCode) emit(l);
  if (P > 0) {
    emit(`if (pout !== null) {`);
    emit(`const po = i * ${P};`);
    for (let k = 0; k < P; k++) emit(`pout[po + ${k}] = p${k};`);
    emit(`}`);
  }
  for (const l of em.pathHoists) emit(l);
  for (const l of em.accumulators) emit(l);
  for (const l of startCode) emit(l);
  for (const l of em.afterStart) emit(l);
  for (const name of lags.keys()) emit(`const st${seriesIndex.get(name)!} = q${seriesIndex.get(name)!};`);
  emit(`let dead = T + 1, low = 0, beT = 0;`);
  emit(`for (let t = 1; t <= T; t++) {`);
  emit(`const tc = t * 1024, tt = (t - 1) * stride;`);
  if (qmc) emit(`const qm = qo + ${QMC_PATH_DIMS} + (t - 1) * ${QMC_MONTH_SITES};`);
  for (const l of stepCode) emit(l);
  // One test a month for NaN and infinities in any series (x − x is NaN exactly when x is);
  // only when it fails is the first offending series looked for. A series that another one
  // carries into its value by + − × ÷ (cash = … − costs) is left out of the test: if it is not
  // finite, neither is the one that carries it, so the test still fails, and the search then
  // names the same series as before.
  if (S > 0) {
    const covered = carriedSeries(model, seriesIndex, logTracked);
    const tested = model.series.map((_, k) => k).filter((k) => !covered.has(k));
    emit(`if (!(${tested.map((k) => `(v${k} - v${k})`).join(" + ")} === 0)) {`);
    for (let k = 0; k < S; k++) emit(`if (!(v${k} - v${k} === 0)) { ctx.err = [2, ${k}, t, path, v${k}]; return; }`);
    emit(`}`);
  }
  for (let k = 0; k < S; k++) emit(`q${k} = v${k};`);
  for (const [name, K] of lags) {
    const k = seriesIndex.get(name)!;
    emit(`hist${k}[t % ${K}] = v${k};`);
  }
  for (const l of aliveUpdates) emit(l);
  emit(`if (dead > T && !(${alive})) dead = t;`);
  if (shortfall >= 0) emit(`if (v${shortfall} < low) low = v${shortfall};`);
  if (breakEven !== undefined) {
    for (const l of breakEvenUpdates) emit(l);
    emit(`if (beT === 0 && (${breakEven})) beT = t;`);
  }
  for (let k = 0; k < S; k++) emit(`if (ob${k} >= 0) out[ob${k} + tt + i] = v${k};`);
  emit(`if (nc > 0) {`);
  for (let k = 0; k < S; k++) emit(`V[${k}] = v${k};`);
  emit(`for (let c = 0; c < nc; c++) { const e = caps[c]; if (e.month === t) e.values[i] = V[e.series]; }`);
  emit(`}`);
  emit(`}`); // months
  emit(`death[i] = dead; short[i] = -low; be[i] = beT;`);
  emit(`}`); // paths
  emit(`};`);

  return lines;
}

/**
 * The statements keying every stream for a path. One call keys them all: inlined, 2·streams
 * hashes would use up V8's inlining budget (28 streams in openai-2024) that the samplers need
 * more. A quasi-Monte Carlo kernel reads the streams only in months past its coordinates
 * (t > TQ), so it keys them only then.
 */
export function keyStreams({ sites, qmc }: Parts): string[] {
  if (sites.streams.size === 0) return [];
  if (qmc) return [`if (TQ < T) keyAll(STREAMS, SKEYS, seedLo, seedHi, pathKey(seedHi, path));`];
  return [`const pk = pathKey(seedHi, path);`, `keyAll(STREAMS, SKEYS, seedLo, seedHi, pk);`];
}
