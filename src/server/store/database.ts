// One open SQLite database (better-sqlite3, WAL) and what every part of the store does with it:
// prepared statements made once, and writes as BEGIN IMMEDIATE transactions.
//
// Durability: with WAL and `synchronous = FULL` a transaction is on disk when `run()` returns,
// so a save the API has acknowledged survives the process being killed (SIGKILL) at any moment
// after it. Every write is `BEGIN IMMEDIATE`, so a reader never has to upgrade to a writer
// mid-transaction (the way two writers used to meet "database is locked").

import Database from "better-sqlite3";
import { migrate } from "./migrations.js";
import { translateStorageError } from "../storage-errors.js";

export class Db {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  /** Opens (and migrates) the database at `dbPath`; ":memory:" for a throwaway one. */
  constructor(readonly dbPath: string) {
    this.db = new Database(dbPath);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    migrate(this.db);
  }

  /** A prepared statement, prepared once per text (preparing costs more than most queries here). */
  sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Runs `body` as one BEGIN IMMEDIATE transaction; a full disk becomes StorageFullError. */
  write<T>(body: () => T): T {
    try {
      return this.db.transaction(body).immediate();
    } catch (err) {
      translateStorageError(err, this.dbPath);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
