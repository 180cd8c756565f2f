// How a command ends other than normally. Exit codes: 1 bad scenario or runtime model error,
// 2 bad usage, 3 an internal error (a bug in outlast).

/** The user called a command wrongly (a bad number, an unknown lever, a file in the way): exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The command has already printed why it failed (diagnostics); exit with this code. */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = "ExitError";
    this.exitCode = exitCode;
  }
}
