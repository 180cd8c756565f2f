// NAME or FILE → a path. A built-in scenario is `scenarios/NAME.yaml` inside the package; the
// package root is found from this module's URL, which sits at the same depth under `src/` (tsx)
// and `dist/` (built), so the same code works in both.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";

/** The folder holding the built-in scenarios. */
export const scenariosDir: string = fileURLToPath(new URL("../../scenarios/", import.meta.url));

/** A built-in scenario: its name (the file name without `.yaml`), title and description. */
export interface BuiltinScenario {
  name: string;
  path: string;
  title: string;
  description: string;
}

/** Where a scenario argument points, and whether it named a built-in. */
export interface ResolvedScenario {
  path: string;
  /** The path as shown in messages: relative to the working directory when that is shorter. */
  display: string;
  builtin: boolean;
}

const namePattern = /^[a-z0-9][a-z0-9._-]*$/i;

/** Is `arg` shaped like a built-in's name (no slash, no `.yaml`)? */
export function looksLikeName(arg: string): boolean {
  return namePattern.test(arg) && !/\.ya?ml$/i.test(arg);
}

/**
 * Resolves a user's argument: an existing file or directory wins; otherwise a name-like
 * argument with a built-in of that name gives the built-in; otherwise the argument itself
 * (so loading it reports file_not_found with the built-ins listed).
 */
export function resolveScenario(arg: string): ResolvedScenario {
  if (existsSync(arg) || !looksLikeName(arg)) return { path: arg, display: arg, builtin: false };
  const path = join(scenariosDir, `${arg}.yaml`);
  if (existsSync(path)) return { path, display: displayPath(path), builtin: true };
  return { path: arg, display: arg, builtin: false };
}

/** Every built-in scenario, sorted by name. Titles and descriptions are read from the YAML. */
export function listBuiltins(): BuiltinScenario[] {
  let files: string[];
  try {
    files = readdirSync(scenariosDir).filter((f) => /\.ya?ml$/i.test(f));
  } catch {
    return [];
  }
  return files.sort().map((f) => {
    const path = join(scenariosDir, f);
    const name = f.replace(/\.ya?ml$/i, "");
    let title = "";
    let description = "";
    try {
      const doc: unknown = parseYaml(readFileSync(path, "utf8"));
      if (doc !== null && typeof doc === "object") {
        const { name: t, description: d } = doc as Record<string, unknown>;
        if (typeof t === "string") title = t;
        if (typeof d === "string") description = d.trim().replace(/\s+/g, " ");
      }
    } catch {
      description = "(could not be read; run `outlast check` on it)";
    }
    return { name, path, title, description };
  });
}

/** The built-in names, for "did you mean" hints. */
export function builtinNames(): string[] {
  return listBuiltins().map((b) => b.name);
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.length < path.length && !isAbsolute(rel) ? rel : path;
}
