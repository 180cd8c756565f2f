// The records the server keeps and its JSON API sends, as types only: the page (web/src/api.ts)
// imports them too, and this module loads nothing (the store behind it needs Node and SQLite).

/** A scenario as listed and edited: its latest version. */
export interface ScenarioRecord {
  /** A UUID, or "builtin:NAME" for a built-in scenario. */
  id: string;
  name: string;
  /** The YAML text. */
  text: string;
  /** 1 for the first save; each save adds one. Built-ins are version 0. */
  version: number;
  builtin: boolean;
  /** ISO 8601 timestamps. */
  createdAt: string;
  updatedAt: string;
}

/** One saved version of a scenario. */
export interface ScenarioVersion {
  scenarioId: string;
  version: number;
  name: string;
  text: string;
  createdAt: string;
}

/**
 * queued: admitted, waiting for a worker; running; done; cancelled (by DELETE); failed (an error,
 * or the time limit); interrupted (the server stopped before it finished).
 */
export type RunStatus = "queued" | "running" | "done" | "cancelled" | "failed" | "interrupted";

/** A run on the server: everything needed to reproduce it, and its summary once done. */
export interface RunRecord {
  id: string;
  scenarioId: string;
  /** The scenario version it ran (0 for a built-in). */
  scenarioVersion: number;
  /** SHA-256 of the scenario text it ran, so a reproduction can be checked. */
  scenarioSha256: string;
  seed: number;
  paths: number;
  levers: string[];
  fixed: Record<string, number>;
  status: RunStatus;
  /** The run's summary (RunResult as JSON) once done or cancelled. */
  summary: unknown;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** How far a running run has got. */
export interface RunProgress {
  pathsDone: number;
  pathsTotal: number;
}

/** What GET /api/scenarios lists, a page at a time: each scenario without its text. */
export type ScenarioListItem = Omit<ScenarioRecord, "text">;

/** What GET and POST /api/runs… send for one run: the record and, while it runs, its progress. */
export type RunView = RunRecord & { progress: RunProgress | null };
