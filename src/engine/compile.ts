// The compiler: a checked Model becomes one specialised JavaScript function per scenario.
//
// The kernel is generated from the checked AST alone (never from the file's text) and runs a
// block of paths: params are drawn once per path, then every series is computed month by month
// as plain local variables in dependency order, so there is no per-operation dispatch in the
// inner loop, only arithmetic that V8 compiles to machine code.
//
// Loop-invariant code motion, by what a subexpression depends on:
//   - nothing (constants): folded at compile time with the same semantics the kernel uses;
//   - the month only (`1.03 ^ t`): a table filled once per block, read as tab[t];
//   - the path only (params: `1 - d`, `log(raise)`): computed once per path before the months;
//   - both: computed in the month loop.
// Random calls and the stateful `decay`/`growth` are never hoisted. Random draws are
// counter-based (rng.ts): the k-th random call in the formula of an owner (a param, or a
// series) reads the stream of site (owner, k) at counters from t·1024, so evaluating a draw
// lazily inside an `if` does not move any other draw, and a lever that replaces an owner's
// formula keeps that owner's draws (common random numbers).
//
// Levers are compiled in: a replaced formula becomes `(mask & bit) ? lever : base`, where
// mask is constant for a run, so one compiled kernel serves all 2^k lever combinations.

import { namesIn, type Expr } from "../lang/ast.js";
import { BUILTIN_BY_NAME } from "../lang/builtins.js";
import type { Diagnostic } from "../lang/diagnostics.js";
import type { CorrelationDef, Model, SeriesBody } from "../lang/model.js";
import { calendarCode, isCalendar, lagOf, longestLags, modelFormulas } from "./lags.js";
import { rangeParams } from "./distributions/range.js";
import { INVERSE_OF, QMC_LAZY_Z, QMC_U, QMC_Z } from "./qmc/invert.js";
import { siteId, siteKey } from "./rng.js";
import { evaluateConstant } from "./semantics.js";

/** A compiled scenario: reusable for every run and variant of its model. */
export interface CompiledModel {
  readonly kind: "compiled";
  readonly model: Model;
  /** Body of `new Function("lib", source)`, which returns the kernel `run(ctx)`: the general form. */
  readonly source: string;
  /**
   * The kernel specialised for one kind of run: which series are scaled, reported and captured
   * become constants, so V8 drops the multiplications by 1, the stores and the capture loop that
   * the run does not need (about 10% on the benchmark model). Cached per signature.
   */
  kernelSource(signature: KernelSignature): string;
  readonly paramNames: readonly string[];
  readonly seriesNames: readonly string[];
  readonly leverNames: readonly string[];
  /**
   * Params whose draw on a path is the same under every lever combination: no lever sets them
   * and their formula reads only such params. An analysis that runs many lever combinations
   * draws them once and passes them to the other runs (paramValues): the same numbers, fewer draws.
   */
  readonly leverFreeParams: readonly string[];
  /** Per series: its definition's span, for runtime error messages. */
  readonly diagnostics: readonly Diagnostic[];
  /** The draw sites as quasi-Monte Carlo dimensions (see QmcLayout). */
  qmcLayout(): QmcLayout;
}

/**
 * The dimensions of a scrambled Sobol' point, one per draw site: first every site drawn once
 * per path (params in declaration order, then series' start values), then every site drawn each
 * month, month 1 first: dimension pathKinds.length + (t − 1)·monthKinds.length + m is month t's
 * draw of month site m. A kind (invert.ts) is QMC_Z when the site draws from the normal family
 * and always draws (the block stores z = Φ⁻¹(u)), QMC_LAZY_Z when it draws from the normal family
 * only on some paths (the block stores u, the kernel inverts it when taken), QMC_U when it reads u.
 */
export interface QmcLayout {
  readonly pathKinds: readonly number[];
  readonly monthKinds: readonly number[];
  /**
   * Each site's scramble key: from its site id (owner name and ordinal) and kind, so two
   * scenarios whose sites are named alike get the same coordinates (common random numbers) and
   * sites named differently independent ones, as the counter streams do.
   */
  readonly pathKeys: readonly number[];
  readonly monthKeys: readonly number[];
}

/** What a run needs of the kernel (see CompiledModel.kernelSource). */
export interface KernelSignature {
  /** Some series is scaled (goal-seek's multipliers). */
  scaled: boolean;
  /** Indices of the reported series. */
  reported: readonly number[];
  /** Series values are captured per path. */
  captures: boolean;
  /** Param values are captured per path. */
  paramCaptures?: boolean;
  /** Draws read scrambled Sobol' (or Latin hypercube) coordinates instead of counter streams. */
  qmc?: boolean;
}

/** Dependency flags of a subexpression. */
const DEP_T = 1; // the month
const DEP_P = 2; // the path (params, series, draws)

const DEP_FIXED = 8; // stateful or random: never hoisted

type Owner = { name: string; ordinal: number; month: boolean };

export interface CompileOptions {
  /**
   * Only rewrites that keep every bit (the default allows a few that change the last bits, such
   * as reading log(revenue) from a running sum instead of calling log; tests compare exact
   * kernels with the interpreter bit for bit, and fast ones within 1e-12).
   */
  exact?: boolean;
}

export function compileModel(model: Model, options: CompileOptions = {}): CompiledModel {
  const plain = new Compiler(model, options.exact ?? false, false).compile();
  // The quasi-Monte Carlo kernels come from a second pass of the compiler, made on first use;
  // the counter-stream kernels are exactly what they were without it.
  let qmc: CompiledModel | undefined;
  const qmcCompiled = () => (qmc ??= new Compiler(model, options.exact ?? false, true).compile());
  return {
    ...plain,
    kernelSource: (sig) => (sig.qmc === true ? qmcCompiled().kernelSource(sig) : plain.kernelSource(sig)),
    qmcLayout: () => qmcCompiled().qmcLayout(),
  };
}

/** A draw site's QMC dimension, before numbering: its placeholder in the generated code. */
interface QmcSite {
  /** Orders the sites: the owner's place in the model, then the draw's ordinal in its formula. */
  rank: number;
  month: boolean;
  z: boolean;
  /**
   * A normal-family draw inside a branch that may not run (`if`, `and`/`or`, an event's size):
   * its coordinate is stored as u and turned into Φ⁻¹(u) by the kernel only when the draw is
   * taken, the same function on the same u, so the same bits, without paying for an inversion
   * on every path (a rare shock's size is read about 2% of the time).
   */
  lazy: boolean;
  placeholder: string;
  /** The scramble key: the site id, and the kind. */
  key: number;
}

class Compiler {
  private readonly paramIndex = new Map<string, number>();
  private readonly seriesIndex = new Map<string, number>();
  private readonly leverBit = new Map<string, number>();
  private readonly prologue: string[] = [];
  private readonly pathHoists: string[] = [];
  private readonly streams = new Map<number, string>();
  /** Streams whose month words are made in bulk (words.ts), with the name of their word array. */
  private readonly wordOf = new Map<string, string>();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly accumulators: string[] = [];
  /**
   * Tracked series whose growth exp(E) is shared with rational powers (s/K)^(p/q) of the series:
   * one A = exp(E/L) a month, then exp(E) = A^L and exp(c·E) = A^(cL) by multiplication, L the
   * least common denominator of the exponents (what a hand-written kernel does with a^9, a^10).
   */
  private readonly sharedExp = new Map<number, { L: number; powers: Set<number> }>();
  /** Inside a branch that may not run (if, and/or, event size): draws there are made lazily. */
  private conditional = 0;
  /** Whether the series being generated may prefetch its draws (it has no lever variants). */
  private prefetchOK = false;
  /** Statements to run after the current series' statement (next month's prefetched draws). */
  private monthAfter: string[] = [];
  /** Per-path state that needs the series' start values. */
  private readonly afterStart: string[] = [];
  private monthUpdates: string[] = [];
  private tmp = 0;

