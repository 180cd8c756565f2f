// The compiler: a checked Model becomes one specialised JavaScript function per scenario.
//
// The kernel is generated from the checked AST alone (never from the file's text) and runs a
// block of paths: params are drawn once per path, then every series is computed month by month
// as plain local variables in dependency order, so there is no per-operation dispatch in the
// inner loop, only arithmetic that V8 compiles to machine code.
//
// It works in passes, each in its own file under compile/:
//   - deps.ts: what each subexpression depends on (nothing, the month, the path, both), hence
//     where it is computed (folded, a table by month, once per path, in the month loop);
//   - growth.ts: series kept as running logs, and powers of them sharing one exp (fast kernels);
//   - sites.ts: draw sites (counter streams) and their quasi-Monte Carlo dimensions (QmcLayout);
//   - levers.ts: lever masks, `(mask & bit) ? lever : base`, so one kernel serves all 2^k
//     lever combinations, and levers' add and scale edits;
//   - emit.ts (and emit-draws.ts): expressions as JavaScript; kernel.ts: the kernel's statements
//     and skeleton; split.ts and split-kernel.ts: big models' kernels in pieces V8 optimises;
//   - specialise.ts: per-run constants (which series are scaled, reported, captured).

import type { Diagnostic } from "../lang/diagnostics.js";
import type { Model } from "../lang/model.js";
import { emitKernel, type SplitOptions } from "./compile/kernel.js";
import { leverFreeParams } from "./compile/levers.js";
import type { QmcLayout } from "./compile/sites.js";
import { specialiser, type KernelSignature } from "./compile/specialise.js";

export { literal, monthFormula, SAMPLER_OF } from "./compile/code.js";
export { cholesky, copulaCorrelation, copulaFactor } from "./compile/copula.js";
export { editOwner } from "./compile/levers.js";
export type { QmcLayout } from "./compile/sites.js";
export type { KernelSignature } from "./compile/specialise.js";

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

export interface CompileOptions {
  /**
   * Only rewrites that keep every bit (the default allows a few that change the last bits, such
   * as reading log(revenue) from a running sum instead of calling log; tests compare exact
   * kernels with the interpreter bit for bit, and fast ones within 1e-12).
   */
  exact?: boolean;
  /**
   * When the kernel is split into functions V8 can optimise (compile/split.ts): above
   * SPLIT_ABOVE characters of source by default. Tests force it on small models.
   */
  split?: SplitOptions;
}

export function compileModel(model: Model, options: CompileOptions = {}): CompiledModel {
  const exact = options.exact ?? false;
  const S = model.series.length;
  const plain = emitKernel(model, exact, false, options.split);
  const plainSource = specialiser(plain.template, S);
  // The quasi-Monte Carlo kernels come from a second emission, made on first use; the
  // counter-stream kernels are exactly what they were without it.
  let qmc: { kernel: ReturnType<typeof emitKernel>; source: (sig: KernelSignature) => string } | undefined;
  const qmcCompiled = () => {
    if (qmc === undefined) {
      const kernel = emitKernel(model, exact, true, options.split);
      qmc = { kernel, source: specialiser(kernel.template, S) };
    }
    return qmc;
  };
  return {
    kind: "compiled",
    model,
    source: plainSource({ scaled: true, captures: true, paramCaptures: true, reported: model.series.map((_, k) => k) }),
    kernelSource: (sig) => (sig.qmc === true ? qmcCompiled().source(sig) : plainSource(sig)),
    paramNames: model.params.map((p) => p.name),
    seriesNames: model.series.map((s) => s.name),
    leverNames: model.levers.map((l) => l.name),
    leverFreeParams: leverFreeParams(model),
    diagnostics: plain.diagnostics,
    qmcLayout: () => qmcCompiled().kernel.layout,
  };
}
