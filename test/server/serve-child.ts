// `outlast serve` as a child process on a free port, for the tests that run the real command.

import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The command line from source: `node --import tsx src/cli/main.ts`. */
export const fromSource = ["--import", "tsx", fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url))];

/**
 * Starts `outlast serve --port 0 --db DB` (`entry`: how node runs outlast) and resolves `url`
 * with the address it prints. `url` rejects, with its stderr and exit code, if the server exits
 * first or prints no address within `timeoutMs`.
 */
export function serveChild(
  db: string,
  entry: readonly string[] = fromSource,
  timeoutMs = 60_000,
): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [...entry, "serve", "--port", "0", "--db", db], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed: ${out} ${err}`)), timeoutMs);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /outlast dashboard: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`outlast serve exited ${code}: ${err}`), { code }));
    });
  });
  return { child, url };
}
