// The dashboard's store: saved scenarios with their full history, and runs, in one SQLite
// file (better-sqlite3, WAL).
//
// Durability: every save is one transaction that inserts a version row; nothing is updated
// in place, so no edit is ever lost. With WAL and `synchronous = FULL` a transaction is on
// disk when `run()` returns, so a save the API has acknowledged survives the process being
// killed (SIGKILL) at any moment after it. better-sqlite3 is synchronous, which also
// serialises concurrent saves within the process: fifty requests at once cannot interleave.
//
// One writer per database: a server takes a lock file beside it (db-lock.ts), and every write is
// a `BEGIN IMMEDIATE` transaction, so a reader never has to upgrade to a writer mid-transaction
// (the way two writers used to meet "database is locked").
//
// Names are data, never paths: scenario ids are random UUIDs and built-in scenarios are
// looked up in a map built from a directory listing, never by joining a name into a path.

import Database from "better-sqlite3";
import { randomUUID, createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DbLock } from "./db-lock.js";
import type { RunRecord, RunStatus, ScenarioListItem, ScenarioRecord, ScenarioVersion } from "./records.js";
import { accessProblem, StorageAccessError, translateStorageError } from "./storage-errors.js";

export type { RunRecord, RunStatus, ScenarioRecord, ScenarioVersion } from "./records.js";

export interface NewRun {
  scenarioId: string;
  scenarioVersion: number;
  scenarioText: string;
  seed: number;
  paths: number;
  levers: readonly string[];
  fixed: Readonly<Record<string, number>>;
}

/** The built-in scenarios shipped in the package's scenarios/ folder. */
export const builtinScenarioDir = fileURLToPath(new URL("../../scenarios/", import.meta.url));

/** `$XDG_DATA_HOME/outlast/outlast.db`, else `~/.local/share/outlast/outlast.db`. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome = env["XDG_DATA_HOME"] || join(homedir(), ".local", "share");
  return join(dataHome, "outlast", "outlast.db");
}

// Each entry moves the schema from version i to i + 1. Append; never edit a shipped one.
export const migrations: readonly string[] = [
  `CREATE TABLE scenarios (
     id TEXT PRIMARY KEY,
     created_at TEXT NOT NULL,
     deleted_at TEXT
   );
   CREATE TABLE scenario_versions (
     scenario_id TEXT NOT NULL REFERENCES scenarios(id),
     version INTEGER NOT NULL,
     name TEXT NOT NULL,
     text TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (scenario_id, version)
   );
   CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     scenario_id TEXT NOT NULL,
     scenario_version INTEGER NOT NULL,
     scenario_sha256 TEXT NOT NULL,
     scenario_text TEXT,
     seed INTEGER NOT NULL,
     paths INTEGER NOT NULL,
     levers TEXT NOT NULL,
     fixed TEXT NOT NULL,
     status TEXT NOT NULL,
     summary TEXT,
     error TEXT,
     created_at TEXT NOT NULL,
     finished_at TEXT
   );
   CREATE INDEX runs_by_scenario ON runs (scenario_id, created_at);`,
  // The list's summaries kept on the scenario itself (its latest version, name and date, and the
  // order of its last save), so a page is read from one index instead of finding every
  // scenario's latest version (and walking past each text) on each call.
  `ALTER TABLE scenarios ADD COLUMN latest_version INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE scenarios ADD COLUMN name TEXT NOT NULL DEFAULT '';
   ALTER TABLE scenarios ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
   ALTER TABLE scenarios ADD COLUMN touched INTEGER NOT NULL DEFAULT 0;
   UPDATE scenarios SET
     latest_version = (SELECT MAX(version) FROM scenario_versions WHERE scenario_id = scenarios.id),
     name = (SELECT name FROM scenario_versions WHERE scenario_id = scenarios.id ORDER BY version DESC LIMIT 1),
     updated_at = (SELECT created_at FROM scenario_versions WHERE scenario_id = scenarios.id ORDER BY version DESC LIMIT 1),
     touched = (SELECT MAX(rowid) FROM scenario_versions WHERE scenario_id = scenarios.id);
   CREATE INDEX scenarios_by_touch ON scenarios (touched);`,
];

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`no ${what}`);
    this.name = "NotFoundError";
  }
}

export class ReadOnlyError extends Error {
  constructor(id: string) {
    super(`scenario '${id}' is built in and read-only; copy it to edit`);
    this.name = "ReadOnlyError";
  }
}

interface VersionRow {
  scenario_id: string;
  version: number;
  name: string;
  text: string;
  created_at: string;
  first_created_at: string;
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
  summary: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface StoreOptions {
  /** Database file; ":memory:" for a throwaway store. Default: defaultDbPath(). */
  dbPath?: string;
  /** Folder of built-in scenarios (*.yaml). Default: the package's scenarios/. */
  builtinDir?: string;
  /** Take the database's lock file (a server does; a second one then refuses). Default false. */
  lock?: boolean;
}

