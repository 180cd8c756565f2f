// Pass: per-run specialisation. The kernel template leaves a mark where the per-run constants
// go; a run's signature (which series are scaled, reported and captured) fills them in as
// literals, so V8 drops the multiplications by 1, the stores and the capture loop that the run
// does not need (about 10% on the benchmark model). Each filled kernel is cached by signature.

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

/** Where the per-run constants go in a kernel template. */
export const SIGNATURE_MARK = "/* per-run constants */";
/** Where they go in a split kernel (split.ts): assignments to variables of the kernel's scope. */
export const SPLIT_SIGNATURE_MARK = "/* per-run values */";

/** The per-run constants of a kernel of S series for a signature: nc, pout, and each series' sc and ob. */
export function perRunConstants(sig: KernelSignature, S: number): string[] {
  const decl: string[] = [
    sig.captures ? "const nc = caps.length;" : "const nc = 0;",
    sig.paramCaptures ? "const pout = ctx.paramOut;" : "const pout = null;",
  ];
  const reported = new Set(sig.reported);
  for (let k = 0; k < S; k++) {
    const sc = sig.scaled ? `ctx.scale[${k}]` : "1";
    const ob = reported.has(k) ? `ctx.outBase[${k}]` : "-1";
    decl.push(`const sc${k} = ${sc}, ob${k} = ${ob};`);
  }
  return decl;
}

/** kernelSource for a template of S series: the template specialised to a signature, cached. */
export function specialiser(template: string, S: number): (sig: KernelSignature) => string {
  const cache = new Map<string, string>();
  return (sig) => {
    const key = `${sig.scaled ? 1 : 0}${sig.captures ? 1 : 0}${sig.paramCaptures ? 1 : 0}:${sig.reported.join(",")}`;
    let src = cache.get(key);
    if (src === undefined) {
      const decl = perRunConstants(sig, S);
      // A split kernel assigns them to variables of its scope (split.ts).
      src = template.includes(SPLIT_SIGNATURE_MARK)
        ? template.replace(SPLIT_SIGNATURE_MARK, () => decl.map((l) => l.replace(/^const /, "")).join("\n"))
        : template.replace(SIGNATURE_MARK, () => decl.join("\n"));
      cache.set(key, src);
    }
    return src;
  };
}
