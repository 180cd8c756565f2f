// What every route shares: the HTTP errors it throws (the app's error handler answers them), and
// reading a request's JSON body, fields and page numbers, each with a clear 4xx.

import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

export class HttpError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 413 | 415 | 422 | 429 | 503,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Reads a JSON object body; 415 unless sent as JSON, 400 unless it parses to an object. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, "send the body as application/json");
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(400, "expected a JSON object");
  }
  return value as Record<string, unknown>;
}

export function stringField(body: Record<string, unknown>, key: string, required: true): string;
export function stringField(body: Record<string, unknown>, key: string, required: false): string | undefined;
export function stringField(body: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const value = body[key];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string") throw new HttpError(400, `expected a string for '${key}'`);
  return value;
}

export function pageNumber(text: string | undefined, fallback: number, min: number, max: number, name: string): number {
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new HttpError(400, `${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/** Who asked: the peer's address ("unknown" when the socket does not say). */
export function clientOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** JSON bytes made elsewhere (a stored run), sent as they are. */
export function jsonBytes(c: Context, bytes: Uint8Array, status: 200 | 202 = 200): Response {
  return c.body(bytes as Uint8Array<ArrayBuffer>, status, { "content-type": "application/json" });
}
