// `outlast init NEW.yaml --from NAME`: copies a built-in scenario to start from. Never
// overwrites: the file is opened with the exclusive flag, so a file created meanwhile is safe too.

import { readFileSync, writeFileSync } from "node:fs";
import { UsageError } from "../errors.js";
import { listBuiltins } from "../resolve.js";

export function initCommand(file: string, from: string): void {
  const builtins = listBuiltins();
  const builtin = builtins.find((b) => b.name === from);
  if (!builtin) {
    throw new UsageError(
      `unknown built-in scenario '${from}'; expected one of ${builtins.map((b) => b.name).join(", ") || "(none installed)"}`,
    );
  }
  try {
    writeFileSync(file, readFileSync(builtin.path), { flag: "wx" });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new UsageError(`'${file}' already exists; choose another name or remove it first`);
    if (code === "ENOENT") throw new UsageError(`cannot create '${file}': its folder does not exist`);
    if (code === "EISDIR") throw new UsageError(`'${file}' is a directory`);
    throw new UsageError(`cannot create '${file}' (${code ?? String(e)})`);
  }
  process.stdout.write(
    `wrote ${file} (a copy of ${from}); check it with \`outlast check ${file}\`, run it with \`outlast run ${file}\`\n`,
  );
}
