// Runs: what was asked (the scenario's version and text hash, seed, paths, levers, held params),
// their status from queued to done, and their summaries.
//
// A summary is kept as UTF-8 JSON bytes (a BLOB) and sent as stored: reading a run costs a copy
// of bytes, never a parse and a re-serialisation of megabytes on the HTTP thread. A run's job
// thread writes its own summary (writeRunSummary, summary-writer.ts); the HTTP thread then writes
// only the status, a few bytes.

import { createHash, randomUUID } from "node:crypto";
import type { RunRecord, RunStatus } from "../records.js";
import type { Db } from "./database.js";
import { NotFoundError } from "./errors.js";
import { builtinPrefix, type ScenarioStore } from "./scenarios.js";

export interface NewRun {
  scenarioId: string;
  scenarioVersion: number;
  scenarioText: string;
  seed: number;
  paths: number;
  levers: readonly string[];
  fixed: Readonly<Record<string, number>>;
}

interface RunRow {
  id: string;
  scenario_id: string;
  scenario_version: number;
  scenario_sha256: string;
  seed: number;
  paths: number;
  levers: string;
  fixed: string;
  status: string;
  summary?: Uint8Array | string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

/** Every column of a run but its summary (and the scenario text kept for reproduction). */
const COLUMNS =
  "id, scenario_id, scenario_version, scenario_sha256, seed, paths, levers, fixed, status, error, created_at, finished_at";

/** A summary as the bytes to store: JSON text made elsewhere, or a value to serialise. */
export function summaryBytes(summary: unknown): Uint8Array {
  if (summary instanceof Uint8Array) return summary;
  return Buffer.from(typeof summary === "string" ? summary : JSON.stringify(summary));
}

export class RunStore {
  constructor(
    private readonly db: Db,
    private readonly scenarios: ScenarioStore,
  ) {}

