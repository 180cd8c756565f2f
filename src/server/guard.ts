// The server's front door, before any route: security headers on every response, the Host
// header checked against the names this server answers to (DNS rebinding), a token when it
// listens beyond loopback, and same-origin writes only (cross-site forms and pages).

import { createHash, timingSafeEqual } from "node:crypto";
import { hostname, networkInterfaces } from "node:os";
import type { MiddlewareHandler } from "hono";

export interface GuardOptions {
  /** The address the server is bound to. */
  host: string;
  /** Extra Host names (with or without a port) that clients may use. */
  allowHosts?: readonly string[];
  /** Required on /api/* when set: `Authorization: Bearer TOKEN`. */
  token?: string | undefined;
}

/**
 * The page's policy: scripts only from this server ('wasm-unsafe-eval' for the engine's
 * WebAssembly, 'unsafe-eval' for its compiled kernels), never framed, no plugins, and fetches to
 * this server only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function isLoopback(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i.test(host);
}

function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]" || host === "";
}

/** The host part of a Host header ("[::1]:80" → "::1", "a.b:80" → "a.b"), lower case. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]") < 0 ? undefined : h.indexOf("]"));
  const colon = h.lastIndexOf(":");
  return colon >= 0 && h.indexOf(":") === colon ? h.slice(0, colon) : h;
}

/** The names this server answers to. */
export function allowedHostNames(options: GuardOptions): Set<string> {
  const names = new Set(["localhost", "127.0.0.1", "::1"]);
  const bound = hostName(options.host);
  if (isWildcard(bound)) {
    // Listening on every interface: the machine's own names and addresses.
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) names.add(a.address.toLowerCase());
  } else names.add(bound);
  for (const h of options.allowHosts ?? []) names.add(hostName(h));
  return names;
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

/** Compares two secrets in time that does not depend on where they differ (or on their lengths). */
export function tokensMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function guard(options: GuardOptions): MiddlewareHandler {
  const names = allowedHostNames(options);
  const token = options.token;
  const secure = (c: Parameters<MiddlewareHandler>[0]) => {
    c.header("content-security-policy", CONTENT_SECURITY_POLICY);
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    c.header("x-frame-options", "DENY");
    c.header("cross-origin-opener-policy", "same-origin");
  };
  return async (c, next) => {
    secure(c);
    const host = c.req.header("host");
    if (host === undefined || !names.has(hostName(host))) {
      return c.json(
        {
          error: `this server does not answer to the host '${host ?? ""}'; if that is one of its names, start it with --allow-host ${host ? hostName(host) : "NAME"}`,
        },
        421,
      );
    }
    const path = c.req.path;
    if (!SAFE_METHODS.has(c.req.method)) {
      // Browsers send Origin on every cross-origin write, and Sec-Fetch-Site on all requests;
      // tools (curl, scripts) send neither and are let through (with the token if one is set).
      const site = c.req.header("sec-fetch-site");
      const origin = c.req.header("origin");
      let sameOrigin = site === undefined || site === "same-origin" || site === "none";
      if (origin !== undefined) {
        try {
          const o = new URL(origin);
          sameOrigin &&=
            o.host.toLowerCase() === host.toLowerCase() && (o.protocol === "http:" || o.protocol === "https:");
        } catch {
          sameOrigin = false; // "null" and other opaque origins
        }
      }
      if (!sameOrigin)
        return c.json(
          { error: "cross-site requests cannot change anything here; use the dashboard on its own address" },
          403,
        );
    }
    if (token !== undefined && path.startsWith("/api/")) {
      const auth = c.req.header("authorization") ?? "";
      const given = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? "";
      if (!tokensMatch(given, token)) {
        c.header("www-authenticate", 'Bearer realm="outlast"');
        return c.json({ error: "this server needs its access token (Authorization: Bearer TOKEN)" }, 401);
      }
    }
    await next();
    secure(c);
    return undefined;
  };
}
