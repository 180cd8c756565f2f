// After tsc: bundles the command line into dist/bin/ and makes its entry, dist/bin/main.js,
// executable (npm links it as the `outlast` bin; dist/cli/main.js, as tsc wrote it, runs the same).
//
// tsc writes one file per module, and Node's ES module loader pays for each file it resolves
// and reads: `outlast run` loaded about 190 of them (72 of them the YAML parser's), a third of a
// second of CPU before the first path. esbuild joins the CLI's own modules, the YAML parser and
// the argument parser into a few chunks, loaded on demand (each command is still imported only
// when run). The worker-thread entries (node/worker.js, server/jobs/job-worker.js) are bundled
// beside it, where the bundled pool and job executor look for them (`./worker.js` next to
// their own chunk); dist/bin/ is as deep as dist/cli/, so paths to scenarios/, web/dist/ and
// package.json relative to a module hold in either. Other packages stay in node_modules: native ones (better-sqlite3), ones that
// find files of their own at run time (piscina's worker), and large ones only a few commands
// need (exceljs). The library entry (dist/index.js) is left as tsc wrote it.
import { chmodSync, copyFileSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, "utf8"));
const bundled = new Set(["yaml", "commander"]);
const external = Object.keys(pkg.dependencies).filter((name) => !bundled.has(name));
const out = `${root}/dist/bin`;
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: {
    main: `${root}/dist/cli/main.js`,
    worker: `${root}/dist/node/worker.js`,
    "job-worker": `${root}/dist/server/jobs/job-worker.js`,
  },
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  // commander is CommonJS and requires Node's modules; an ES module has no `require` of its own.
  banner: {
    js: 'import { createRequire as __outlastRequire } from "node:module"; const require = __outlastRequire(import.meta.url);',
  },
  logLevel: "warning",
});
// The Sobol' direction numbers are a data file the engine reads beside its own module (tsc does
// not copy it): next to dist/engine/qmc/sobol.js, and next to the bundle's chunks.
for (const dir of [`${root}/dist/engine/qmc`, out])
  copyFileSync(`${root}/src/engine/qmc/joe-kuo.txt`, `${dir}/joe-kuo.txt`);
chmodSync(`${out}/main.js`, 0o755);
chmodSync(`${root}/dist/cli/main.js`, 0o755);
