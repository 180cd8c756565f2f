// A progress bar on stderr for long runs. It stays hidden for the first second (most runs end
// before it would be read) and whenever stderr is not a terminal or stdout carries JSON, so
// piped and scripted output is never mixed with bar redraws.
//
// OUTLAST_PROGRESS=lines asks for plain lines instead, on stderr whatever it is and with --json
// too (stdout keeps the result): one when the first work is done, then at most one a second,
// for logs and for scripts that wait for a run to be under way.

import type cliProgressTypes from "cli-progress";
import { createRequire } from "node:module";

// Loaded when a bar is first shown (a terminal, a run past one second): most runs never need it.
const load = (): typeof cliProgressTypes => createRequire(import.meta.url)("cli-progress") as typeof cliProgressTypes;

export interface Progress {
  /** Paths done so far, over every run this bar covers. */
  update(pathsDone: number): void;
  /** Removes the bar (if shown). */
  stop(): void;
}

export interface ProgressOptions {
  /** Total paths over every run the bar covers. */
  total: number;
  /** False with --json; the bar is also off when stderr is not a TTY. */
  enabled: boolean;
  /** Milliseconds before the bar may appear (default 1000). */
  delayMs?: number;
  /** "paths" (the default) shows paths done of the total; "share" only the percentage. */
  unit?: "paths" | "share";
}

export function createProgress({ total, enabled, delayMs = 1000, unit = "paths" }: ProgressOptions): Progress {
  if (process.env["OUTLAST_PROGRESS"] === "lines") return progressLines(total, unit);
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const started = Date.now();
  let bar: cliProgressTypes.SingleBar | undefined;
  return {
    update(pathsDone) {
      if (bar === undefined) {
        const elapsed = Date.now() - started;
        if (elapsed < delayMs || pathsDone >= total) return;
        const cliProgress = load();
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format:
              unit === "paths"
                ? "{bar} {percentage}% | {value}/{total} paths | ETA {eta_formatted}"
                : "{bar} {percentage}% | ETA {eta_formatted}",
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 20,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      }
      bar.update(Math.min(pathsDone, total));
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** Progress as plain lines on stderr: the first update at once, then at most one a second. */
function progressLines(total: number, unit: "paths" | "share"): Progress {
  let last = -Infinity;
  let shown = -1;
  return {
    update(pathsDone) {
      const now = Date.now();
      if (pathsDone <= 0 || pathsDone === shown || (now - last < 1000 && pathsDone < total)) return;
      last = now;
      shown = pathsDone;
      const share = `${Math.floor((100 * Math.min(pathsDone, total)) / total)}%`;
      const done = Math.round(pathsDone).toLocaleString("en-US");
      process.stderr.write(
        unit === "paths"
          ? `progress: ${done}/${total.toLocaleString("en-US")} paths (${share})\n`
          : `progress: ${share}\n`,
      );
    },
    stop() {},
  };
}
