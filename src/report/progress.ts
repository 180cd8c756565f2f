// A progress bar on stderr for long runs. It stays hidden for the first second (most runs end
// before it would be read) and whenever stderr is not a terminal or stdout carries JSON, so
// piped and scripted output is never mixed with bar redraws.

import cliProgress from "cli-progress";

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
}

export function createProgress({ total, enabled, delayMs = 1000 }: ProgressOptions): Progress {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(pathsDone) {
      if (bar === undefined) {
        const elapsed = Date.now() - started;
        if (elapsed < delayMs || pathsDone >= total) return;
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: "{bar} {percentage}% | {value}/{total} paths | ETA {eta_formatted}",
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
