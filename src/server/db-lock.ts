// One server per database: a lock file beside it (`outlast.db.lock`) that names the process
// holding it and, once it listens, its port. A second server on the same file refuses to start
// with those details; a lock left by a process that no longer exists (kill -9) is taken over.

import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";

export interface LockInfo {
  pid: number;
  port: number | null;
  host: string | null;
  startedAt: string;
}

export class DatabaseInUseError extends Error {
  constructor(
    readonly dbPath: string,
    readonly holder: LockInfo,
  ) {
    const where =
      holder.port === null ? "still starting" : `port ${holder.port}${holder.host ? ` on ${holder.host}` : ""}`;
    super(
      `another outlast server (PID ${holder.pid}, ${where}) is using ${dbPath}; ` +
        `stop it, or give this one another database with --db (if PID ${holder.pid} is not an outlast server, delete ${dbPath}.lock)`,
    );
    this.name = "DatabaseInUseError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(file, "utf8")) as LockInfo;
    return Number.isInteger(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

export class DbLock {
  private released = false;
  private info: LockInfo;

  private constructor(
    readonly file: string,
    info: LockInfo,
  ) {
    this.info = info;
  }

  /** Takes the lock of `dbPath`, or throws DatabaseInUseError naming the live holder. */
  static acquire(dbPath: string): DbLock {
    const file = `${dbPath}.lock`;
    const info: LockInfo = { pid: process.pid, port: null, host: null, startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(file, "wx", 0o644);
        writeSync(fd, JSON.stringify(info));
        closeSync(fd);
        return new DbLock(file, info);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const holder = readLock(file);
      if (holder && holder.pid !== process.pid && alive(holder.pid)) throw new DatabaseInUseError(dbPath, holder);
      // A holder that died (or a half-written file): the lock is stale.
      rmSync(file, { force: true });
    }
    throw new Error(`internal: could not take the lock ${file}`);
  }

  /** Records where this server listens, so a second one can say so. */
  setAddress(port: number, host: string): void {
    if (this.released) return;
    this.info = { ...this.info, port, host };
    writeFileSync(this.file, JSON.stringify(this.info));
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    if (readLock(this.file)?.pid === process.pid) rmSync(this.file, { force: true });
  }
}
