// What the store refuses, as errors the API turns into 404 and 403.

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
