// Spawns the CLI from source (`node --import tsx src/cli/main.ts …`) and collects its output.

import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
const main = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `outlast args…` in `cwd` (default: the repository root) with stdout and stderr captured;
 * `nodeFlags` go to node itself, before the script.
 */
export function runCli(args: string[], cwd: string = root, nodeFlags: string[] = []): CliResult {
  const r = spawnSync(process.execPath, [...nodeFlags, "--import", tsx, main, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** No stack trace and no NaN shown as a figure (a message may say a formula "is NaN"). */
export function assertClean(r: CliResult): void {
  const all = r.stdout + r.stderr;
  if (/\n\s+at .+\(.+:\d+:\d+\)/.test(all) || /\$-?NaN|NaN(%|[KMBT]\b)|[│:=]\s*NaN\b/.test(all)) {
    throw new Error(`output has a stack trace or NaN:\n${all}`);
  }
}

/**
 * Starts `outlast args…` with progress lines on stderr (OUTLAST_PROGRESS=lines), sends it Ctrl-C
 * (SIGINT) once the first one shows the work is under way, and collects its output when it exits.
 * Waiting for that line, not for a fixed time, keeps a slow start on a loaded machine from
 * turning Ctrl-C into a kill before the command has begun.
 */
export function interruptCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", tsx, main, ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", OUTLAST_PROGRESS: "lines" },
    });
    let stdout = "";
    let stderr = "";
    let interrupted = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      if (!interrupted && /^progress: /m.test(stderr)) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
