// What the dashboard's browser tests and scripts share: build web/dist when it is stale, start
// a real server (real checker and engine) on a free port with a temporary database, and launch
// headless Debian chromium through playwright-core (never a downloaded browser).

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { simulate } from "../../src/engine/index.js";
import { checkText } from "../../src/lang/index.js";
import { installNodeRunner } from "../../src/node/install.js";
import { closeSharedPool } from "../../src/node/pool.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { Store } from "../../src/server/store.js";

export const chromiumPath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
export const haveChromium = existsSync(chromiumPath);

/** The launch flags the project uses for chromium (no sandbox, no network side traffic). */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const root = fileURLToPath(new URL("../../", import.meta.url));
const dist = join(root, "web", "dist", "index.html");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds web/dist when it is missing or older than web/src or src (CI's `npm ci` has built it). */
export function ensureBuilt(): void {
  const sources = Math.max(newestMtime(join(root, "web", "src")), newestMtime(join(root, "src")));
  if (existsSync(dist) && statSync(dist).mtimeMs >= sources) return;
  execFileSync(
    process.execPath,
    [join(root, "node_modules", "vite", "bin", "vite.js"), "build", "web", "--logLevel", "warn"],
    { cwd: root, stdio: "inherit" },
  );
}

export interface Session {
  server: RunningServer;
  context: BrowserContext;
  page: Page;
  dir: string;
  consoleErrors: string[];
  close: () => Promise<void>;
}

export async function openSession(viewport = { width: 1440, height: 900 }): Promise<Session> {
  ensureBuilt();
  // As `outlast serve` does: server runs go to worker threads, so a long run leaves the event
  // loop (the server's, and here the test's own) free to answer polls and cancels.
  installNodeRunner();
  const dir = mkdtempSync(join(tmpdir(), "outlast-web-"));
  const server = await startServer({
    store: new Store({ dbPath: join(dir, "outlast.db") }),
    check: checkText,
    simulate,
    port: 0,
  });
  const context = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(`page error: ${e.message}`));
  // Leaving a page with unsaved edits asks first; the tests leave it (a test that checks the
  // question opens a page of its own).
  page.on("dialog", (d) => {
    if (d.type() === "beforeunload") void d.accept();
  });
  return {
    server,
    context,
    page,
    dir,
    consoleErrors,
    close: async () => {
      await context.close();
      await server.close();
      await closeSharedPool();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens the page at `hash` and waits for the headline figure. */
export async function openPage(page: Page, url: string, hash = ""): Promise<void> {
  await page.goto("about:blank");
  await page.goto(`${url}${hash}`);
  await page.waitForFunction(() => /%/.test(document.querySelector("[data-testid=s24]")?.textContent ?? ""), null, {
    timeout: 60_000,
  });
}

/** The scenario text of a built-in scenario, from the server. */
export async function builtinText(url: string, name: string): Promise<string> {
  const r = (await (await fetch(new URL(`/api/scenarios/builtin:${name}`, url))).json()) as { text: string };
  return r.text;
}

/** Saves a scenario through the API and returns its id. */
export async function saveScenario(
  url: string,
  name: string,
  text: string,
  id?: string,
): Promise<{ id: string; version: number }> {
  const r = await fetch(new URL(id ? `/api/scenarios/${id}` : "/api/scenarios", url), {
    method: id ? "PUT" : "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, text }),
  });
  return (await r.json()) as { id: string; version: number };
}
