// The dashboard in a real browser: headless Debian chromium driven by playwright-core, against
// a real server (real checker and engine) on a free port with a temporary database.
//
// Without chromium the tests are skipped with the reason, except when CI is set: there a
// missing browser is a failure, so CI can never pass by running nothing.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { simulate } from "../../src/engine/index.js";
import { checkText } from "../../src/lang/index.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { Store } from "../../src/server/store.js";

const chromiumPath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const haveChromium = existsSync(chromiumPath);
const skip =
  haveChromium || process.env["CI"] ? false : `chromium not found at ${chromiumPath} (apt-get install chromium)`;

/** The launch flags from ../shared/STACK.md. */
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const root = fileURLToPath(new URL("../../", import.meta.url));
const dist = join(root, "web", "dist", "index.html");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds web/dist when it is missing or older than web/src (CI's `npm ci` has built it already). */
function ensureBuilt(): void {
  const sources = Math.max(newestMtime(join(root, "web", "src")), newestMtime(join(root, "src")));
  if (existsSync(dist) && statSync(dist).mtimeMs >= sources) return;
  execFileSync(
    process.execPath,
    [join(root, "node_modules", "vite", "bin", "vite.js"), "build", "web", "--logLevel", "warn"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
}

if (!haveChromium && process.env["CI"]) {
  test("chromium is installed (CI is set)", () => {
    assert.fail(`chromium is missing at ${chromiumPath}: .ci/run must install it (apt-get install chromium)`);
  });
}

describe("dashboard in chromium", { skip: skip || (!haveChromium && "chromium is missing") }, () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let dir: string;
  const consoleErrors: string[] = [];

  before(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "outlast-web-"));
    server = await startServer({
      store: new Store({ dbPath: join(dir, "outlast.db") }),
      check: checkText,
      simulate,
      port: 0,
    });
    context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(`page error: ${e.message}`));
  });

  after(async () => {
    await context?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function s24(): Promise<string> {
    return (await page.textContent("[data-testid=s24]")) ?? "";
  }

  async function openFresh(): Promise<void> {
    await page.goto(server.url);
    await page.waitForFunction(() => /%/.test(document.querySelector("[data-testid=s24]")?.textContent ?? ""), null, {
      timeout: 60_000,
    });
  }

  test("the page opens on the built-in scenario and runs 10,000 paths in the worker", async (t) => {
    await openFresh();
    assert.match(await s24(), /^\d+\.\d% ± \d+\.\d%$/);
    // 10,000 paths under rqmc (the default): 16 replicates of the nearest power of two, 512 points.
    assert.match((await page.textContent("[data-testid=run-meta]")) ?? "", /8,192 paths in \d+ ms/);
    for (const chart of ["survival", "fan", "runway"])
      await page.locator(`[data-chart=${chart}] svg`).first().waitFor();
    t.diagnostic(`first run: ${await page.textContent("[data-testid=run-meta]")}`);
  });

  test("the levers table and the tornado come from the analyses (src/analysis) in the worker", async () => {
    const rows = page.locator("[data-testid=lever-table] tbody tr");
    await rows.nth(31).waitFor({ timeout: 60_000 });
    assert.equal(await rows.count(), 32, "all 2^5 combinations of the five conditions");
    // Sorted by S(24): all five conditions on comes first and none last (each one helps).
    const marks = async (i: number) => (await rows.nth(i).locator("td").allTextContents()).slice(0, 5).join("");
    assert.equal(await marks(0), "●●●●●");
    assert.equal(await marks(31), "");
    const share = async (i: number) =>
      Number(/^([\d.]+)%/.exec((await rows.nth(i).locator("td").last().textContent()) ?? "")![1]);
    assert.ok((await share(0)) > (await share(31)));
    await page.locator("[data-chart=tornado] svg").first().waitFor({ timeout: 60_000 });
    assert.ok((await page.locator("[data-chart=tornado] svg rect").count()) >= 5, "at least five tornado bars");
    // openai-2024 correlates revenue_growth, price_erosion and inference_decline: the page says they move together.
    assert.match(
      (await page.textContent("[data-note=tornado-given]")) ?? "",
      /^Correlated params are drawn given the one held: .*revenue_growth \(with price_erosion, inference_decline\)/,
    );
  });

  test("switching a condition changes S(24); the switch works from the keyboard", async (t) => {
    const before = await s24();
    const lever = page.locator("[data-lever=funding]");
    assert.equal(await lever.getAttribute("aria-checked"), "false");
    const clicked = Date.now();
    await lever.click();
    await page.waitForFunction((old) => document.querySelector("[data-testid=s24]")?.textContent !== old, before);
    const seen = Date.now() - clicked;
    assert.equal(await lever.getAttribute("aria-checked"), "true");
    const withFunding = await s24();
    assert.notEqual(withFunding, before);
    t.diagnostic(
      `S(24) ${before} → ${withFunding}; shown ${seen} ms after the click; ${await page.textContent("[data-testid=run-meta]")}`,
    );

    // Re-runs once the worker is warm: flip back and forth and read the worker's own timing.
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const old = await s24();
      await lever.focus();
      await page.keyboard.press("Space");
      await page.waitForFunction((o) => document.querySelector("[data-testid=s24]")?.textContent !== o, old);
      const meta = (await page.textContent("[data-testid=run-meta]")) ?? "";
      times.push(Number(/in (\d+) ms/.exec(meta)?.[1]));
    }
    assert.equal(await lever.getAttribute("aria-checked"), "true");
    t.diagnostic(`worker re-run times for 10,000 paths (ms): ${times.join(", ")}`);
    await lever.press("Space");
    await page.waitForFunction((o) => document.querySelector("[data-testid=s24]")?.textContent === o, before);
  });

  test("moving a slider (keyboard) holds the param and redraws the fan chart", async () => {
    const fan = page.locator("[data-chart=fan] .chart-body");
    const before = await fan.innerHTML();
    const slider = page.locator("input[type=range][data-param]").first();
    await slider.focus();
    for (let i = 0; i < 15; i++) await page.keyboard.press("ArrowRight");
    await page.waitForFunction(
      (old) => document.querySelector("[data-chart=fan] .chart-body")?.innerHTML !== old,
      before,
    );
    assert.notEqual(await fan.innerHTML(), before);
    assert.match((await page.locator(".held").first().textContent()) ?? "", /held at/);
  });

  test("an error typed into the editor is shown at its line and column", async () => {
    await openFresh();
    const text = (await (await fetch(new URL("/api/scenarios/builtin:openai-2024", server.url))).json()) as {
      text: string;
    };
    const target = "alive: cash >= 0";
    const line = text.text.slice(0, text.text.indexOf(target)).split("\n").length;
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+f");
    const search = page.locator(".cm-search input[name=search]");
    await search.waitFor();
    await search.pressSequentially(target);
    await search.press("Enter");
    await page.locator(".cm-activeLine", { hasText: target }).waitFor();
    await search.press("Escape");
    await page.locator(".cm-search").waitFor({ state: "detached" });
    // The match is selected; End collapses the selection at the end of that line.
    await page.keyboard.press("End");
    await page.keyboard.type(" and revnue > 0");
    // Wait for the diagnostic of the whole text typed: the editor may check it mid-typing (after
    // " and ") and briefly show an "unexpected end" at the same line.
    const item = page.locator(`[data-testid=diagnostics] li[data-line="${line}"]`, { hasText: "revnue" });
    await item.waitFor({ timeout: 30_000 }).catch(async (err: Error) => {
      const shown = await page.textContent("[data-testid=diagnostics]");
      const cursorLine = await page.locator(".cm-activeLine").textContent();
      throw new Error(`${err.message}\ndiagnostics shown: ${shown}\nline with the cursor: ${cursorLine}`);
    });
    assert.match((await item.textContent()) ?? "", /revnue/);
    assert.equal(await item.getAttribute("data-column"), String(target.length + " and ".length + 1));
    assert.ok((await page.locator(".cm-lintRange-error").count()) > 0, "no underline in the editor");
    assert.match((await page.textContent("[data-testid=run-meta]")) ?? "", /fix the scenario|paths/);
  });

  test("save a variant, reload, find it again", async () => {
    await openFresh();
    const name = `My variant ${Date.now()}`;
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+Home");
    await page.keyboard.type("# my variant\n");
    await page.fill("input[aria-label='scenario name']", name);
    await page.click("[data-testid=save]");
    await page.waitForFunction(() => /saved/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""));

    await page.goto(server.url + "#");
    await page.reload();
    await page.waitForSelector("[data-testid=scenario-list] button");
    await page.fill("input[aria-label='find a scenario']", name.slice(0, 14));
    const entry = page.locator("[data-testid=scenario-list] button", { hasText: name });
    await entry.waitFor();
    await entry.click();
    await page.waitForFunction(
      (n) => (document.querySelector("input[aria-label='scenario name']") as HTMLInputElement)?.value === n,
      name,
    );
    await page.waitForFunction(() => document.querySelector(".cm-content")?.textContent?.startsWith("# my variant"));
  });

  test("dates, schedules, lags, lever edits and yearly figures run in the browser's worker", async () => {
    const text = readFileSync(new URL("../fixtures/ok/constructs.yaml", import.meta.url), "utf8");
    const saved = (await (
      await fetch(new URL("/api/scenarios", server.url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: `Constructs ${Date.now()}`, text }),
      })
    ).json()) as { id: string };
    await page.goto(`${server.url}#s=${encodeURIComponent(saved.id)}`);
    await page.reload();
    await page.waitForFunction(() => /Example lab/.test(document.querySelector(".cm-content")?.textContent ?? ""));
    await page.waitForFunction(() => /%/.test(document.querySelector("[data-testid=s24]")?.textContent ?? ""), null, {
      timeout: 60_000,
    });
    assert.equal(await page.locator("[data-testid=diagnostics] li").count(), 0);
    // The lever that adds a round through a schedule changes S(24) on the same draws.
    const before = await s24();
    await page.locator("[data-lever]").first().click();
    await page.waitForFunction((old) => document.querySelector("[data-testid=s24]")?.textContent !== old, before);
    assert.ok(parseFloat(await s24()) > parseFloat(before), `${before} → ${await s24()}`);
  });

  test("history: saved versions can be loaded back, and a server run is listed and shown again", async () => {
    // A saved scenario with two versions (the second one changes the opening cash).
    const builtin = (await (await fetch(new URL("/api/scenarios/builtin:startup", server.url))).json()) as {
      text: string;
    };
    const post = (method: string, path: string, body: unknown) =>
      fetch(new URL(path, server.url), {
        method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ id: string; version: number }>);
    const v1 = await post("POST", "/api/scenarios", { name: `History ${Date.now()}`, text: "# v1\n" + builtin.text });
    const v2 = await post("PUT", `/api/scenarios/${v1.id}`, { name: "History", text: "# v2\n" + builtin.text });
    assert.equal(v2.version, 2);

    await page.goto(`${server.url}#s=${encodeURIComponent(v1.id)}`);
    await page.reload();
    await page.waitForFunction(() => document.querySelector(".cm-content")?.textContent?.startsWith("# v2"));
    const versions = page.locator("[data-testid=versions] li");
    await versions.nth(1).waitFor();
    assert.equal(await versions.count(), 2);
    assert.match((await versions.first().textContent()) ?? "", /^v2 /);

    // Load version 1 into the editor, then back to version 2 (what the runs below are filed under).
    await page.click("[data-testid=versions] button[data-version='1']");
    await page.waitForFunction(() => document.querySelector(".cm-content")?.textContent?.startsWith("# v1"));
    await page.click("[data-testid=versions] button[data-version='2']");
    await page.waitForFunction(() => document.querySelector(".cm-content")?.textContent?.startsWith("# v2"));

    // A server run of the unchanged version is filed under the scenario and listed.
    await page.selectOption(".server select", "100000");
    await page.click(".server button:text('Run')");
    const run = page.locator("[data-testid=saved-runs] li[data-status=done]");
    await run.first().waitFor({ timeout: 60_000 });
    assert.match((await run.first().textContent()) ?? "", /100,000 paths · v2/);
    const listed = (await (
      await fetch(new URL(`/api/runs?scenario=${encodeURIComponent(v1.id)}`, server.url))
    ).json()) as {
      scenarioVersion: number;
    }[];
    assert.deepEqual(
      listed.map((r) => r.scenarioVersion),
      [2],
    );

    // Change a condition (the live 10,000-path result replaces the server's), then show the run again.
    const lever = page.locator("[data-lever]").first();
    await lever.click();
    await page.waitForFunction(() =>
      /in your browser/.test(document.querySelector("[data-testid=run-meta]")?.textContent ?? ""),
    );
    await page.click("[data-testid=saved-runs] button[data-run]");
    await page.waitForFunction(() =>
      /server run: 131,072 paths/.test(document.querySelector("[data-testid=run-meta]")?.textContent ?? ""),
    );
    assert.equal(await lever.getAttribute("aria-checked"), "false", "the run's own conditions are back");
  });

  test("compare: pin the current settings, flip a condition, see both curves and the paired difference", async () => {
    await openFresh();
    await page.selectOption("select[aria-label='compare with']", "pin");
    await page.click("[data-lever=funding]");
    await page.locator("[data-testid=paired]").waitFor();
    assert.match((await page.textContent("[data-testid=paired]")) ?? "", /24.*[+-]\d+\.\d% ± \d+\.\d%/s);
    assert.ok((await page.locator("[data-chart=survival] svg path").count()) >= 4, "two curves and two bands");
    await page.selectOption("select[aria-label='compare with']", "");
  });

  test("export the results as CSV and the workbook as XLSX", async () => {
    const [csv] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-csv]")]);
    assert.match(csv.suggestedFilename(), /\.csv$/);
    const csvText = readFileSync((await csv.path())!, "utf8");
    assert.match(csvText, /^month,date,alive,alive_low,alive_high,alive_se,cash_mean/);
    assert.equal(csvText.trim().split("\n").length, 37);

    const [xlsx] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-xlsx]")]);
    assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
    assert.equal(
      readFileSync((await xlsx.path())!)
        .subarray(0, 2)
        .toString(),
      "PK",
    );

    const [svg] = await Promise.all([
      page.waitForEvent("download"),
      page.click("[data-chart=survival] button:text('SVG')"),
    ]);
    assert.match(readFileSync((await svg.path())!, "utf8"), /^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const [png] = await Promise.all([
      page.waitForEvent("download"),
      page.click("[data-chart=survival] button:text('PNG')"),
    ]);
    assert.deepEqual([...readFileSync((await png.path())!).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  });

  test("more paths on the server, with progress, then the result", async () => {
    await page.selectOption(".server select", "100000");
    await page.click(".server button:text('Run')");
    await page.waitForFunction(
      () => /server run: 131,072 paths/.test(document.querySelector("[data-testid=run-meta]")?.textContent ?? ""),
      null,
      {
        timeout: 60_000,
      },
    );
  });

  test("works at 390 pixels wide without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openFresh();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the window`);
    const box = await page.locator("[data-chart=survival] svg").boundingBox();
    assert.ok(box && box.width <= 390, `chart is ${box?.width}px wide`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test("no console errors", () => {
    assert.deepEqual(consoleErrors, []);
  });
});
