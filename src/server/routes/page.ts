// The built dashboard (web/dist): any path that is not /api/ gets its file, or index.html for the
// page's own routes. The URL path is confined to the folder.

import type { Hono } from "hono";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

export function pageRoutes(app: Hono, webRoot: string): void {
  app.get("*", async (c) => {
    // The URL path is confined to webRoot: normalised, then checked to stay inside it.
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return c.text("bad path", 400);
    }
    if (path.includes("\0")) return c.text("bad path", 400);
    const relative = normalize(path === "/" ? "/index.html" : path).replace(/^([/\\])+/, "");
    const file = join(webRoot, relative);
    if (!file.startsWith(webRoot.endsWith(sep) ? webRoot : webRoot + sep)) return c.text("not found", 404);
    const served = (await isFile(file)) ? file : join(webRoot, "index.html");
    if (!(await isFile(served))) {
      return c.text("the dashboard is not built: run `npm run build` (it runs `vite build web`)", 503);
    }
    const bytes = await readFile(served);
    const type = contentTypes[extname(served)] ?? "application/octet-stream";
    const cache = served.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache";
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": type, "cache-control": cache });
  });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
