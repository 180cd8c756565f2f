// Storage failures an operator can act on, told apart from bugs: a full disk (the API answers
// 507 naming the database) and a database the server may not write (a start-up error naming the
// file and the permission it lacks).

import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname } from "node:path";

/** The disk under the database is full: nothing was saved. */
export class StorageFullError extends Error {
  constructor(readonly dbPath: string) {
    super(`disk full: could not write to ${dbPath}; nothing was saved. Free some space and try again`);
    this.name = "StorageFullError";
  }
}

/** The database or its folder cannot be written: found at start-up. */
export class StorageAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StorageAccessError";
  }
}

function modeOf(path: string): string {
  try {
    return (statSync(path).mode & 0o777).toString(8).padStart(4, "0");
  } catch {
    return "?";
  }
}

/**
 * The message for a database that cannot be opened for writing: which file or folder, and
 * what permission it has and needs.
 */
export function accessProblem(dbPath: string): string | undefined {
  const dir = dirname(dbPath);
  const files = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`];
  for (const file of files) {
    if (!existsSync(file)) continue;
    try {
      accessSync(file, constants.R_OK | constants.W_OK);
    } catch {
      return `cannot write the database ${file} (mode ${modeOf(file)}): outlast serve needs read and write permission on it; fix it with chmod u+rw or choose another --db`;
    }
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    return `cannot write in the database's folder ${dir} (mode ${modeOf(dir)}): SQLite keeps its journal beside the database, so outlast serve needs write permission on the folder; fix it with chmod u+rwx or choose another --db`;
  }
  return undefined;
}

/** An SQLite error code of better-sqlite3's SqliteError, if it is one. */
export function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : undefined;
}

/** Turns SQLite's storage errors into the errors above; anything else is rethrown as it is. */
export function translateStorageError(err: unknown, dbPath: string): never {
  const code = sqliteCode(err);
  if (code === "SQLITE_FULL") throw new StorageFullError(dbPath);
  if (
    code !== undefined &&
    (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code === "SQLITE_PERM")
  ) {
    throw new StorageAccessError(
      accessProblem(dbPath) ??
        `cannot write the database ${dbPath} (${code}): check that the file, its -wal and -shm files and its folder are writable by this user, and that the disk is not mounted read-only`,
    );
  }
  throw err;
}
