// What the server hands its job threads (and, with Redis, its worker processes), and what comes
// back. Plain data only: it crosses thread and process boundaries.

import type { FlatDiagnostic } from "../../lang/diagnostics.js";
import type { RemoteChunkTask } from "../../node/remote-chunk.js";
import type { RunProgress } from "../records.js";
import type { Sampling } from "../../engine/options.js";

/** A run as requested: everything the engine needs besides the scenario's text. */
export interface RunRequest {
  paths: number;
  seed: number;
  levers: string[];
  fixed: Record<string, number>;
  /** How the run draws (the engine's default when absent) and its replicates. */
  sampling?: Sampling;
  replicates?: number;
}

export interface CheckTask {
  kind: "check";
  text: string;
  file: string;
  /** Most series a scenario may define (a bound on the work its runs and exports ask for). */
  maxSeries: number;
}

export interface CheckOutcome {
  ok: boolean;
  diagnostics: FlatDiagnostic[];
  levers: string[];
  params: string[];
  series: number;
}

export interface RunTask {
  kind: "run";
  text: string;
  file: string;
  request: RunRequest;
  /** Where the job thread stores the run's summary itself (a store on disk), if anywhere. */
  save?: SummaryTarget;
}

/** A run's row in a store on disk, which a job thread can open to write the run's summary. */
export interface SummaryTarget {
  dbPath: string;
  runId: string;
}

/**
 * A run's end: its summary as JSON text (made on the job's thread), null when there is none or
 * when the job thread stored it itself (RunTask.save), or why it failed.
 */
export type RunOutcome =
  | { status: "done"; summaryJson: string | null }
  | { status: "cancelled"; summaryJson: string | null }
  | { status: "failed"; error: string; summaryJson: string | null };

export interface XlsxTask {
  kind: "xlsx";
  result: unknown;
  text: string | undefined;
}

/** One chunk of a run fanned out over Redis (src/node/remote-chunk.ts). */
export interface ChunkTask {
  kind: "chunk";
  task: RemoteChunkTask;
}

/** A run's summary to store, from a job thread (a run that came back from elsewhere: Redis). */
export interface SaveTask {
  kind: "save";
  target: SummaryTarget;
  json: string;
}

export type JobTask = CheckTask | RunTask | XlsxTask | ChunkTask | SaveTask;

/** Messages on a run's port: progress from the job, a request to stop from the server. */
export type RunPortMessage = { type: "progress"; progress: RunProgress } | { type: "stop" };

/**
 * The nice value of job threads: on Linux each thread has its own, and the threads a job starts
 * (the engine's pool) inherit it, so jobs give way to the HTTP thread. Elsewhere, or when not
 * allowed, job threads keep the process's priority.
 */
export const JOB_NICE = 10;
