// Saved scenarios with their full history, and the built-ins shipped with the package.
//
// Every save is one transaction that inserts a version row; nothing is updated in place but the
// scenario's summary (its latest version, name and date, for the list), so no edit is ever lost.
// Names are data, never paths: scenario ids are random UUIDs and built-in scenarios are looked up
// in a map built from a directory listing, never by joining a name into a path.

import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ScenarioListItem, ScenarioRecord, ScenarioVersion } from "../records.js";
import type { Db } from "./database.js";
import { NotFoundError, ReadOnlyError } from "./errors.js";

export const builtinPrefix = "builtin:";

/** A page of the scenario list. */
export interface ScenarioPage {
  items: ScenarioListItem[];
  /** Scenarios matching the query, on every page. */
  total: number;
}

interface VersionRow {
  scenario_id: string;
  version: number;
  name: string;
  text: string;
  created_at: string;
  first_created_at: string;
}

export class ScenarioStore {
  private builtinCache: Map<string, ScenarioRecord> | undefined;

  constructor(
    private readonly db: Db,
    private readonly builtinDir: string,
  ) {}

  /** Built-in scenarios by id, read once from the folder listing (the names come from the files). */
  private builtins(): Map<string, ScenarioRecord> {
    this.builtinCache ??= readBuiltins(this.builtinDir);
    return this.builtinCache;
  }

  /** Built-ins first, then saved scenarios, newest first. `query` filters by name (case-insensitive). */
  list(query?: string): ScenarioRecord[] {
    const rows = this.db
      .sql(
        `SELECT v.*, s.created_at AS first_created_at FROM scenarios s
         JOIN scenario_versions v ON v.scenario_id = s.id
         WHERE s.deleted_at IS NULL
           AND v.version = (SELECT MAX(version) FROM scenario_versions WHERE scenario_id = s.id)
         ORDER BY v.created_at DESC, v.rowid DESC`,
      )
      .all() as VersionRow[];
    const all = [...this.builtins().values(), ...rows.map(toScenario)];
    if (!query) return all;
    const q = query.toLowerCase();
    return all.filter((s) => s.name.toLowerCase().includes(q));
  }

  /**
   * One page of the list as summaries (no texts): built-ins first, then saved scenarios, the
   * latest saved first. `query` filters by name (case-insensitive).
   */
  page(options: { query?: string | undefined; limit: number; offset: number }): ScenarioPage {
    const q = options.query?.toLowerCase() ?? "";
    const builtins = [...this.builtins().values()]
      .filter((s) => s.name.toLowerCase().includes(q))
      .map(({ text: _text, ...rest }) => rest);
    const like = `%${q.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
    const where = "WHERE deleted_at IS NULL AND lower(name) LIKE ? ESCAPE '\\'";
    const { count } = this.db.sql(`SELECT COUNT(*) AS count FROM scenarios ${where}`).get(like) as { count: number };
    const skipSaved = Math.max(0, options.offset - builtins.length);
    const items: ScenarioListItem[] = builtins.slice(options.offset, options.offset + options.limit);
    const room = options.limit - items.length;
    if (room > 0) {
      const rows = this.db
        .sql(
          `SELECT id, latest_version, name, created_at, updated_at FROM scenarios ${where}
         ORDER BY touched DESC LIMIT ? OFFSET ?`,
        )
        .all(like, room, skipSaved) as {
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

  get(id: string): ScenarioRecord {
    if (id.startsWith(builtinPrefix)) {
      const builtin = this.builtins().get(id);
      if (!builtin) throw new NotFoundError(`scenario '${id}'`);
      return builtin;
    }
    const row = this.db
      .sql(
        `SELECT v.*, s.created_at AS first_created_at FROM scenarios s
         JOIN scenario_versions v ON v.scenario_id = s.id
         WHERE s.id = ? AND s.deleted_at IS NULL ORDER BY v.version DESC LIMIT 1`,
      )
      .get(id) as VersionRow | undefined;
    if (!row) throw new NotFoundError(`scenario '${id}'`);
    return toScenario(row);
  }

  create(name: string, text: string): ScenarioRecord {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.db.write(() => {
      this.db
        .sql(
          `INSERT INTO scenarios (id, created_at, latest_version, name, updated_at, touched)
         VALUES (?, ?, 1, ?, ?, (SELECT COALESCE(MAX(touched), 0) + 1 FROM scenarios))`,
        )
        .run(id, now, name, now);
      this.db
        .sql("INSERT INTO scenario_versions (scenario_id, version, name, text, created_at) VALUES (?, 1, ?, ?, ?)")
        .run(id, name, text, now);
    });
    return { id, name, text, version: 1, builtin: false, createdAt: now, updatedAt: now };
  }

  /** Saves a new version; the previous ones stay in the history. */
  update(id: string, name: string, text: string): ScenarioRecord {
    if (id.startsWith(builtinPrefix)) {
      this.get(id);
      throw new ReadOnlyError(id);
    }
    const now = new Date().toISOString();
    return this.db.write(() => {
      const current = this.get(id);
      const version = current.version + 1;
      this.db
        .sql("INSERT INTO scenario_versions (scenario_id, version, name, text, created_at) VALUES (?, ?, ?, ?, ?)")
        .run(id, version, name, text, now);
      this.db
        .sql(
          `UPDATE scenarios SET latest_version = ?, name = ?, updated_at = ?,
           touched = (SELECT MAX(touched) + 1 FROM scenarios) WHERE id = ?`,
        )
        .run(version, name, now, id);
      return { ...current, name, text, version, updatedAt: now };
    });
  }

  /** Hides a scenario from the list; its versions and runs stay in the database. */
  delete(id: string): void {
    if (id.startsWith(builtinPrefix)) {
      this.get(id);
      throw new ReadOnlyError(id);
    }
    const result = this.db.write(() =>
      this.db
        .sql("UPDATE scenarios SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")
        .run(new Date().toISOString(), id),
    );
    if (result.changes === 0) throw new NotFoundError(`scenario '${id}'`);
  }

  /** Newest first. */
  versions(id: string): ScenarioVersion[] {
    const scenario = this.get(id);
    if (scenario.builtin) {
      return [{ scenarioId: id, version: 0, name: scenario.name, text: scenario.text, createdAt: scenario.createdAt }];
    }
    const rows = this.db
      .sql("SELECT * FROM scenario_versions WHERE scenario_id = ? ORDER BY version DESC")
      .all(id) as VersionRow[];
    return rows.map((r) => ({
      scenarioId: r.scenario_id,
      version: r.version,
      name: r.name,
      text: r.text,
      createdAt: r.created_at,
    }));
  }

  version(id: string, version: number): ScenarioVersion {
    const found = this.versions(id).find((v) => v.version === version);
    if (!found) throw new NotFoundError(`version ${version} of scenario '${id}'`);
    return found;
  }

  /** A new saved scenario with the text of `id` (built-in or saved). */
  copy(id: string, name?: string): ScenarioRecord {
    const source = this.get(id);
    return this.create(name ?? `${source.name} (copy)`, source.text);
  }
}

function readBuiltins(dir: string): Map<string, ScenarioRecord> {
  const byId = new Map<string, ScenarioRecord>();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^[A-Za-z0-9._-]+\.ya?ml$/.test(f));
  } catch {
    return byId;
  }
  for (const file of files.sort()) {
    const stem = file.replace(/\.ya?ml$/, "");
    let text: string;
    try {
      text = readFileSync(join(dir, file), "utf8");
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
