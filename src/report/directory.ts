// Creating an output folder (`--csv DIR`, `--svg DIR`) one level at a time from the deepest
// folder that exists. Node's `mkdirSync(dir, {recursive: true})` loops for ever under /proc
// (each mkdir there fails with ENOENT, which the recursive form answers by retrying the parent).

import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Makes `dir` and its missing parents; throws a Node-style error (code, path) when it cannot. */
export function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  while (true) {
    let isDirectory: boolean | undefined;
    try {
      isDirectory = statSync(at).isDirectory();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw cannot(at, e);
    }
    if (isDirectory === true) break;
    if (isDirectory === false) throw cannot(at, { code: "ENOTDIR" });
    const parent = dirname(at);
    if (parent === at) break;
    missing.push(at);
    at = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw cannot(folder, e);
    }
  }
}

function cannot(path: string, e: unknown): NodeJS.ErrnoException {
  const code = (e as NodeJS.ErrnoException).code ?? "EIO";
  return Object.assign(new Error(`cannot make the folder '${path}' (${code})`), { code, path });
}
