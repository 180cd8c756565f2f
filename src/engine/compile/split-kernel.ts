// The skeleton of a split kernel (see split.ts): the same statements as kernel.ts's, their
// per-path variables in typed arrays, in functions of bounded size that `run` calls in order.
//
//   kp0, kp1, …  a path's params, hoists, accumulators and start values (return 1 when a
//                param is not finite, after setting ctx.err);
//   km0, km1, …  a month's series steps, in dependency order (each returns the test for NaN and
//                infinities of the series it computed);
//   kh0, kh1, …  the month's writes into the lag rings;
//   outs         the reported series' stores.

import { QMC_MONTH_SITES, QMC_PATH_DIMS } from "./sites.js";
import { asAssignment, chunks, hoistToKernel, renameIdentifiers, slotMap } from "./split.js";
import { keyStreams, preamble, type Body, type Parts } from "./kernel.js";

export function splitSkeleton(parts: Parts, b: Body, budget: number): string[] {
  const { model, lags, sites, em, qmc } = parts;
  const seriesIndex = parts.names.seriesIndex;
  const P = model.params.length;
  const S = model.series.length;
  const lagged = [...lags].map(([name, K]) => [seriesIndex.get(name)!, K] as const);
  const pathStmts = [
    ...b.paramCode,
    ...em.pathHoists,
    ...em.accumulators,
    ...b.startCode,
    ...em.afterStart,
    ...lagged.map(([k]) => `const st${k} = q${k};`),
  ];
  const monthUpdates = [...b.aliveUpdates, ...b.breakEvenUpdates];
  const { to, slots } = slotMap(S, P, [...pathStmts, ...b.stepCode, ...monthUpdates]);
  const r = (code: string) => renameIdentifiers(asAssignment(code), to);
  const shortfall = model.shortfall === undefined ? -1 : seriesIndex.get(model.shortfall)!;
  const wordSites = sites.wordSites();

  // The pieces are made once per kernel, outside `run`: closures made afresh on each call of
  // `run` would each be optimised again, without the context their first copies were
  // specialised to (measured 4× slower from the second call on). So `run`'s per-call values
  // live in variables of the kernel's scope, which `run` assigns (split.ts's hoistToKernel).
  const all = preamble(parts);
  const at = all.indexOf(`return function run(ctx) {`);
  const perCall = hoistToKernel(all.slice(at + 1), S);
  const lines = all.slice(0, at);
  const emit = (s: string) => lines.push(s);
  const n1 = (n: number) => Math.max(n, 1);
  for (const l of perCall.declarations) emit(l);
  emit(`const SV = new Float64Array(${n1(S)}), SQ = new Float64Array(${n1(S)}), X = new Float64Array(${n1(slots)});`);
  emit(`const OB = new Float64Array(${n1(S)}), SC = new Float64Array(${n1(S)}), RK = [];`);
  // Each piece is `(arrays…, args) => { statements; return … }`: the state arrays come in as
  // arguments rather than from the kernel's scope.
  const pieces = (
    name: string,
    args: string,
    stmts: string[],
    last: (c: string[]) => string,
    local: (c: string[]) => string[] = (c) => c,
  ): string[] => {
    const names: string[] = [];
    chunks(stmts, budget).forEach((c, n) => {
      names.push(`${name}${n}`);
      emit(`const ${name}${n} = (SV, SQ, X, SC, ${args}) => {`);
      const body = local(c);
      for (const l of body) emit(l);
      emit(last(body));
      emit(`};`);
    });
    return names;
  };
  // A param that is not finite ends the run: its piece says so with 1.
  const pathPieces = pieces(
    "kp",
    "i, path, qo, wb",
    pathStmts.map((l) => r(l).replaceAll("return; }", "return 1; }")),
    () => "return 0;",
  );
  let tested = 0;
  // A month piece returns the test of the series it computes: x − x is 0 when x is finite, NaN
  // when not, so the month's sum of them is 0 exactly when every series is finite.
  const monthPieces = pieces(
    "km",
    "t, tc, qm, wb",
    b.stepCode.map((l) => r(l)),
    (c) => {
      const set = c.flatMap((l) => /^const v(\d+) = /.exec(l)?.[1] ?? []);
      tested += set.length;
      return `return ${set.map((k) => `(v${k} - v${k})`).join(" + ") || "0"};`;
    },
    seriesInLocals,
  );
  if (tested !== S) throw new Error(`internal: ${tested} of ${S} series' steps found in the split kernel`);
  const histPieces = pieces(
    "kh",
    "t",
    lagged.map(([k, K]) => `hist${k}[t % ${K}] = SV[${k}];`),
    () => "return 0;",
  );
  emit(
    `const outs = (tt, i) => { for (let j = 0; j < RK.length; j++) { const k = RK[j]; out[OB[k] + tt + i] = SV[k]; } };`,
  );

  emit(`return function run(ctx) {`);
  for (const l of perCall.statements) emit(l);
  emit(`OB.set([${Array.from({ length: S }, (_, k) => `ob${k}`).join(", ")}]);`);
  emit(`SC.set([${Array.from({ length: S }, (_, k) => `sc${k}`).join(", ")}]);`);
  emit(`RK.length = 0;`);
  emit(`for (let k = 0; k < ${S}; k++) if (OB[k] >= 0) RK.push(k);`);
  emit(`for (let i = 0; i < count; i++) {`);
  emit(`const path = first + i;`);
  emit(`const qo = ${qmc ? "i * QD" : "0"};`);
  emit(`const wb = ${wordSites.length > 0 ? "i * ws - 1" : "0"};`);
  for (const l of keyStreams(parts)) emit(l);
  for (const f of pathPieces) emit(`if (${f}(SV, SQ, X, SC, i, path, qo, wb) !== 0) return;`);
  if (P > 0) emit(`if (pout !== null) { const po = i * ${P}; for (let k = 0; k < ${P}; k++) pout[po + k] = X[k]; }`);
  emit(`let dead = T + 1, low = 0, beT = 0;`);
  emit(`for (let t = 1; t <= T; t++) {`);
  emit(`const tc = t * 1024, tt = (t - 1) * stride;`);
  emit(`const qm = ${qmc ? `qo + ${QMC_PATH_DIMS} + (t - 1) * ${QMC_MONTH_SITES}` : "0"};`);
  // Every series is computed in one piece, so this tests them all; when it fails, the first
  // series that is not finite, in model order, is named, as the unsplit kernel names it.
  const month = monthPieces.map((f) => `${f}(SV, SQ, X, SC, t, tc, qm, wb)`).join(" + ");
  if (S > 0) {
    emit(`if (!((${month}) === 0)) {`);
    emit(`for (let k = 0; k < ${S}; k++) if (!(SV[k] - SV[k] === 0)) { ctx.err = [2, k, t, path, SV[k]]; return; }`);
    emit(`}`);
  }
  emit(`SQ.set(SV);`);
  for (const f of histPieces) emit(`${f}(SV, SQ, X, SC, t);`);
  for (const l of b.aliveUpdates) emit(r(l));
  emit(`if (dead > T && !(${renameIdentifiers(b.alive, to)})) dead = t;`);
  if (shortfall >= 0) emit(`if (SV[${shortfall}] < low) low = SV[${shortfall}];`);
  if (b.breakEven !== undefined) {
    for (const l of b.breakEvenUpdates) emit(r(l));
    emit(`if (beT === 0 && (${renameIdentifiers(b.breakEven, to)})) beT = t;`);
  }
  emit(`outs(tt, i);`);
  emit(`if (nc > 0) {`);
  emit(`for (let c = 0; c < nc; c++) { const e = caps[c]; if (e.month === t) e.values[i] = SV[e.series]; }`);
  emit(`}`);
  emit(`}`); // months
  emit(`death[i] = dead; short[i] = -low; be[i] = beT;`);
  emit(`}`); // paths
  emit(`};`);
  return lines;
}

/**
 * A month piece's statements with the series it computes kept in local variables as well:
 * `SV[k] = e;` becomes `const vk = e; SV[k] = vk;`, and the piece's later reads of SV[k] read vk,
 * so V8 keeps them in registers instead of loading them back (each series is computed once a
 * month, and only series computed earlier are read).
 */
export function seriesInLocals(stmts: readonly string[]): string[] {
  const local = new Set<string>();
  const reads = (l: string) => l.replace(/SV\[(\d+)\]/g, (ref, k: string) => (local.has(k) ? `v${k}` : ref));
  return stmts.map((l) => {
    const m = /^SV\[(\d+)\] = ([^]*);$/.exec(l);
    if (m === null) return reads(l);
    const k = m[1]!;
    const out = `const v${k} = ${reads(m[2]!)}; SV[${k}] = v${k};`;
    local.add(k);
    return out;
  });
}