  /** Saves a run request, "queued" until a worker takes it (or "running" when it starts at once). */
  create(run: NewRun, status: "queued" | "running" = "running"): RunRecord {
    const id = randomUUID();
    const now = new Date().toISOString();
    const sha = createHash("sha256").update(run.scenarioText).digest("hex");
    this.db.write(() =>
      this.db
        .sql(
          `INSERT INTO runs (id, scenario_id, scenario_version, scenario_sha256, scenario_text, seed, paths,
           levers, fixed, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          run.scenarioId,
          run.scenarioVersion,
          sha,
          // Saved versions are kept forever; a built-in's file can change with an upgrade.
          run.scenarioId.startsWith(builtinPrefix) || run.scenarioVersion === 0 ? run.scenarioText : null,
          run.seed,
          run.paths,
          JSON.stringify(run.levers),
          JSON.stringify(run.fixed),
          status,
          now,
        ),
    );
    return this.get(id, false);
  }

  /** A queued run has been taken by a worker. */
  markRunning(id: string): void {
    this.db.write(() => this.db.sql("UPDATE runs SET status = 'running' WHERE id = ? AND status = 'queued'").run(id));
  }

  /**
   * A run's end. `summary`: the result, its JSON text or bytes; undefined keeps what is stored
   * (nothing, or the summary the run's job thread wrote itself).
   */
  finish(
    id: string,
    status: Exclude<RunStatus, "running" | "queued">,
    summary: unknown,
    error: string | null = null,
  ): void {
    const bytes = summary === undefined || summary === null ? null : summaryBytes(summary);
    this.db.write(() =>
      this.db
        .sql("UPDATE runs SET status = ?, summary = COALESCE(?, summary), error = ?, finished_at = ? WHERE id = ?")
        .run(status, bytes, error, new Date().toISOString(), id),
    );
  }

  /** A run as JSON bytes, its summary inserted as stored (not parsed and written again). */
  json(id: string, extra: Record<string, unknown> = {}): Buffer {
    const row = this.db.sql(`SELECT ${COLUMNS}, summary FROM runs WHERE id = ?`).get(id) as RunRow | undefined;
    if (!row) throw new NotFoundError(`run '${id}'`);
    const { summary: _summary, ...record } = toRun(row, false);
    const head = JSON.stringify({ ...record, ...extra, summary: null });
    const stored = row.summary ?? null;
    if (stored === null) return Buffer.from(head);
    const body = typeof stored === "string" ? Buffer.from(stored) : stored;
    // `head` ends with "null}": the summary's bytes go where that null was.
    return Buffer.concat([Buffer.from(head.slice(0, -5)), body, Buffer.from("}")]);
  }

  /** Runs queued or running, oldest first (what a restarted server finds unfinished). */
  unfinished(): RunRecord[] {
    const rows = this.db
      .sql(`SELECT ${COLUMNS} FROM runs WHERE status IN ('queued', 'running') ORDER BY created_at, rowid`)
      .all() as RunRow[];
    return rows.map((r) => toRun(r, false));
  }

  /** A run; with its summary parsed when `withSummary` (costly for a large run: the API sends json()). */
  get(id: string, withSummary = true): RunRecord {
    const row = this.db.sql(`SELECT ${COLUMNS}${withSummary ? ", summary" : ""} FROM runs WHERE id = ?`).get(id) as
      RunRow | undefined;
    if (!row) throw new NotFoundError(`run '${id}'`);
    return toRun(row, withSummary);
  }

  /** Newest first, without summaries unless `withSummary`. */
  list(scenarioId?: string, withSummary = false): RunRecord[] {
    const columns = `${COLUMNS}${withSummary ? ", summary" : ""}`;
    const rows = (
      scenarioId
        ? this.db
            .sql(`SELECT ${columns} FROM runs WHERE scenario_id = ? ORDER BY created_at DESC, rowid DESC`)
            .all(scenarioId)
        : this.db.sql(`SELECT ${columns} FROM runs ORDER BY created_at DESC, rowid DESC LIMIT 500`).all()
    ) as RunRow[];
    return rows.map((r) => toRun(r, withSummary));
  }

  /**
   * Runs left queued or running by a server that stopped (or was killed) are marked
   * "interrupted" on start: they can never finish now, and are not silently dropped. Only the
   * lock's holder calls this, so a live server's runs are never touched.
   */
  markInterrupted(ids?: readonly string[]): number {
    const now = new Date().toISOString();
    const message = "the server stopped before this run finished; start it again";
    return this.db.write(() => {
      if (ids === undefined)
        return this.db
          .sql(
            "UPDATE runs SET status = 'interrupted', error = ?, finished_at = ? WHERE status IN ('queued', 'running')",
          )
          .run(message, now).changes;
      const update = this.db.sql(
        "UPDATE runs SET status = 'interrupted', error = ?, finished_at = ? WHERE id = ? AND status IN ('queued', 'running')",
      );
      return ids.reduce((n, id) => n + update.run(message, now, id).changes, 0);
    });
  }

  /** The text a run used: the saved version's, or the copy kept for a built-in. */
  scenarioText(id: string): string {
    const row = this.db.sql("SELECT scenario_id, scenario_version, scenario_text FROM runs WHERE id = ?").get(id) as
      { scenario_id: string; scenario_version: number; scenario_text: string | null } | undefined;
    if (!row) throw new NotFoundError(`run '${id}'`);
    if (row.scenario_text !== null) return row.scenario_text;
    return this.scenarios.version(row.scenario_id, row.scenario_version).text;
  }
}

function toRun(row: RunRow, withSummary: boolean): RunRecord {
  const stored = row.summary ?? null;
  return {
    id: row.id,
    scenarioId: row.scenario_id,
    scenarioVersion: row.scenario_version,
    scenarioSha256: row.scenario_sha256,
    seed: row.seed,
    paths: row.paths,
    levers: JSON.parse(row.levers) as string[],
    fixed: JSON.parse(row.fixed) as Record<string, number>,
    status: row.status as RunStatus,
    summary:
      withSummary && stored !== null
        ? JSON.parse(typeof stored === "string" ? stored : Buffer.from(stored).toString("utf8"))
        : null,
    error: row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
