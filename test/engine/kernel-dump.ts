// Dumps the generated kernels of many models, to check that a change to the compiler leaves
// them byte for byte as they were (or to see exactly which ones it changes).
//
//   node --import tsx test/engine/kernel-dump.ts OUT.json [captured-models-dir]
//
// Models: scenarios/*.yaml, bench/ailab-bench.yaml, every test fixture that checks, and the
// models in captured-models-dir (JSON files of {model, exact}, as compileModel saw them during
// a test run). For each: exact false and true, both samplings, several kernel signatures. The
// output maps "model | exact | qmc | signature" to the kernel's source (or its error).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileModel, type KernelSignature } from "../../src/engine/compile.js";
import { checkText, type Model } from "../../src/lang/index.js";

export function yamlModels(root = "."): [string, Model][] {
  const files = [
    ...readdirSync(join(root, "scenarios"))
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => join("scenarios", f)),
    "bench/ailab-bench.yaml",
  ];
  for (const dir of ["ok", "analysis", "robust", "broken"])
    for (const f of readdirSync(join(root, "test/fixtures", dir)).sort())
      if (f.endsWith(".yaml")) files.push(join("test/fixtures", dir, f));
  const out: [string, Model][] = [];
  for (const f of files) {
    let r;
    try {
      r = checkText(readFileSync(join(root, f), "utf8"), f);
    } catch {
      continue;
    }
    if (r.model !== undefined && !r.diagnostics.some((d) => d.severity === "error")) out.push([f, r.model]);
  }
  return out;
}

/** The signatures dumped for a model of S series. */
export function signatures(S: number): KernelSignature[] {
  const all = Array.from({ length: S }, (_, k) => k);
  const base: KernelSignature[] = [
    { scaled: true, captures: true, paramCaptures: true, reported: all },
    { scaled: false, captures: false, reported: all },
    { scaled: false, captures: false, reported: [] },
    { scaled: true, captures: true, paramCaptures: false, reported: S > 0 ? [S - 1] : [] },
  ];
  return [...base, ...base.map((s) => ({ ...s, qmc: true }))];
}

export function dumpModel(name: string, m: Model, exact: boolean, out: Record<string, string>): void {
  let c;
  try {
    c = compileModel(m, { exact });
  } catch (e) {
    out[`${name} | exact=${exact}`] = `THROWS ${(e as Error).message}`;
    return;
  }
  for (const sig of signatures(m.series.length)) {
    const key = `${name} | exact=${exact} | ${JSON.stringify(sig)}`;
    try {
      out[key] = c.kernelSource(sig);
    } catch (e) {
      out[key] = `THROWS ${(e as Error).message}`;
    }
  }
  try {
    out[`${name} | exact=${exact} | layout`] = JSON.stringify(c.qmcLayout());
  } catch (e) {
    out[`${name} | exact=${exact} | layout`] = `THROWS ${(e as Error).message}`;
  }
  out[`${name} | exact=${exact} | meta`] = JSON.stringify({
    leverFree: c.leverFreeParams,
    diagnostics: c.diagnostics.map((d) => [d.code, d.message, d.span]),
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [outFile, capDir] = process.argv.slice(2);
  const out: Record<string, string> = {};
  for (const [f, m] of yamlModels()) for (const exact of [false, true]) dumpModel(f, m, exact, out);
  if (capDir !== undefined)
    for (const f of readdirSync(capDir).sort()) {
      const { model, exact } = JSON.parse(readFileSync(join(capDir, f), "utf8"), (_k, v) =>
        v !== null && typeof v === "object" && "__num" in v ? Number(v.__num) : v,
      ) as { model: Model; exact: boolean };
      for (const x of new Set([exact, !exact])) dumpModel(f, model, x, out);
    }
  writeFileSync(outFile!, JSON.stringify(out, null, 0));
  console.log(`${Object.keys(out).length} entries`);
}
