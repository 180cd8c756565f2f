// What the routes share besides the request: the store, the queue and the job threads, the
// server's limits, and the checks every route that takes a scenario's text runs.

import type { Admission } from "../jobs/admission.js";
import { JobsBusyError, JobTimeoutError, type JobExecutor } from "../jobs/executor.js";
import type { RunQueue } from "../jobs/queue.js";
import type { CheckOutcome } from "../jobs/tasks.js";
import type { Store } from "../store.js";
import { HttpError, stringField } from "./request.js";

export interface Limits {
  maxPaths: number;
  maxTextBytes: number;
  maxSeries: number;
  quickTimeoutMs: number;
  defaultPageSize: number;
}

export class RouteContext {
  constructor(
    readonly store: Store,
    readonly queue: RunQueue,
    readonly executor: JobExecutor,
    readonly admission: Admission,
    readonly limits: Limits,
    readonly log: (message: string) => void,
  ) {}

  /** A scenario text within the size the server checks and runs (413 over it). */
  boundedText(text: string): string {
    const bytes = Buffer.byteLength(text);
    const max = this.limits.maxTextBytes;
    if (bytes > max) throw new HttpError(413, `the scenario text is ${bytes} bytes, over the server's limit of ${max}`);
    return text;
  }

  /** Checks a scenario's text on a job thread. */
  async check(text: string, file: string): Promise<CheckOutcome> {
    this.boundedText(text);
    try {
      return await this.executor.check(text, file, {
        maxSeries: this.limits.maxSeries,
        timeoutMs: this.limits.quickTimeoutMs,
      });
    } catch (err) {
      if (err instanceof JobTimeoutError || err instanceof JobsBusyError) throw err;
      // A checker that throws on some input is our bug, but it is still this input's answer.
      this.log(`outlast serve: the checker failed on ${file}: ${err instanceof Error ? err.stack : err}`);
      throw new HttpError(422, "the scenario could not be checked", { diagnostics: [] });
    }
  }

  /** Checks a scenario's text; 422 with diagnostics when it has errors. */
  async checkOrReject(text: string, file: string): Promise<CheckOutcome> {
    const outcome = await this.check(text, file);
    if (!outcome.ok) throw new HttpError(422, "the scenario has errors", { diagnostics: outcome.diagnostics });
    return outcome;
  }
}

/** A scenario's name: the body's, else the text's `name:`, else "untitled" (400 past 200 characters). */
export function nameFor(body: Record<string, unknown>, text: string): string {
  const named = /^name:\s*(.+)$/m
    .exec(text)?.[1]
    ?.trim()
    .replace(/^["']|["']$/g, "");
  const name = stringField(body, "name", false)?.trim() || named || "untitled";
  if (name.length > 200) throw new HttpError(400, "name is over 200 characters");
  return name;
}
