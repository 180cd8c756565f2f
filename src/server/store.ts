// The dashboard's store: saved scenarios with their full history, and runs, in one SQLite file
// (better-sqlite3, WAL). This module opens it and is the one surface the server uses; the parts
// live in store/: database.ts (the connection, statements, BEGIN IMMEDIATE writes),
// migrations.ts (the schema), scenarios.ts (scenarios and built-ins), runs.ts (runs and their
// summaries), summary-writer.ts (a run's summary written from its job thread).
//
// One writer per database: a server takes a lock file beside it (db-lock.ts). better-sqlite3 is
// synchronous, which also serialises concurrent saves within the process.

import type Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DbLock } from "./db-lock.js";
import type { RunRecord, RunStatus, ScenarioRecord, ScenarioVersion } from "./records.js";
import { accessProblem, StorageAccessError, translateStorageError } from "./storage-errors.js";
import { Db } from "./store/database.js";
import { schemaVersion } from "./store/migrations.js";
import { RunStore, type NewRun } from "./store/runs.js";
import { ScenarioStore, type ScenarioPage } from "./store/scenarios.js";

export type { RunRecord, RunStatus, ScenarioRecord, ScenarioVersion } from "./records.js";
export { NotFoundError, ReadOnlyError } from "./store/errors.js";
export { migrations } from "./store/migrations.js";
export type { NewRun } from "./store/runs.js";
export type { ScenarioPage } from "./store/scenarios.js";

/** The built-in scenarios shipped in the package's scenarios/ folder. */
export const builtinScenarioDir = fileURLToPath(new URL("../../scenarios/", import.meta.url));

/** `$XDG_DATA_HOME/outlast/outlast.db`, else `~/.local/share/outlast/outlast.db`. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome = env["XDG_DATA_HOME"] || join(homedir(), ".local", "share");
  return join(dataHome, "outlast", "outlast.db");
}

export interface StoreOptions {
  /** Database file; ":memory:" for a throwaway store. Default: defaultDbPath(). */
  dbPath?: string;
  /** Folder of built-in scenarios (*.yaml). Default: the package's scenarios/. */
  builtinDir?: string;
  /** Take the database's lock file (a server does; a second one then refuses). Default false. */
  lock?: boolean;
}

export class Store {
  readonly dbPath: string;
  readonly lock: DbLock | undefined;
  readonly scenarios: ScenarioStore;
  readonly runs: RunStore;
  private readonly database: Db;

  constructor(options: StoreOptions = {}) {
    this.dbPath = options.dbPath ?? defaultDbPath();
    const onDisk = this.dbPath !== ":memory:";
    if (onDisk) {
      try {
        mkdirSync(dirname(this.dbPath), { recursive: true });
      } catch (err) {
        throw new StorageAccessError(
          `cannot create the database's folder ${dirname(this.dbPath)} (${(err as NodeJS.ErrnoException).code}): choose another --db or fix the permissions`,
        );
      }
      const problem = accessProblem(this.dbPath);
      if (problem) throw new StorageAccessError(problem);
    }
    this.lock = options.lock && onDisk ? DbLock.acquire(this.dbPath) : undefined;
    try {
      this.database = new Db(this.dbPath);
    } catch (err) {
      this.lock?.release();
      translateStorageError(err, this.dbPath);
    }
    this.scenarios = new ScenarioStore(this.database, options.builtinDir ?? builtinScenarioDir);
    this.runs = new RunStore(this.database, this.scenarios);
  }

  /** The better-sqlite3 connection (tests look inside it). */
  get db(): Database.Database {
    return this.database.db;
  }

  /** Whether a run's job thread can open this database to write the run's summary itself. */
  get onDisk(): boolean {
    return this.dbPath !== ":memory:";
  }

  /** The schema version after migration. */
  schemaVersion(): number {
    return schemaVersion(this.database.db);
  }

  close(): void {
    this.database.close();
    this.lock?.release();
  }

  // The server's vocabulary, kept as one surface over the two parts.
  listScenarios = (query?: string): ScenarioRecord[] => this.scenarios.list(query);
  listScenarioPage = (options: { query?: string | undefined; limit: number; offset: number }): ScenarioPage =>
    this.scenarios.page(options);
  getScenario = (id: string): ScenarioRecord => this.scenarios.get(id);
  createScenario = (name: string, text: string): ScenarioRecord => this.scenarios.create(name, text);
  updateScenario = (id: string, name: string, text: string): ScenarioRecord => this.scenarios.update(id, name, text);
  deleteScenario = (id: string): void => this.scenarios.delete(id);
  listVersions = (id: string): ScenarioVersion[] => this.scenarios.versions(id);
  getVersion = (id: string, version: number): ScenarioVersion => this.scenarios.version(id, version);
  copyScenario = (id: string, name?: string): ScenarioRecord => this.scenarios.copy(id, name);

  createRun = (run: NewRun, status: "queued" | "running" = "running"): RunRecord => this.runs.create(run, status);
  markRunning = (id: string): void => this.runs.markRunning(id);
  finishRun = (
    id: string,
    status: Exclude<RunStatus, "running" | "queued">,
    summary: unknown,
    error: string | null = null,
  ): void => this.runs.finish(id, status, summary, error);
  getRunJson = (id: string, extra: Record<string, unknown> = {}): Buffer => this.runs.json(id, extra);
  unfinishedRuns = (): RunRecord[] => this.runs.unfinished();
  getRun = (id: string, withSummary = true): RunRecord => this.runs.get(id, withSummary);
  listRuns = (scenarioId?: string, withSummary = false): RunRecord[] => this.runs.list(scenarioId, withSummary);
  markInterruptedRuns = (ids?: readonly string[]): number => this.runs.markInterrupted(ids);
  runScenarioText = (id: string): string => this.runs.scenarioText(id);
}