/** A page of the scenario list. */
export interface ScenarioPage {
  items: ScenarioListItem[];
  /** Scenarios matching the query, on every page. */
  total: number;
}

const builtinPrefix = "builtin:";

export class Store {
  readonly db: Database.Database;
  readonly dbPath: string;
  readonly lock: DbLock | undefined;
  private readonly builtinDir: string;
  private builtinCache: Map<string, ScenarioRecord> | undefined;

  constructor(options: StoreOptions = {}) {
    this.dbPath = options.dbPath ?? defaultDbPath();
    this.builtinDir = options.builtinDir ?? builtinScenarioDir;
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
      this.db = new Database(this.dbPath);
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = FULL");
      this.db.pragma("foreign_keys = ON");
      this.db.pragma("busy_timeout = 5000");
      this.migrate();
    } catch (err) {
      this.lock?.release();
      translateStorageError(err, this.dbPath);
    }
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** A prepared statement, prepared once per text (preparing costs more than most queries here). */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Runs `body` as one BEGIN IMMEDIATE transaction; a full disk becomes StorageFullError. */
  private write<T>(body: () => T): T {
    try {
      return this.db.transaction(body).immediate();
    } catch (err) {
      translateStorageError(err, this.dbPath);
    }
  }

  /** The schema version after migration. */
  schemaVersion(): number {
    const row = this.sql("SELECT version FROM schema_version").get() as { version: number } | undefined;
    return row?.version ?? 0;
  }

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const apply = this.db.transaction(() => {
      let current = this.schemaVersion();
      if (current === 0 && !this.sql("SELECT 1 FROM schema_version").get()) {
        this.sql("INSERT INTO schema_version (version) VALUES (0)").run();
      }
      if (current > migrations.length) {
        throw new Error(`database schema version ${current} is newer than this outlast (${migrations.length})`);
      }
      for (; current < migrations.length; current++) {
        this.db.exec(migrations[current]!);
        this.sql("UPDATE schema_version SET version = ?").run(current + 1);
      }
    });
    apply.immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.lock?.release();
  }

  // ---- built-ins ---------------------------------------------------------------------

  /** Built-in scenarios by id, read once from the folder listing (the names come from the files). */
  private builtins(): Map<string, ScenarioRecord> {
    this.builtinCache ??= this.readBuiltins();
    return this.builtinCache;
  }

  private readBuiltins(): Map<string, ScenarioRecord> {
    const byId = new Map<string, ScenarioRecord>();
    let files: string[];
    try {
      files = readdirSync(this.builtinDir).filter((f) => /^[A-Za-z0-9._-]+\.ya?ml$/.test(f));
    } catch {
      return byId;
    }
    for (const file of files.sort()) {
      const stem = file.replace(/\.ya?ml$/, "");
      let text: string;
      try {
        text = readFileSync(join(this.builtinDir, file), "utf8");
      } catch {
        continue;
      }
      const name =
        /^name:\s*(.+)$/m
          .exec(text)?.[1]
          ?.trim()
          .replace(/^["']|["']$/g, "") ?? stem;
      byId.set(builtinPrefix + stem, {
        id: builtinPrefix + stem,
        name,
        text,
        version: 0,
        builtin: true,
        createdAt: "1970-01-01T00:00:00.000Z",
        updatedAt: "1970-01-01T00:00:00.000Z",
      });
    }
    return byId;
  }

  // ---- scenarios ---------------------------------------------------------------------

  /** Built-ins first, then saved scenarios, newest first. `query` filters by name (case-insensitive). */
  listScenarios(query?: string): ScenarioRecord[] {
    const rows = this.sql(
      `SELECT v.*, s.created_at AS first_created_at FROM scenarios s
         JOIN scenario_versions v ON v.scenario_id = s.id
         WHERE s.deleted_at IS NULL
           AND v.version = (SELECT MAX(version) FROM scenario_versions WHERE scenario_id = s.id)
         ORDER BY v.created_at DESC, v.rowid DESC`,
    ).all() as VersionRow[];
    const all = [...this.builtins().values(), ...rows.map(toScenario)];
    if (!query) return all;
    const q = query.toLowerCase();
    return all.filter((s) => s.name.toLowerCase().includes(q));
  }

  /**
   * One page of the list as summaries (no texts): built-ins first, then saved scenarios, the
   * latest saved first. `query` filters by name (case-insensitive).
   */
  listScenarioPage(options: { query?: string | undefined; limit: number; offset: number }): ScenarioPage {
    const q = options.query?.toLowerCase() ?? "";
    const builtins = [...this.builtins().values()]
      .filter((s) => s.name.toLowerCase().includes(q))
      .map(({ text: _text, ...rest }) => rest);
    const like = `%${q.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
    const where = "WHERE deleted_at IS NULL AND lower(name) LIKE ? ESCAPE '\\'";
    const { count } = this.sql(`SELECT COUNT(*) AS count FROM scenarios ${where}`).get(like) as { count: number };
    const skipSaved = Math.max(0, options.offset - builtins.length);
    const items: ScenarioListItem[] = builtins.slice(options.offset, options.offset + options.limit);
    const room = options.limit - items.length;
    if (room > 0) {
      const rows = this.sql(
        `SELECT id, latest_version, name, created_at, updated_at FROM scenarios ${where}
         ORDER BY touched DESC LIMIT ? OFFSET ?`,
      ).all(like, room, skipSaved) as {
        id: string;
        latest_version: number;
        name: string;
        created_at: string;
        updated_at: string;
      }[];
      for (const row of rows)
        items.push({
          id: row.id,
          name: row.name,
          version: row.latest_version,
          builtin: false,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        });
    }
    return { items, total: builtins.length + count };
  }

  getScenario(id: string): ScenarioRecord {
    if (id.startsWith(builtinPrefix)) {
      const builtin = this.builtins().get(id);
      if (!builtin) throw new NotFoundError(`scenario '${id}'`);
      return builtin;
    }
    const row = this.sql(
      `SELECT v.*, s.created_at AS first_created_at FROM scenarios s
         JOIN scenario_versions v ON v.scenario_id = s.id
         WHERE s.id = ? AND s.deleted_at IS NULL ORDER BY v.version DESC LIMIT 1`,
    ).get(id) as VersionRow | undefined;
    if (!row) throw new NotFoundError(`scenario '${id}'`);
    return toScenario(row);
  }

  createScenario(name: string, text: string): ScenarioRecord {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.write(() => {
      this.sql(
        `INSERT INTO scenarios (id, created_at, latest_version, name, updated_at, touched)
         VALUES (?, ?, 1, ?, ?, (SELECT COALESCE(MAX(touched), 0) + 1 FROM scenarios))`,
      ).run(id, now, name, now);
      this.sql(
        "INSERT INTO scenario_versions (scenario_id, version, name, text, created_at) VALUES (?, 1, ?, ?, ?)",
      ).run(id, name, text, now);
    });
    return { id, name, text, version: 1, builtin: false, createdAt: now, updatedAt: now };
  }

  /** Saves a new version; the previous ones stay in the history. */
  updateScenario(id: string, name: string, text: string): ScenarioRecord {
    if (id.startsWith(builtinPrefix)) {
      this.getScenario(id);
      throw new ReadOnlyError(id);
    }
    const now = new Date().toISOString();
    return this.write(() => {
      const current = this.getScenario(id);
      const version = current.version + 1;
      this.sql(
        "INSERT INTO scenario_versions (scenario_id, version, name, text, created_at) VALUES (?, ?, ?, ?, ?)",
      ).run(id, version, name, text, now);
      this.sql(
        `UPDATE scenarios SET latest_version = ?, name = ?, updated_at = ?,
           touched = (SELECT MAX(touched) + 1 FROM scenarios) WHERE id = ?`,
      ).run(version, name, now, id);
      return { ...current, name, text, version, updatedAt: now };
    });
  }

  /** Hides a scenario from the list; its versions and runs stay in the database. */
  deleteScenario(id: string): void {
    if (id.startsWith(builtinPrefix)) {
      this.getScenario(id);
      throw new ReadOnlyError(id);
    }
    const result = this.write(() =>
      this.sql("UPDATE scenarios SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL").run(
        new Date().toISOString(),
        id,
      ),
    );
    if (result.changes === 0) throw new NotFoundError(`scenario '${id}'`);
  }

  /** Newest first. */
  listVersions(id: string): ScenarioVersion[] {
    const scenario = this.getScenario(id);
    if (scenario.builtin) {
      return [{ scenarioId: id, version: 0, name: scenario.name, text: scenario.text, createdAt: scenario.createdAt }];
    }
    const rows = this.sql("SELECT * FROM scenario_versions WHERE scenario_id = ? ORDER BY version DESC").all(
      id,
    ) as VersionRow[];
    return rows.map((r) => ({
      scenarioId: r.scenario_id,
      version: r.version,
      name: r.name,
      text: r.text,
      createdAt: r.created_at,
    }));
  }

  getVersion(id: string, version: number): ScenarioVersion {
    const found = this.listVersions(id).find((v) => v.version === version);
    if (!found) throw new NotFoundError(`version ${version} of scenario '${id}'`);
    return found;
  }

  /** A new saved scenario with the text of `id` (built-in or saved). */
  copyScenario(id: string, name?: string): ScenarioRecord {
    const source = this.getScenario(id);
    return this.createScenario(name ?? `${source.name} (copy)`, source.text);
  }

  // ---- runs --------------------------------------------------------------------------

  /** Saves a run request, "queued" until a worker takes it (or "running" when it starts at once). */
  createRun(run: NewRun, status: "queued" | "running" = "running"): RunRecord {
    const id = randomUUID();
    const now = new Date().toISOString();
    const sha = createHash("sha256").update(run.scenarioText).digest("hex");
    this.write(() =>
      this.sql(
        `INSERT INTO runs (id, scenario_id, scenario_version, scenario_sha256, scenario_text, seed, paths,
           levers, fixed, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
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
    return this.getRun(id);
  }

  /** A queued run has been taken by a worker. */
  markRunning(id: string): void {
    this.write(() => this.sql("UPDATE runs SET status = 'running' WHERE id = ? AND status = 'queued'").run(id));
  }

  /** `summary` is the result, or its JSON text already made (a worker thread makes it). */
  finishRun(
    id: string,
    status: Exclude<RunStatus, "running" | "queued">,
    summary: unknown,
    error: string | null = null,
  ): void {
    const json = summary === undefined ? null : typeof summary === "string" ? summary : JSON.stringify(summary);
    this.write(() =>
      this.sql("UPDATE runs SET status = ?, summary = ?, error = ?, finished_at = ? WHERE id = ?").run(
        status,
        json,
        error,
        new Date().toISOString(),
        id,
      ),
    );
  }

  /** A run as JSON text, its summary inserted as stored (not parsed and written again). */
  getRunJson(id: string, extra: Record<string, unknown> = {}): string {
    const row = this.sql("SELECT * FROM runs WHERE id = ?").get(id) as RunRow | undefined;
    if (!row) throw new NotFoundError(`run '${id}'`);
    const { summary: _summary, ...rest } = toRun(row, false);
    const head = JSON.stringify({ ...rest, ...extra });
    return `${head.slice(0, -1)},"summary":${row.summary ?? "null"}}`;
  }

  /** Runs queued or running, oldest first (what a restarted server finds unfinished). */
  unfinishedRuns(): RunRecord[] {
    const rows = this.sql(
      "SELECT * FROM runs WHERE status IN ('queued', 'running') ORDER BY created_at, rowid",
    ).all() as RunRow[];
    return rows.map((r) => toRun(r, false));
  }

  getRun(id: string): RunRecord {
    const row = this.sql("SELECT * FROM runs WHERE id = ?").get(id) as RunRow | undefined;
    if (!row) throw new NotFoundError(`run '${id}'`);
    return toRun(row, true);
  }

  /** Newest first, without summaries' bulk when `withSummary` is false. */
  listRuns(scenarioId?: string, withSummary = false): RunRecord[] {
    const rows = (
      scenarioId
        ? this.sql("SELECT * FROM runs WHERE scenario_id = ? ORDER BY created_at DESC, rowid DESC").all(scenarioId)
        : this.sql("SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT 500").all()
    ) as RunRow[];
    return rows.map((r) => toRun(r, withSummary));
  }

  /**
   * Runs left queued or running by a server that stopped (or was killed) are marked
   * "interrupted" on start: they can never finish now, and are not silently dropped. Only the
   * lock's holder calls this, so a live server's runs are never touched.
   */
  markInterruptedRuns(ids?: readonly string[]): number {
    const now = new Date().toISOString();
    const message = "the server stopped before this run finished; start it again";
    return this.write(() => {
      if (ids === undefined)
        return this.sql(
          "UPDATE runs SET status = 'interrupted', error = ?, finished_at = ? WHERE status IN ('queued', 'running')",
        ).run(message, now).changes;
      const update = this.sql(
        "UPDATE runs SET status = 'interrupted', error = ?, finished_at = ? WHERE id = ? AND status IN ('queued', 'running')",
      );
      return ids.reduce((n, id) => n + update.run(message, now, id).changes, 0);
    });
  }

  /** The text a run used: the saved version's, or the copy kept for a built-in. */
  runScenarioText(id: string): string {
    const row = this.sql("SELECT scenario_id, scenario_version, scenario_text FROM runs WHERE id = ?").get(id) as
      { scenario_id: string; scenario_version: number; scenario_text: string | null } | undefined;
    if (!row) throw new NotFoundError(`run '${id}'`);
    if (row.scenario_text !== null) return row.scenario_text;
    return this.getVersion(row.scenario_id, row.scenario_version).text;
  }
}

function toScenario(row: VersionRow): ScenarioRecord {
  return {
    id: row.scenario_id,
    name: row.name,
    text: row.text,
    version: row.version,
    builtin: false,
    createdAt: row.first_created_at,
    updatedAt: row.created_at,
  };
}

function toRun(row: RunRow, withSummary: boolean): RunRecord {
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
    summary: withSummary && row.summary !== null ? JSON.parse(row.summary) : null,
    error: row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