  /** Series read at a lag above 1 (prev(x, k)), with the longest lag: the size of their ring. */
  private readonly lags: Map<string, number>;

  /** Series whose log is tracked as a running sum: next = prev(s) · exp(E), so log s_t = log s_{t−1} + E. */
  private readonly logTracked = new Map<number, Expr>();

  /** Draw sites with a QMC dimension, by site id and kind (qmc kernels only). */
  private readonly qsites = new Map<string, QmcSite>();
  /** The site of the last stream() call. */
  private lastSite = { id: 0, ordinal: 0 };

  constructor(
    private readonly model: Model,
    private readonly exact: boolean,
    private readonly qmc: boolean,
  ) {
    model.params.forEach((p, i) => this.paramIndex.set(p.name, i));
    model.series.forEach((s, i) => this.seriesIndex.set(s.name, i));
    model.levers.forEach((l, i) => this.leverBit.set(l.name, i));
    this.lags = longestLags(modelFormulas(model));
    if (model.levers.length > 30) throw new Error("internal: at most 30 levers can be compiled");
  }

  compile(): CompiledModel {
    const m = this.model;
    const P = m.params.length;
    const S = m.series.length;

    // Params, each with lever alternatives, drawn at t = 0; correlated ones through the copula.
    const paramCode: string[] = [];
    const copula = this.copula();
    paramCode.push(...copula.code);
    m.params.forEach((p, k) => {
      const variants = this.variantsOf(p.name, { kind: "formula", expr: p.expr });
      const value = this.chooseExpr(variants, (body) => {
        if (body.kind !== "formula") throw new Error(`internal: lever sets param '${p.name}' to a series body`);
        const j = copula.index.get(p.name);
        if (j !== undefined && body.expr === p.expr) return this.genQuantile(p.expr, `cu${j}`);
        return this.gen(body.expr, { name: p.name, ordinal: 0, month: false }, false);
      });
      const edits = this.editsOf(p.name);
      if (edits.length > 0) {
        // Levers' add and scale on top of the formula in force, each from its own draws.
        paramCode.push(`let pe${k} = ${value};`);
        for (const ed of edits) {
          const f = this.gen(ed.expr, { name: editOwner(p.name, ed.lever), ordinal: 0, month: false }, false);
          paramCode.push(`if ((mask & ${1 << ed.bit}) !== 0) pe${k} = pe${k} ${ed.op === "add" ? "+" : "*"} (${f});`);
        }
      }
      paramCode.push(
        `let p${k} = fx${k} === fx${k} ? fx${k} : pv${k} !== null ? pv${k}[pvOff + i] : ${edits.length > 0 ? `pe${k}` : value};`,
        `if (!(p${k} - p${k} === 0)) { ctx.err = [1, ${k}, 0, path, p${k}]; return; }`,
      );
    });

    // Series: start values per path, then the month step.
    if (!this.exact) {
      this.findLogTracked();
      this.findSharedExp();
    }
    const startCode: string[] = [];
    const stepCode: string[] = [];
    m.series.forEach((s, k) => {
      const growth = this.logTracked.get(k);
      if (growth !== undefined) {
        // prev(s)·exp(E): the same product as the plain form, plus log s kept as a running sum.
        this.monthUpdates = [];
        const start =
          s.kind === "next" ? this.gen(s.start, { name: `${s.name}.start`, ordinal: 0, month: false }, false) : "NaN";
        startCode.push(`let q${k} = ${start}, v${k} = 0, lg${k} = Math.log(q${k});`);
        this.prologue.push(`const lsc${k} = sc${k} > 0 ? Math.log(sc${k}) : NaN;`);
        this.prefetchOK = true;
        const e = this.gen(growth, { name: s.name, ordinal: 0, month: true }, true);
        this.prefetchOK = false;
        stepCode.push(...this.monthUpdates);
        stepCode.push(`const le${k} = ${e};`);
        const shared = this.sharedExp.get(k);
        if (shared !== undefined) {
          // Only while the series is not scaled (sc = 1); otherwise the plain form below.
          this.prologue.push(`const sh${k} = sc${k} === 1;`);
          const top = Math.max(shared.L, ...shared.powers);
          stepCode.push(`const A${k}_1 = sh${k} ? Math.exp(le${k} * ${literal(1 / shared.L)}) : 0;`);
          for (let b = 2; b <= top; b *= 2) stepCode.push(`const A${k}_${b} = A${k}_${b / 2} * A${k}_${b / 2};`);
          stepCode.push(`v${k} = sh${k} ? q${k} * ${powerOfA(k, shared.L)} : (q${k} * Math.exp(le${k})) * sc${k};`);
        } else stepCode.push(`v${k} = (q${k} * Math.exp(le${k})) * sc${k};`);
        stepCode.push(`lg${k} += le${k} + lsc${k};`);
        stepCode.push(...this.monthAfter.splice(0));
        return;
      }
      const variants = this.variantsOf(s.name, s);
      this.monthUpdates = [];
      const starts = variants.map((v) =>
        v.body.kind === "formula"
          ? "NaN"
          : this.gen(v.body.start, { name: `${s.name}.start`, ordinal: 0, month: false }, false),
      );
      startCode.push(`let q${k} = ${chooseCode(variants, starts)}, v${k} = 0;`);
      const edits = this.editsOf(s.name);
      if (edits.length > 0) {
        stepCode.push(...this.editedStep(k, variants, edits));
        return;
      }
      this.prefetchOK = variants.length === 1;
      const steps = variants.map((v) => {
        const owner = { name: s.name, ordinal: 0, month: true };
        const body = v.body;
        switch (body.kind) {
          case "formula":
            return `(${this.gen(body.expr, owner, true)}) * sc${k}`;
          case "next":
            return `(${this.gen(body.next, owner, true)}) * sc${k}`;
          case "stock":
            return `q${k} + (${this.gen(body.change, owner, true)}) * sc${k}`;
          default:
            throw new Error(`internal: ${body satisfies never}`);
        }
      });
      stepCode.push(...this.monthUpdates);
      this.prefetchOK = false;
      stepCode.push(`v${k} = ${chooseCode(variants, steps)};`);
      stepCode.push(...this.monthAfter.splice(0));
    });
    this.monthUpdates = [];
    const alive = this.gen(m.scenario.alive, { name: "alive", ordinal: 0, month: true }, true);
    const aliveUpdates = this.monthUpdates;
    this.monthUpdates = [];
    const breakEven = m.scenario.breakEven
      ? this.gen(m.scenario.breakEven, { name: "breakeven", ordinal: 0, month: true }, true)
      : undefined;
    const breakEvenUpdates = this.monthUpdates;
    const shortfall = m.shortfall === undefined ? -1 : this.seriesIndex.get(m.shortfall)!;

    const lines: string[] = [];
    const emit = (s: string) => lines.push(s);
    emit(`"use strict";`);
    emit(
      `const { Stream, pathKey, keyAll, sample, quantile, normalCdf, stdNormal, normalW, stdNormalW, blockWords, wordStride, pw, pwf, powInt, rnd, clamp, scurve } = lib;`,
    );
    for (const name of Object.keys(SAMPLER_OF)) emit(`const d_${name} = sample.${SAMPLER_OF[name]};`);
    if (this.qmc) {
      for (const name of Object.keys(SAMPLER_OF)) emit(`const q_${name} = lib.inverse.${INVERSE_OF[name]!.fn};`);
      emit(`const qz = lib.inverse.inverseNormal;`);
    }
    for (const [id, v] of this.streams) emit(`const ${v} = new Stream(); // site ${id}`);
    if (this.streams.size > 0) {
      emit(`const STREAMS = [${[...this.streams.values()].join(", ")}];`);
      emit(
        `const SKEYS = new Int32Array([${[...this.streams.keys()].map((id) => `${siteKey(id)}, ${Math.imul(id, 0x9e3779b9)}`).join(", ")}]);`,
      );
    }
    const wordSites = [...this.wordOf.keys()].map((v) => [...this.streams].find(([, name]) => name === v)![0]);
    if (wordSites.length > 0)
      emit(`const WSITES = [${wordSites.map((id) => `${siteKey(id)}, ${Math.imul(id, 0x9e3779b9)}`).join(", ")}];`);
    emit(`return function run(ctx) {`);
    emit(`const seedLo = ctx.seedLo, seedHi = ctx.seedHi, first = ctx.first, count = ctx.count, T = ctx.horizon;`);
    emit(`const mask = ctx.mask, pvOff = ctx.pvOffset, out = ctx.out, stride = ctx.stride;`);
    emit(`const death = ctx.death, short = ctx.short, be = ctx.breakEven, caps = ctx.caps;`);
    emit(SIGNATURE_MARK);
    emit(`const V = new Float64Array(${Math.max(S, 1)});`);
    for (let k = 0; k < P; k++) emit(`const fx${k} = ctx.fixed[${k}], pv${k} = ctx.paramValues[${k}];`);
    for (const l of this.prologue) emit(l);
    if (this.qmc) emit(`const qu = ctx.qu, QD = ctx.qd, TQ = ctx.qt;`);
    for (const [name, K] of this.lags) emit(`const hist${this.seriesIndex.get(name)!} = new Float64Array(${K});`);
    if (wordSites.length > 0) {
      // Each month's first generator word of every always-drawn site, for the whole block (words.ts).
      emit(`const WS = blockWords(WSITES, seedLo, seedHi, first, count, T + 1), ws = wordStride(T + 1);`);
      emit(`const ${[...this.wordOf.values()].map((w, k) => `${w} = WS[${k}]`).join(", ")};`);
    }
    emit(`for (let i = 0; i < count; i++) {`);
    emit(`const path = first + i;`);
    if (this.qmc) emit(`const qo = i * QD;`);
    if (wordSites.length > 0) emit(`const wb = i * ws - 1;`);
    // One call keys every stream: inlined, 2·streams hashes would use up V8's inlining budget
    // (28 streams in openai-2024) that the samplers need more. A quasi-Monte Carlo kernel reads
    // the streams only in months past its coordinates (t > TQ), so it keys them only then.
    if (this.streams.size > 0 && this.qmc)
      emit(`if (TQ < T) keyAll(STREAMS, SKEYS, seedLo, seedHi, pathKey(seedHi, path));`);
    else if (this.streams.size > 0) {
      emit(`const pk = pathKey(seedHi, path);`);
      emit(`keyAll(STREAMS, SKEYS, seedLo, seedHi, pk);`);
    }
    for (const l of paramCode) emit(l);
    if (P > 0) {
      emit(`if (pout !== null) {`);
      emit(`const po = i * ${P};`);
      for (let k = 0; k < P; k++) emit(`pout[po + ${k}] = p${k};`);
      emit(`}`);
    }
    for (const l of this.pathHoists) emit(l);
    for (const l of this.accumulators) emit(l);
    for (const l of startCode) emit(l);
    for (const l of this.afterStart) emit(l);
    for (const name of this.lags.keys())
      emit(`const st${this.seriesIndex.get(name)!} = q${this.seriesIndex.get(name)!};`);
    emit(`let dead = T + 1, low = 0, beT = 0;`);
    emit(`for (let t = 1; t <= T; t++) {`);
    emit(`const tc = t * 1024, tt = (t - 1) * stride;`);
    if (this.qmc) emit(`const qm = qo + ${QMC_PATH_DIMS} + (t - 1) * ${QMC_MONTH_SITES};`);
    for (const l of stepCode) emit(l);
    // One test a month for NaN and infinities in any series (x − x is NaN exactly when x is);
    // only when it fails is the first offending series looked for. A series that another one
    // carries into its value by + − × ÷ (cash = … − costs) is left out of the test: if it is not
    // finite, neither is the one that carries it, so the test still fails, and the search then
    // names the same series as before.
    if (S > 0) {
      const covered = this.carriedSeries();
      const tested = m.series.map((_, k) => k).filter((k) => !covered.has(k));
      emit(`if (!(${tested.map((k) => `(v${k} - v${k})`).join(" + ")} === 0)) {`);
      for (let k = 0; k < S; k++) emit(`if (!(v${k} - v${k} === 0)) { ctx.err = [2, ${k}, t, path, v${k}]; return; }`);
      emit(`}`);
    }
    for (let k = 0; k < S; k++) emit(`q${k} = v${k};`);
    for (const [name, K] of this.lags) {
      const k = this.seriesIndex.get(name)!;
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

    const layout = this.numberQmcSites();
    const template = this.qmc ? layout.code(lines.join("\n")) : lines.join("\n");
    const cache = new Map<string, string>();
    const kernelSource = (sig: KernelSignature): string => {
      const key = `${sig.scaled ? 1 : 0}${sig.captures ? 1 : 0}${sig.paramCaptures ? 1 : 0}:${sig.reported.join(",")}`;
      let src = cache.get(key);
      if (src === undefined) {
        const decl: string[] = [
          sig.captures ? "const nc = caps.length;" : "const nc = 0;",
          sig.paramCaptures ? "const pout = ctx.paramOut;" : "const pout = null;",
        ];
        for (let k = 0; k < S; k++) {
          const sc = sig.scaled ? `ctx.scale[${k}]` : "1";
          const ob = sig.reported.includes(k) ? `ctx.outBase[${k}]` : "-1";
          decl.push(`const sc${k} = ${sc}, ob${k} = ${ob};`);
        }
        src = template.replace(SIGNATURE_MARK, decl.join("\n"));
        cache.set(key, src);
      }
      return src;
    };
    return {
      kind: "compiled",
      model: m,
      source: kernelSource({ scaled: true, captures: true, paramCaptures: true, reported: m.series.map((_, k) => k) }),
      kernelSource,
      paramNames: m.params.map((p) => p.name),
      seriesNames: m.series.map((s) => s.name),
      leverNames: m.levers.map((l) => l.name),
      leverFreeParams: this.leverFreeParams(),
      diagnostics: this.diagnostics,
      qmcLayout: () => layout.layout,
    };
  }

  /**
   * A QMC dimension for the draw just taken from stream() (the last site), `month` when drawn
   * every month, `z` when it reads Φ⁻¹(u). Returns the code reading it and the code that says
   * whether the dimension exists (months past the table fall back to the counter stream).
   */
  private qdim(owner: Owner, month: boolean, z: boolean, at = this.lastSite): { ref: string; ok: string } {
    const key = `${at.id}:${z ? 1 : 0}`;
    let site = this.qsites.get(key);
    if (site === undefined) {
      site = {
        rank: this.ownerRank(owner.name) * 4096 + at.ordinal,
        month,
        z,
        lazy: z && this.conditional > 0,
        placeholder: `@Q${this.qsites.size}@`,
        key: z ? at.id ^ 0x5851f42d : at.id,
      };
      this.qsites.set(key, site);
    }
    return { ref: site.placeholder, ok: month ? "t <= TQ" : "true" };
  }

  /** Where an owner stands in the model: params, then series' starts (path sites); series, alive, break-even (month sites). */
  private ownerRank(name: string): number {
    const P = this.model.params.length;
    const S = this.model.series.length;
    const p = this.paramIndex.get(name);
    if (p !== undefined) return p;
    const s = this.seriesIndex.get(name);
    if (s !== undefined) return s;
    if (name.endsWith(".start")) return P + (this.seriesIndex.get(name.slice(0, -6)) ?? S);
    return name === "alive" ? S : name === "breakeven" ? S + 1 : P + S + 2;
  }

  /** Numbers the QMC sites (path sites first, each group by rank) and fills in their placeholders. */
  private numberQmcSites(): { layout: QmcLayout; code: (template: string) => string } {
    const byRank = (a: QmcSite, b: QmcSite) => a.rank - b.rank;
    const path = [...this.qsites.values()].filter((q) => !q.month).sort(byRank);
    const month = [...this.qsites.values()].filter((q) => q.month).sort(byRank);
    const ref = new Map<string, string>();
    const read = (q: QmcSite, at: string) => (q.lazy ? `qz(${at})` : at);
    path.forEach((q, d) => ref.set(q.placeholder, read(q, `qu[qo + ${d}]`)));
    month.forEach((q, m) => ref.set(q.placeholder, read(q, `qu[qm + ${m}]`)));
    const kind = (q: QmcSite) => (q.lazy ? QMC_LAZY_Z : q.z ? QMC_Z : QMC_U);
    return {
      layout: {
        pathKinds: path.map(kind),
        monthKinds: month.map(kind),
        pathKeys: path.map((q) => q.key),
        monthKeys: month.map((q) => q.key),
      },
      code: (template) =>
        template
          .replaceAll(QMC_PATH_DIMS, String(path.length))
          .replaceAll(QMC_MONTH_SITES, String(month.length))
          .replace(/@Q\d+@/g, (ph) => ref.get(ph)!),
    };
  }

  /**
   * Rank correlations between params by a Gaussian copula: each correlated param draws a
   * standard normal from its own site; the vector is multiplied by the Cholesky factor of the
   * normal correlation matrix r = 2·sin(π·ρs/6) (which gives Spearman ρs exactly for continuous
   * marginals), mapped to uniforms by Φ and to values by the param's own quantile function, so
   * each param keeps its distribution.
   */
  private copula(): { code: string[]; index: Map<string, number> } {
    const pairs = this.model.scenario.correlations;
    const index = new Map<string, number>();
    for (const c of pairs) for (const n of [c.a, c.b]) if (!index.has(n)) index.set(n, index.size);
    if (index.size === 0) return { code: [], index };
    const names = [...index.keys()];
    const n = names.length;
    const L = copulaFactor(names, pairs);
    if (L === undefined) {
      this.diagnostics.push({
        code: "correlation_not_positive_definite",
        severity: "error",
        message: `the correlations between ${names.join(", ")} are not consistent (the matrix is not positive definite)`,
        span: pairs[0]!.span,
        hint: "weaken some correlations: e.g. a~b 0.9 and a~c 0.9 force b~c to be strongly positive too",
      });
      return { code: [], index: new Map() };
    }
    for (const name of names) {
      const def = this.model.params.find((p) => p.name === name)!;
      const e = def.expr;
      const ok = e.kind === "range" || (e.kind === "call" && SAMPLER_OF[e.callee] !== undefined);
      if (!ok)
        this.diagnostics.push({
          code: "correlation_not_distribution",
          severity: "error",
          message: `'${name}' is correlated but its formula is not a single distribution`,
          span: def.nameSpan,
        });
    }
    const code: string[] = [];
    names.forEach((name, j) => {
      const owner = { name, ordinal: 0, month: false };
      const st = this.stream(owner);
      if (this.qmc) code.push(`const cz${j} = ${this.qdim(owner, false, true).ref};`);
      else code.push(`const cz${j} = (${st}.c = 0, stdNormal(${st}));`);
    });
    for (let i = 0; i < n; i++) {
      const terms = [];
      for (let j = 0; j <= i; j++) if (L[i]![j] !== 0) terms.push(`${literal(L[i]![j]!)} * cz${j}`);
      code.push(`const cu${i} = normalCdf(${terms.join(" + ") || "0"});`);
    }
    return { code, index };
  }

  /** A correlated param's value: its distribution's quantile at the copula's uniform. */
  private genQuantile(e: Expr, u: string): string {
    const owner = { name: "", ordinal: 0, month: false };
    const args = e.kind === "range" ? [e.lo, e.hi] : e.kind === "call" ? e.args : undefined;
    if (args === undefined) throw new Error("internal: correlated param is not a distribution");
    const family = e.kind === "range" ? "range" : SAMPLER_OF[(e as Extract<Expr, { kind: "call" }>).callee];
    let list = `[${args.map((a) => this.gen(a, owner, false)).join(", ")}]`;
    if (args.every((a) => this.deps(a) === 0)) {
      // Constant parameters: one array per kernel call instead of one per path.
      const name = `qa${this.tmp++}`;
      this.prologue.push(`const ${name} = ${list};`);
      list = name;
    }
    return `quantile.${family}(${list}, ${u})`;
  }

  /**
   * Series whose current value some other series carries: a non-finite value of theirs makes
   * that series' value non-finite too, under every lever. The month's value is `(body) · sc` or
   * `prev + (change) · sc`, so it carries what its body carries (`carries`); a series whose
   * log is tracked is computed as prev · exp(…) and carries nothing.
   */
  private carriedSeries(): Set<number> {
    const covered = new Set<number>();
    this.model.series.forEach((s, k) => {
      if (this.logTracked.has(k)) return;
      const sets = this.variantsOf(s.name, s).map(({ body }) =>
        carries(body.kind === "formula" ? body.expr : body.kind === "next" ? body.next : body.change, this.seriesIndex),
      );
      for (const j of sets[0]!) if (j !== k && sets.every((c) => c.has(j))) covered.add(j);
    });
    return covered;
  }

  /**
   * The month step of a series that levers edit: the month formula in force (base or a lever's
   * set) as e, then each lever's add or scale when its bit is on, in lever order, then the value
   * (e for a formula or recurrence, previous + e for a stock), scaled as any series is.
   */
  private editedStep(k: number, variants: { bit: number; body: SeriesBody }[], edits: Edit[]): string[] {
    const s = this.model.series[k]!;
    this.monthUpdates = [];
    // Each variant numbers its draws from 0, as the base does: a set keeps the base's draws.
    const month = variants.map((v) => this.gen(monthFormula(v.body), { name: s.name, ordinal: 0, month: true }, true));
    const code = [`let e${k} = ${chooseCode(variants, month)};`];
    this.conditional++;
    for (const ed of edits) {
      const f = this.gen(ed.expr, { name: editOwner(s.name, ed.lever), ordinal: 0, month: true }, true);
      code.push(`if ((mask & ${1 << ed.bit}) !== 0) e${k} = e${k} ${ed.op === "add" ? "+" : "*"} (${f});`);
    }
    this.conditional--;
    const values = variants.map((v) => (v.body.kind === "stock" ? `q${k} + e${k} * sc${k}` : `e${k} * sc${k}`));
    return [...this.monthUpdates, ...code, `v${k} = ${chooseCode(variants, values)};`];
  }

  /** The add and scale edits levers make on a name, in lever order. */
  private editsOf(name: string): Edit[] {
    const out: Edit[] = [];
    this.model.levers.forEach((lever, bit) => {
      for (const e of lever.edits) if (e.name === name) out.push({ bit, op: e.op, expr: e.expr, lever: lever.name });
    });
    return out;
  }

  /** See CompiledModel.leverFreeParams. Params come in dependency order (a param reads only earlier ones). */
  private leverFreeParams(): string[] {
    const free = new Set<string>();
    for (const p of this.model.params) {
      if (this.variantsOf(p.name, { kind: "formula", expr: p.expr }).length > 1) continue;
      if (this.editsOf(p.name).length > 0) continue;
      const reads = [...namesIn(p.expr)].filter((n) => this.paramIndex.has(n));
      if (reads.every((n) => free.has(n))) free.add(p.name);
    }
    return [...free];
  }

  /** The base body of an owner plus each lever's replacement, latest lever first. */
  private variantsOf(name: string, base: SeriesBody): { bit: number; body: SeriesBody }[] {
    const out: { bit: number; body: SeriesBody }[] = [];
    this.model.levers.forEach((lever, bit) => {
      for (const set of lever.set) if (set.name === name) out.unshift({ bit, body: set.body });
    });
    out.push({ bit: -1, body: base });
    return out;
  }

  private chooseExpr(variants: { bit: number; body: SeriesBody }[], gen: (b: SeriesBody) => string): string {
    return chooseCode(
      variants,
      variants.map((v) => gen(v.body)),
    );
  }

  /**
   * The first word at a month counter ("1024", "tc", "tc + 1024") of a stream drawn every month,
   * read from the block's bulk words; undefined where the draw is not made every month (inside a
   * branch, or a param's draw), which then hashes its words as it goes.
   */
  private monthWord(stream: string, counter: string, inMonth: boolean): string | undefined {
    if (!inMonth || this.conditional > 0 || this.qmc) return undefined;
    const month = { "1024": "1", tc: "t", "tc + 1024": "t + 1" }[counter];
    if (month === undefined) return undefined;
    let w = this.wordOf.get(stream);
    if (w === undefined) {
      w = `W${this.wordOf.size}`;
      this.wordOf.set(stream, w);
    }
    return `${w}[wb + ${month}]`;
  }

  private stream(owner: Owner): string {
    const id = siteId(owner.name, owner.ordinal++);
    this.lastSite = { id, ordinal: owner.ordinal - 1 };
    let v = this.streams.get(id);
    if (v === undefined) {
      v = `s${this.streams.size}`;
      this.streams.set(id, v);
    }
    return v;
  }

  /** Flags of what an expression depends on. */
  private deps(e: Expr): number {
    switch (e.kind) {
      case "number":
        return 0;
      case "name":
        if (e.name === "t") return DEP_T;
        if (e.name === "pi") return 0;
        if (this.paramIndex.has(e.name)) return DEP_P;
        if (isCalendar(e.name) && !this.seriesIndex.has(e.name)) return DEP_T;
        return DEP_T | DEP_P | DEP_FIXED;
      case "unary":
        return this.deps(e.arg);
      case "binary":
        return this.deps(e.left) | this.deps(e.right);
      case "range":
        return DEP_T | DEP_P | DEP_FIXED;
      case "call": {
        const b = BUILTIN_BY_NAME.get(e.callee);
        if (b === undefined) throw new Error(`internal: unchecked call '${e.callee}'`);
        if (b.kind === "distribution" || e.callee === "event" || e.callee === "prev") return DEP_T | DEP_P | DEP_FIXED;
        if (e.callee === "decay" || e.callee === "growth") return DEP_T | DEP_P | DEP_FIXED;
        return e.args.reduce((f, a) => f | this.deps(a), 0);
      }
      default:
        throw new Error(`internal: ${e satisfies never}`);
    }
  }

  /**
   * JavaScript for an expression. In the month loop (`inMonth`), hoists subexpressions that do
   * not depend on both the month and the path.
   */
  private gen(e: Expr, owner: Owner, inMonth: boolean): string {
    const d = this.deps(e);
    if (d === 0 && e.kind !== "number") return literal(evaluateConstant(e));
    if (inMonth && (d & DEP_FIXED) === 0 && !isTrivial(e)) {
      if (d === DEP_T) {
        const tab = `tab${this.tmp++}`;
        this.prologue.push(`const ${tab} = new Float64Array(T + 1);`);
        this.prologue.push(`for (let t = 1; t <= T; t++) ${tab}[t] = ${this.genNode(e, owner, false)};`);
        return `${tab}[t]`;
      }
      if ((d & DEP_T) === 0) {
        const h = `h${this.tmp++}`;
        this.pathHoists.push(`const ${h} = ${this.genNode(e, owner, false)};`);
        return h;
      }
    }
    return this.genNode(e, owner, inMonth);
  }

  private genNode(e: Expr, owner: Owner, inMonth: boolean): string {
    const g = (x: Expr) => this.gen(x, owner, inMonth);
    switch (e.kind) {
      case "number":
        return literal(e.value);
      case "name": {
        if (e.name === "t") return "t";
        if (e.name === "pi") return literal(Math.PI);
        const p = this.paramIndex.get(e.name);
        if (p !== undefined) return `p${p}`;
        const s = this.seriesIndex.get(e.name);
        if (s !== undefined) return `v${s}`;
        if (isCalendar(e.name)) return calendarCode(e.name, this.model.scenario.start);
        throw new Error(`internal: unresolved name '${e.name}'`);
      }
      case "unary":
        return e.op === "-" ? `(-${g(e.arg)})` : `(${g(e.arg)} ? 0 : 1)`;
      case "binary": {
        const below = this.genBelow(e, owner, inMonth);
        if (below !== undefined) return below;
        const a = g(e.left);
        // JavaScript's && and || skip their right side, so draws there are conditional.
        const lazy = e.op === "and" || e.op === "or";
        if (lazy) this.conditional++;
        const b = g(e.right);
        if (lazy) this.conditional--;
        switch (e.op) {
          case "+":
          case "-":
          case "*":
          case "/":
            return `(${a} ${e.op} ${b})`;
          case "^":
            return this.genPower(e, a, b, owner, inMonth);
          case "<":
          case "<=":
          case ">":
          case ">=":
            return `(${a} ${e.op} ${b} ? 1 : 0)`;
          case "==":
            return `(${a} === ${b} ? 1 : 0)`;
          case "!=":
            return `(${a} !== ${b} ? 1 : 0)`;
          case "and":
            return `(${a} && ${b} ? 1 : 0)`;
          case "or":
            return `(${a} || ${b} ? 1 : 0)`;
          default:
            throw new Error("internal: unknown binary operator");
        }
      }
      case "range": {
        const s = this.stream(owner);
        const q = this.qmc ? this.qdim(owner, inMonth, true) : undefined;
        const at = `(${s}.c = ${inMonth ? "tc" : "0"}, ${s})`;
        if (this.deps(e.lo) === 0 && this.deps(e.hi) === 0) {
          // Constant ends: the family's mu and sigma are computed here, by the same operations
          // the sampler would use on every draw (two logs saved a draw, same bits).
          const r = rangeParams(evaluateConstant(e.lo), evaluateConstant(e.hi));
          if (r.sigma >= 0) {
            const z = (c: string) => {
              const w = this.monthWord(s, c, inMonth);
              let draw = w === undefined ? `stdNormal((${s}.c = ${c}, ${s}))` : `stdNormalW(${w}, ${s}, ${c})`;
              if (q !== undefined) draw = `(${q.ok} ? ${q.ref} : ${draw})`;
              return `${literal(r.mu)} + ${literal(r.sigma)} * ${draw}`;
            };
            const make = (c: string) => (r.family === "lognormal" ? `Math.exp(${z(c)})` : `(${z(c)})`);
            return this.draw(inMonth, [], make, inMonth ? "tc" : "0");
          }
        }
        if (q !== undefined)
          return `(${q.ok} ? q_range(${q.ref}, ${g(e.lo)}, ${g(e.hi)}) : d_range(${at}, ${g(e.lo)}, ${g(e.hi)}))`;
        return `d_range(${at}, ${g(e.lo)}, ${g(e.hi)})`;
      }
      case "call":
        return this.genCall(e, owner, inMonth);
      default:
        throw new Error(`internal: ${e satisfies never}`);
    }
  }

  /**
   * `uniform(0, 1) < x` (or `x > uniform(0, 1)`): the draw and the comparison in one,
   * Stream.below(x), which reads the generator's second word only when the first does not
   * decide (about once in 2^27 draws) — same result, one word instead of two. Sites are taken in
   * the same order as the plain form takes them, so every other draw is unchanged.
   */
  private genBelow(e: Extract<Expr, { kind: "binary" }>, owner: Owner, inMonth: boolean): string | undefined {
    const isUnit = (x: Expr) =>
      x.kind === "call" &&
      x.callee === "uniform" &&
      x.args.length === 2 &&
      this.deps(x.args[0]!) === 0 &&
      this.deps(x.args[1]!) === 0 &&
      evaluateConstant(x.args[0]!) === 0 &&
      evaluateConstant(x.args[1]!) === 1;
    let stream: string;
    let threshold: Expr;
    let code: string;
    let site = this.lastSite;
    if (e.op === "<" && isUnit(e.left)) {
      stream = this.stream(owner);
      site = this.lastSite;
      threshold = e.right;
      code = this.gen(e.right, owner, inMonth);
    } else if (e.op === ">" && isUnit(e.right)) {
      threshold = e.left;
      code = this.gen(e.left, owner, inMonth);
      stream = this.stream(owner);
      site = this.lastSite;
    } else return undefined;
    const q = this.qmc ? this.qdim(owner, inMonth, false, site) : undefined;
    const make = (c: string) => {
      if (q !== undefined)
        return `(${q.ok} ? (${q.ref} < ${code} ? 1 : 0) : (${stream}.c = ${c}, ${stream}).below(${code}))`;
      const w = this.monthWord(stream, c, inMonth);
      return w === undefined
        ? `(${stream}.c = ${c}, ${stream}).below(${code})`
        : `${stream}.belowFromWord(${w}, ${c}, ${code})`;
    };
    return this.draw(inMonth, [threshold], make, inMonth ? "tc" : "0");
  }

  /** Finds the series written as prev(s) · exp(E) (or exp(E) · prev(s)) that no lever replaces. */
  private findLogTracked(): void {
    this.model.series.forEach((s, k) => {
      if (s.kind !== "next" || this.variantsOf(s.name, s).length > 1 || this.editsOf(s.name).length > 0) return;
      const e = s.next;
      if (e.kind !== "binary" || e.op !== "*") return;
      const isPrev = (x: Expr) =>
        x.kind === "call" && x.callee === "prev" && x.args[0]?.kind === "name" && x.args[0].name === s.name;
      const isExp = (x: Expr) => x.kind === "call" && x.callee === "exp" && x.args.length === 1;
      // exp(E)·prev(s) and prev(s)·exp(E) are the same product bit for bit (IEEE multiplication commutes).
      if (isPrev(e.left) && isExp(e.right))
        this.logTracked.set(k, (e.right as Extract<Expr, { kind: "call" }>).args[0]!);
      else if (isExp(e.left) && isPrev(e.right))
        this.logTracked.set(k, (e.left as Extract<Expr, { kind: "call" }>).args[0]!);
    });
  }

  /** Collects, per tracked series, the literal rational exponents p/q (q ≤ 16) it is raised to. */
  private findSharedExp(): void {
    const found = new Map<number, number[]>();
    const visit = (e: Expr): void => {
      switch (e.kind) {
        case "binary":
          if (e.op === "^" && e.right.kind === "number" && !Number.isInteger(e.right.value)) {
            const k = this.trackedBase(e.left);
            if (k !== undefined && rational(e.right.value) !== undefined)
              found.set(k, [...(found.get(k) ?? []), e.right.value]);
          }
          visit(e.left);
          visit(e.right);
          return;
        case "unary":
          return visit(e.arg);
        case "call":
          return e.args.forEach(visit);
        case "range":
          visit(e.lo);
          return visit(e.hi);
        default:
          return;
      }
    };
    const bodies: SeriesBody[] = [...this.model.series];
    for (const l of this.model.levers) for (const set of l.set) bodies.push(set.body);
    for (const l of this.model.levers) for (const edit of l.edits) bodies.push({ kind: "formula", expr: edit.expr });
    for (const b of bodies)
      if (b.kind === "formula") visit(b.expr);
      else if (b.kind === "next") visit(b.next);
      else visit(b.change);
    visit(this.model.scenario.alive);
    if (this.model.scenario.breakEven) visit(this.model.scenario.breakEven);
    for (const [k, cs] of found) {
      const L = cs.map((c) => rational(c)![1]).reduce(lcm, 1);
      if (L > 64) continue;
      const powers = new Set(cs.map((c) => Math.abs(Math.round(c * L))));
      if (Math.max(...powers) > 256) continue;
      this.sharedExp.set(k, { L, powers });
    }
  }

  /** The tracked series a power base is made of (s, s/K, s·K, K·s), syntactically. */
  private trackedBase(base: Expr): number | undefined {
    const series = (x: Expr) => (x.kind === "name" ? this.seriesIndex.get(x.name) : undefined);
    const tracked = (k: number | undefined) => (k !== undefined && this.logTracked.has(k) ? k : undefined);
    if (base.kind === "name") return tracked(series(base));
    if (base.kind !== "binary" || (base.op !== "/" && base.op !== "*")) return undefined;
    return tracked(series(base.left)) ?? (base.op === "*" ? tracked(series(base.right)) : undefined);
  }

  /**
   * log of a base that is a tracked series, or that series times or over a positive factor fixed
   * on the path (a constant, or params: its log is computed once per path). `guard` is the code
   * that must hold for the tracked form to be valid.
   */
  private trackedLog(base: Expr): { k: number; log: string; guard: string } | undefined {
    const series = (x: Expr) => (x.kind === "name" ? this.seriesIndex.get(x.name) : undefined);
    const tracked = (k: number | undefined) => (k !== undefined && this.logTracked.has(k) ? k : undefined);
    const valid = (k: number) => `v${k} > 0 && sc${k} > 0`;
    let k = tracked(series(base));
    if (k !== undefined) return { k, log: `lg${k}`, guard: valid(k) };
    if (base.kind !== "binary" || (base.op !== "/" && base.op !== "*")) return undefined;
    // The factor: a positive literal, or anything fixed on the path (hoisted, with its log).
    const factor = (x: Expr): { log: string; guard: string } | undefined => {
      if (x.kind === "number") return x.value > 0 ? { log: literal(Math.log(x.value)), guard: "" } : undefined;
      if ((this.deps(x) & (DEP_T | DEP_FIXED)) !== 0) return undefined;
      const h = `hl${this.tmp++}`;
      this.pathHoists.push(`const ${h}v = ${this.gen(x, { name: "", ordinal: 0, month: false }, false)};`);
      this.pathHoists.push(`const ${h} = Math.log(${h}v);`);
      return { log: h, guard: ` && ${h}v > 0` };
    };
    const sign = base.op === "/" ? "-" : "+";
    if ((k = tracked(series(base.left))) !== undefined) {
      const f = factor(base.right);
      if (f) return { k, log: `(lg${k} ${sign} ${f.log})`, guard: valid(k) + f.guard };
    }
    if (base.op === "*" && (k = tracked(series(base.right))) !== undefined) {
      const f = factor(base.left);
      if (f) return { k, log: `(lg${k} + ${f.log})`, guard: valid(k) + f.guard };
    }
    return undefined;
  }

  /**
   * A draw in a series' month. When it runs every month (not in a branch) and its arguments are
   * fixed on the path, it is prefetched: next month's draw is made right after this month's
   * statement, so the month's arithmetic does not wait for the generator and the sampler (same
   * counters, same values; measured about 5 ns a path-month faster on the benchmark model).
   * `make` builds the draw for a counter expression; `now` is the in-place form's counter.
   */
  private draw(inMonth: boolean, args: readonly Expr[], make: (counter: string) => string, now: string): string {
    const fixed = args.every((a) => (this.deps(a) & (DEP_T | DEP_FIXED)) === 0);
    if (!(inMonth && this.prefetchOK && this.conditional === 0 && fixed) || this.qmc) return make(now);
    const nx = `nx${this.tmp++}`;
    this.afterStart.push(`let ${nx} = ${make("1024")};`);
    this.monthAfter.push(`${nx} = ${make("tc + 1024")};`);
    return nx;
  }

  /**
   * `x ^ t` with x fixed on a path (and not on the month) becomes a running product, one
   * multiplication a month; bit-identical to pw(x, t), which multiplies from the left.
   */
  private genPower(
    e: Extract<Expr, { kind: "binary" }>,
    a: string,
    b: string,
    _owner: Owner,
    inMonth: boolean,
  ): string {
    if (inMonth && e.right.kind === "name" && e.right.name === "t" && (this.deps(e.left) & (DEP_T | DEP_FIXED)) === 0) {
      const acc = `pt${this.tmp++}`;
      this.accumulators.push(`let ${acc} = 1;`);
      this.monthUpdates.push(`${acc} *= ${a};`);
      return acc;
    }
    const isIntegerLiteral = e.right.kind === "number" && Number.isInteger(e.right.value);
    const tracked = inMonth && !isIntegerLiteral ? this.trackedLog(e.left) : undefined;
    if (tracked === undefined) return genPow(e.right, a, b);
    const k = tracked.k;
    if ((this.deps(e.right) & (DEP_T | DEP_FIXED)) === 0) {
      // With a path-fixed exponent c, (s/K)^c = exp(c·(log s − log K)) grows by exp(c·E) a month:
      // a running product whose exp depends only on this month's E, not on the running log, so
      // it can start as soon as E is known (measured about 5 ns a path-month faster).
      const y = `yp${this.tmp++}`;
      this.afterStart.push(`let ${y} = Math.exp(${b} * ${tracked.log});`);
      const shared = this.sharedExp.get(k);
      const c = e.right.kind === "number" ? e.right.value : NaN;
      if (shared !== undefined && rational(c) !== undefined) {
        const m = Math.round(c * shared.L);
        const step = m >= 0 ? powerOfA(k, m) : `1 / ${powerOfA(k, -m)}`;
        this.monthUpdates.push(`${y} *= sh${k} ? ${step} : Math.exp(${b} * (le${k} + lsc${k}));`);
      } else this.monthUpdates.push(`${y} *= Math.exp(${b} * (le${k} + lsc${k}));`);
      return `(${tracked.guard} ? ${y} : ${genPow(e.right, a, b)})`;
    }
    return `(${tracked.guard} ? Math.exp(${b} * ${tracked.log}) : ${genPow(e.right, a, b)})`;
  }

  private genCall(e: Extract<Expr, { kind: "call" }>, owner: Owner, inMonth: boolean): string {
    const g = (x: Expr) => this.gen(x, owner, inMonth);
    const args = () => e.args.map(g).join(", ");
    const counter = inMonth ? "tc" : "0";
    if (SAMPLER_OF[e.callee] !== undefined) {
      const s = this.stream(owner);
      const inverse = INVERSE_OF[e.callee]!;
      const q = this.qmc ? this.qdim(owner, inMonth, inverse.z) : undefined;
      const a = args();
      const make = (c: string) => {
        if (q !== undefined)
          return `(${q.ok} ? q_${e.callee}(${q.ref}, ${a}) : d_${e.callee}((${s}.c = ${c}, ${s}), ${a}))`;
        const w = e.callee === "normal" ? this.monthWord(s, c, inMonth) : undefined;
        return w === undefined ? `d_${e.callee}((${s}.c = ${c}, ${s}), ${a})` : `normalW(${w}, ${s}, ${c}, ${a})`;
      };
      return this.draw(inMonth, e.args, make, counter);
    }
    switch (e.callee) {
      case "if": {
        const c = g(e.args[0]!);
        this.conditional++;
        const a = g(e.args[1]!);
        const b = g(e.args[2]!);
        this.conditional--;
        return `(${c} ? ${a} : ${b})`;
      }
      case "prev": {
        const target = e.args[0]!;
        const lag = lagOf(e);
        const k = target.kind === "name" ? this.seriesIndex.get(target.name) : undefined;
        if (k === undefined) throw new Error("internal: prev of a non-series");
        if (!inMonth) {
          this.diagnostics.push({
            code: "prev_outside_month",
            severity: "error",
            message: "prev() can only be used in a series' monthly formula",
            span: e.span,
          });
          return "NaN";
        }
        const s = this.model.series[k]!;
        if (s.kind === "formula" && !this.model.levers.some((l) => l.set.some((x) => x.name === s.name))) {
          this.diagnostics.push({
            code: "prev_needs_start",
            severity: "error",
            message: `prev(${s.name}) at month 1 needs a start value, but '${s.name}' is a plain formula`,
            span: e.span,
            hint: `give '${s.name}' a start: { start: …, next: … }`,
          });
        }
        if (lag === 1) return `q${k}`;
        // x at month t − lag, from the ring of x's last values; before month 1, x's start.
        return `(t > ${lag} ? hist${k}[(t - ${lag}) % ${this.lags.get(s.name)!}] : st${k})`;
      }
      case "event": {
        const s = this.stream(owner);
        const site = this.lastSite;
        const p = g(e.args[0]!);
        this.conditional++;
        const size = g(e.args[1]!);
        this.conditional--;
        const w = this.monthWord(s, counter, inMonth);
        let happens =
          w === undefined ? `(${s}.c = ${counter}, ${s}.below(${p}))` : `${s}.belowFromWord(${w}, ${counter}, ${p})`;
        if (this.qmc) {
          const q = this.qdim(owner, inMonth, false, site);
          happens = `(${q.ok} ? ${q.ref} < ${p} : ${happens})`;
        }
        return `(${happens} ? ${size} : 0)`;
      }
      case "decay":
      case "growth": {
        if (!inMonth) {
          this.diagnostics.push({
            code: "decay_outside_month",
            severity: "error",
            message: `${e.callee}() compounds month by month, so it can only be used in a series`,
            span: e.span,
          });
          return "NaN";
        }
        const acc = `acc${this.tmp++}`;
        this.accumulators.push(`let ${acc} = 1;`);
        this.monthUpdates.push(`${acc} *= ${e.callee === "decay" ? "1 -" : "1 +"} ${g(e.args[0]!)};`);
        return acc;
      }
      case "log": {
        const tracked = inMonth && !this.exact ? this.trackedLog(e.args[0]!) : undefined;
        if (tracked !== undefined) return `(${tracked.guard} ? ${tracked.log} : Math.log(${args()}))`;
        return `Math.log(${args()})`;
      }
      case "min":
      case "max":
      case "abs":
      case "exp":
      case "sqrt":
      case "floor":
      case "ceil":
      case "sin":
      case "cos":
        return `Math.${e.callee}(${args()})`;
      case "round":
        return `rnd(${args()})`;
      case "clamp":
        return `clamp(${args()})`;
      case "scurve": {
        // scurve(t, m, k) = 1/(1 + exp(−k(t − m))): with m and k fixed on the path, the exp is a
        // geometric sequence, e_t = e_{t−1}·exp(−k), so the fast kernel keeps it as a running
        // product (one multiplication a month instead of an exp; last bits differ).
        const [tArg, mid, steep] = e.args as [Expr, Expr, Expr];
        const pathFixed = (x: Expr) => (this.deps(x) & (DEP_T | DEP_FIXED)) === 0;
        if (!this.exact && inMonth && tArg.kind === "name" && tArg.name === "t" && pathFixed(mid) && pathFixed(steep)) {
          const owner0 = { name: "", ordinal: 0, month: false };
          const m = this.gen(mid, owner0, false);
          const k = this.gen(steep, owner0, false);
          const x = `sg${this.tmp++}`;
          // Only where no term of the sequence can overflow or underflow on the way.
          this.pathHoists.push(`const ${x}ok = Math.abs(${k}) * (Math.abs(${m}) + T) < 700;`);
          this.pathHoists.push(`const ${x}r = Math.exp(-(${k}));`);
          this.accumulators.push(`let ${x} = Math.exp(-(${k}) * (0 - ${m}));`);
          this.monthUpdates.push(`${x} *= ${x}r;`);
          return `(${x}ok ? 1 / (1 + ${x}) : scurve(t, ${m}, ${k}))`;
        }
        return `scurve(${args()})`;
      }
      default:
        throw new Error(`internal: no code for '${e.callee}'`);
    }
  }
}

const SIGNATURE_MARK = "/* per-run constants */";
const QMC_PATH_DIMS = "/* qmc path dims */";
const QMC_MONTH_SITES = "/* qmc month sites */";

/** A lever's add or scale on one name, with the lever's bit in the mask. */
interface Edit {
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

/** The formula a series computes each month: a formula's value, a recurrence's next, a stock's change. */
export function monthFormula(body: SeriesBody): Expr {
  return body.kind === "formula" ? body.expr : body.kind === "next" ? body.next : body.change;
}

/** Distribution names in the language → sampler names in the distributions registry. */
export const SAMPLER_OF: Readonly<Record<string, string>> = {
  normal: "normal",
  lognormal: "lognormal",
  uniform: "uniform",
  integer: "integer",
  triangular: "triangular",
  pert: "pert",
  beta: "beta",
  bernoulli: "bernoulli",
  poisson: "poisson",
  range: "range",
};

/** c = p/q in lowest terms with q ≤ 16, when the double c is exactly p/q; else undefined. */
function rational(c: number): [number, number] | undefined {
  for (let q = 1; q <= 16; q++) {
    const p = Math.round(c * q);
    if (p / q === c && Math.abs(p) <= 4096) return [p, q];
  }
  return undefined;
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a / gcd(a, b)) * b;
}

/** A^n from the squares A_1, A_2, A_4, … of series k's shared exp, as a product of the set bits. */
function powerOfA(k: number, n: number): string {
  if (n === 0) return "1";
  const factors: string[] = [];
  for (let b = 1; b <= n; b *= 2) if (n & b) factors.push(`A${k}_${b}`);
  return factors.length === 1 ? factors[0]! : `(${factors.join(" * ")})`;
}

/**
 * The series whose current value `e` carries: if one of them is NaN or infinite, so is `e`,
 * whatever the other operands are. + − × and unary minus carry both sides (∞ − ∞ and ∞ · 0 are
 * NaN), ÷ carries its numerator (x ÷ ∞ is 0); functions, comparisons and powers carry nothing
 * (exp(−∞) is 0). The kernel writes these four operators as they stand (genNode), and a
 * subexpression that names a series is never hoisted or folded.
 */
function carries(e: Expr, seriesIndex: ReadonlyMap<string, number>): Set<number> {
  switch (e.kind) {
    case "name": {
      const k = seriesIndex.get(e.name);
      return new Set(k === undefined ? [] : [k]);
    }
    case "unary":
      return e.op === "-" ? carries(e.arg, seriesIndex) : new Set();
    case "binary":
      if (e.op === "+" || e.op === "-" || e.op === "*")
        return new Set([...carries(e.left, seriesIndex), ...carries(e.right, seriesIndex)]);
      return e.op === "/" ? carries(e.left, seriesIndex) : new Set();
    default:
      return new Set();
  }
}

/**
 * The Gaussian copula of rank correlations over `names` (pairs naming anything else are left
 * out): the Cholesky factor of the normal correlation matrix r = 2·sin(π·ρs/6), or undefined
 * when r is not positive definite. The kernel and the Sobol sampler both correlate through it.
 */
export function copulaFactor(names: readonly string[], pairs: readonly CorrelationDef[]): number[][] | undefined {
  return cholesky(copulaCorrelation(names, pairs));
}

/** The copula's normal correlation matrix over `names` (see copulaFactor). */
export function copulaCorrelation(names: readonly string[], pairs: readonly CorrelationDef[]): number[][] {
  const r: number[][] = names.map((_, i) => names.map((_, j) => (i === j ? 1 : 0)));
  for (const c of pairs) {
    const i = names.indexOf(c.a);
    const j = names.indexOf(c.b);
    if (i >= 0 && j >= 0) r[i]![j] = r[j]![i] = 2 * Math.sin((Math.PI * c.rho) / 6);
  }
  return r;
}

/** Lower-triangular L with L·Lᵀ = a, or undefined when a is not positive definite. */
export function cholesky(a: number[][]): number[][] | undefined {
  const n = a.length;
  const L = a.map(() => Array.from({ length: n }, () => 0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k++) sum -= L[i]![k]! * L[j]![k]!;
      if (i === j) {
        if (!(sum > 1e-12)) return undefined;
        L[i]![i] = Math.sqrt(sum);
      } else L[i]![j] = sum / L[j]![j]!;
    }
  }
  return L;
}

function chooseCode(variants: { bit: number }[], codes: string[]): string {
  let out = codes[codes.length - 1]!;
  for (let i = codes.length - 2; i >= 0; i--) out = `((mask & ${1 << variants[i]!.bit}) !== 0 ? ${codes[i]} : ${out})`;
  return out;
}

function genPow(exponent: Expr, a: string, b: string): string {
  if (exponent.kind === "number") {
    if (exponent.value === 1) return a;
    if (Number.isInteger(exponent.value) && Math.abs(exponent.value) <= 1024) return `powInt(${a}, ${b})`;
    return `pwf(${a}, ${b})`;
  }
  return `pw(${a}, ${b})`;
}

function isTrivial(e: Expr): boolean {
  return e.kind === "number" || e.kind === "name";
}

/** Source text for a number, exact to the bit. */
export function literal(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "(-Infinity)";
  if (Object.is(x, -0)) return "(-0)";
  return x < 0 ? `(${String(x)})` : String(x);
}
