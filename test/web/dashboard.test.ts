// The dashboard in a real browser: headless Debian chromium driven by playwright-core, against
// a real server (real checker and engine) on a free port with a temporary database.
//
// Without chromium the tests are skipped with the reason, except when CI is set: there a
// missing browser is a failure, so CI can never pass by running nothing.
//
// OUTLAST_SCREENSHOTS=1 also writes the screenshots in docs/ (npm run screenshots).

import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Download, Page } from "playwright-core";
import {
  builtinText,
  chromiumPath,
  haveChromium,
  openPage,
  openSession,
  root,
  saveScenario,
  type Session,
} from "./browser.js";

const skip =
  haveChromium || process.env["CI"] ? false : `chromium not found at ${chromiumPath} (apt-get install chromium)`;
const screenshots = process.env["OUTLAST_SCREENSHOTS"] ? join(root, "docs") : undefined;

if (!haveChromium && process.env["CI"]) {
  test("chromium is installed (CI is set)", () => {
    assert.fail(`chromium is missing at ${chromiumPath}: .ci/run must install it (apt-get install chromium)`);
  });
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.textContent(selector)) ?? "";
}

/** Replaces the editor's whole text, as a paste would. */
async function setEditorText(page: Page, value: string): Promise<void> {
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+a");
  if (value === "") await page.keyboard.press("Delete");
  else await page.keyboard.insertText(value);
}

/** Waits until a figure is current and its chart (if any) is drawn (charts are drawn one per task). */
async function waitFresh(page: Page, figure: string): Promise<void> {
  await page.locator(`[data-figure=${figure}][data-fresh=fresh]`).first().waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll("[data-chart][data-drawing]").length === 0);
}

async function saved(download: Download): Promise<Buffer> {
  return readFileSync((await download.path())!);
}

async function downloadOf(page: Page, selector: string): Promise<Download> {
  const [d] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return d;
}

/** The numbers on a chart's axis ticks (Plot draws them as text in g[aria-label='x-axis tick label']). */
async function tickLabels(page: Page, chart: string, axis: "x" | "y"): Promise<string[]> {
  return page.locator(`[data-chart=${chart}] g[aria-label='${axis}-axis tick label'] text`).allTextContents();
}

describe("dashboard in chromium", { skip: skip || (!haveChromium && "chromium is missing") }, () => {
  let s: Session;
  let page: Page;
  let url: string;
  let startup: string;

  before(async () => {
    s = await openSession({ width: 1440, height: 900 });
    page = s.page;
    url = s.server.url;
    startup = await builtinText(url, "startup");
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  });

  after(async () => {
    await s?.close();
  });

  test("the page opens on the built-in scenario, runs 10,000 paths in the worker and says how long until it was on screen", async (t) => {
    await openPage(page, url);
    assert.match(await text(page, "[data-testid=s24]"), /^\d+\.\d% ± \d+\.\d%$/);
    for (const chart of ["survival", "fan", "runway"])
      await page.locator(`[data-chart=${chart}] svg`).first().waitFor();
    await page.waitForFunction(() =>
      /on screen \d+ ms after/.test(document.querySelector("[data-testid=run-meta]")?.textContent ?? ""),
    );
    assert.match(
      await text(page, "[data-testid=run-meta]"),
      // 10,000 paths under rqmc (the default): 16 replicates of the nearest power of two, 512 points.
      /^8,192 paths in \d+ ms \(in your browser\); on screen \d+ ms after the change$/,
    );
    // Every figure says which text, levers and paths produced it: the paths the run took.
    for (const name of ["numbers", "survival", "fan", "runway"])
      assert.match(
        await text(page, `[data-testid=provenance-${name}]`),
        /^from text #[0-9a-f]{6} \(built-in\) · levers: none · 8,192 paths · seed 1$/,
      );
    // The ± is what the interval is under rqmc: Student's t over the replicates, not 1.96 SE.
    assert.equal(
      await text(page, "[data-testid=interval-note]"),
      "± is 2.13 SE (95%, Student's t with 15 df over 16 rqmc replicates)",
    );
    t.diagnostic(await text(page, "[data-testid=run-meta]"));
  });

  test("switching a condition re-runs; the on-screen time is measured from the click", async (t) => {
    const before = await text(page, "[data-testid=s24]");
    const lever = page.locator("[data-lever=funding]");
    const times: string[] = [];
    for (let i = 0; i < 4; i++) {
      const old = await text(page, "[data-testid=s24]");
      await lever.focus();
      await page.keyboard.press("Space");
      await page.waitForFunction((o) => document.querySelector("[data-testid=s24]")?.textContent !== o, old);
      await page.waitForFunction(() =>
        /on screen/.test(document.querySelector("[data-testid=run-meta]")?.textContent ?? ""),
      );
      times.push(await text(page, "[data-testid=run-meta]"));
    }
    assert.equal(await lever.getAttribute("aria-checked"), "false");
    assert.equal(await text(page, "[data-testid=s24]"), before, "the same seed gives the same figure back");
    t.diagnostic(times.join(" | "));
  });

  test("levers table and tornado use the headline's paths and seed: their baseline is the headline's S(24)", async () => {
    await page.click("[data-tab=analyses]");
    const rows = page.locator("[data-testid=lever-table] tbody tr");
    await rows.nth(31).waitFor({ timeout: 90_000 });
    assert.equal(await rows.count(), 32, "all 2^5 combinations of the five conditions");
    const headline = await text(page, "[data-testid=s24]");
    assert.equal(await rows.last().locator("td").last().textContent(), headline, "no levers = the headline");
    assert.equal(await page.locator("tr.current td").last().textContent(), headline);
    await page.locator("[data-chart=tornado] svg").first().waitFor({ timeout: 90_000 });
    const base = await text(page, "[data-testid=tornado-base]");
    assert.match(base, new RegExp(`^Baseline S\\(24\\) = ${headline.replace(/[.+()]/g, "\\$&")}`));
    // The paths the analyses took (10,000 asked: 16 rqmc replicates of 512), and what ± is.
    assert.match(base, /the same 8,192 paths \(16 rqmc replicates of 512\) and seed as the headline/);
    assert.match(base, /± is 2\.13 SE \(95%, Student's t with 15 df over 16 rqmc replicates\)\.$/);
    const levers = await text(page, "section.analyses h2");
    assert.match(levers, /\(8,192 paths \(16 rqmc replicates of 512\), same seed as the headline\)/);
    assert.doesNotMatch(levers + base, /10,000/);
    assert.match(await text(page, "[data-testid=lever-interval]"), /Student's t with 15 df/);
    // Ticks read differently from each other (they repeated "1% 1% 2% 2%").
    const ticks = await tickLabels(page, "tornado", "x");
    assert.ok(ticks.length >= 3);
    assert.equal(new Set(ticks).size, ticks.length, `repeated ticks: ${ticks.join(" ")}`);
    // Long labels fit inside the chart (they were cut at the left).
    const cut = await page.evaluate(() => {
      const svg = document.querySelector("[data-chart=tornado] svg")!.getBoundingClientRect();
      return [...document.querySelectorAll("[data-chart=tornado] g[aria-label='y-axis tick label'] text")].filter(
        (t) => t.getBoundingClientRect().left < svg.left - 0.5,
      ).length;
    });
    assert.equal(cut, 0, "tornado labels cut at the left");
    assert.match(
      await text(page, "[data-note=tornado-given]"),
      /^Correlated params are drawn given the one held: .*revenue_growth \(with price_erosion, inference_decline\)/,
    );
  });

  test("exports carry the chart, a title, the scenario, the levers and a legend (the tornado was a 15×15 swatch)", async () => {
    const svg = (await saved(await downloadOf(page, "[data-chart=tornado] button:text('SVG')"))).toString("utf8");
    const width = Number(/^<svg[^>]* width="(\d+(?:\.\d+)?)"/.exec(svg)?.[1]);
    assert.ok(width > 300, `exported SVG is ${width} px wide`);
    assert.match(svg, /Tornado: S\(24\)/);
    assert.match(svg, /Scenario: OpenAI, mid-2024 \(built-in\)/);
    assert.match(svg, /Levers on: none/);
    assert.match(svg, /10th percentile/);
    assert.match(svg, /90th percentile/);
    assert.ok((svg.match(/<rect/g) ?? []).length > 12, "the bars are in the file");
    const png = await saved(await downloadOf(page, "[data-chart=tornado] button:text('PNG')"));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.ok(png.readUInt32BE(16) > 600, `PNG is ${png.readUInt32BE(16)} px wide`);
    await page.click("[data-tab=charts]");
  });

  test("a typo, an empty editor or a NaN formula: the old figures are greyed and marked until recomputed; the runtime error is marked at its line", async () => {
    const { id } = await saveScenario(url, "Fresh check", startup);
    await openPage(page, url, `#s=${id}`);
    await waitFresh(page, "numbers");

    await setEditorText(page, startup.replace("burn: { value: costs - mrr,", "burn: { value: costs - mrrr,"));
    await page.locator("[data-testid=diagnostics] li", { hasText: "mrrr" }).waitFor();
    for (const name of ["numbers", "survival", "fan", "runway"])
      assert.equal(await page.getAttribute(`[data-figure=${name}]`, "data-fresh"), "stale", name);
    assert.match(await text(page, "[data-testid=provenance-numbers]"), /^out of date: the scenario has errors/);

    await setEditorText(page, "");
    await page.waitForFunction(
      () => document.querySelector("[data-figure=numbers]")?.getAttribute("data-fresh") === "stale",
    );

    const nan = startup.replace("burn: { value: costs - mrr,", "burn: { value: log(costs - mrr - 1T),");
    await setEditorText(page, nan);
    await page.locator("[data-testid=run-error]").waitFor();
    assert.equal(await page.getAttribute("[data-figure=numbers]", "data-fresh"), "stale");
    assert.match(await text(page, "[data-testid=provenance-numbers]"), /^out of date: the last run failed/);
    const burnLine = nan.slice(0, nan.indexOf("burn: { value: log")).split("\n").length;
    await page.locator(`[data-testid=diagnostics] li.error[data-line="${burnLine}"]`).waitFor();
    assert.ok((await page.locator(".cm-lintRange-error").count()) > 0, "the runtime error is underlined in the editor");

    await setEditorText(page, startup);
    await waitFresh(page, "numbers");
    assert.equal(await page.locator("[data-testid=run-error]").count(), 0);
  });

  test("horizon 1200: charts get at most one point per two pixels, axes stay readable", async (t) => {
    const { id } = await saveScenario(url, "Long horizon", startup.replace("horizon: 36", "horizon: 1200"));
    await openPage(page, url, `#s=${id}`);
    await page.waitForFunction(
      () => /S\(1200\)/.test(document.querySelector("[aria-label='key results']")?.textContent ?? ""),
      null,
      { timeout: 120_000 },
    );
    await waitFresh(page, "fan");
    for (const chart of ["survival", "fan", "runway"]) {
      const el = page.locator(`[data-chart=${chart}]`);
      const points = Number(await el.getAttribute("data-points"));
      const width = (await el.locator("svg").first().boundingBox())!.width;
      assert.ok(points > 0 && points <= width / 2 + 1, `${chart}: ${points} points for ${width} px`);
      t.diagnostic(`${chart}: ${points} points over ${Math.round(width)} px`);
    }
    const runwayTicks = await tickLabels(page, "runway", "x");
    assert.ok(runwayTicks.length <= 20, `${runwayTicks.length} runway tick labels`);
    const fanTicks = await tickLabels(page, "fan", "y");
    for (const tick of fanTicks) assert.doesNotMatch(tick, /e\+\d+[KMBT]/, `unreadable tick ${tick}`);
  });

  test("every path alive: the Wilson interval, not '± 0.0%'", async () => {
    const { id } = await saveScenario(
      url,
      "Rich",
      startup.replace("opening_cash: { value: 2.5M", "opening_cash: { value: 1T"),
    );
    await openPage(page, url, `#s=${id}`);
    await waitFresh(page, "numbers");
    const s24 = await text(page, "[data-testid=s24]");
    assert.doesNotMatch(s24, /± 0\.0%/);
    assert.match(s24, /^100% \(95%: 99\.\d\d%–100\.00%\)$/);
  });

  test("the header shows the saved name; exports are named after it; CSV dates are YYYY-MM with the levers and held values on top", async () => {
    const { id } = await saveScenario(url, "Plan B for the board", startup);
    await openPage(page, url, `#s=${id}`);
    assert.match(await text(page, "[data-testid=subtitle]"), /^Plan B for the board \(v1\)/);
    await page.click("[data-tab=assumptions]");
    const held = page.locator("[data-held=churn]");
    await held.fill("2.5%");
    await held.press("Enter");
    await page.waitForFunction(() =>
      /held at 2\.5%/.test(document.querySelector("[data-held-text=churn]")?.textContent ?? ""),
    );
    await waitFresh(page, "numbers");
    const csv = await downloadOf(page, "[data-testid=export-csv]");
    assert.equal(csv.suggestedFilename(), "outlast-plan-b-for-the-board.csv");
    const body = (await saved(csv)).toString("utf8");
    assert.match(
      body,
      /^# scenario: Plan B for the board \(v1\), text #[0-9a-f]{6}\n# levers: none\n# held: churn=0\.025\n# paths: 8192, seed: 1, start: 2025-01, horizon: 36\nmonth,date,alive/,
    );
    assert.match(body, /\n1,2025-01,/);
    const xlsx = await downloadOf(page, "[data-testid=export-xlsx]");
    assert.equal(xlsx.suggestedFilename(), "outlast-plan-b-for-the-board.xlsx");
    assert.equal((await saved(xlsx)).subarray(0, 2).toString(), "PK");
  });

  test("percent params read as percents; a value typed exactly holds the param; a formula edited on the page rewrites the text", async () => {
    const row = page.locator("[data-held-text=mrr_growth]");
    assert.match((await row.textContent()) ?? "", /^drawn, 5–95%: \d+(\.\d+)?% – \d+(\.\d+)?%/);
    const before = await text(page, "[data-testid=s24]");
    const box = page.locator("[data-held=opening_cash]");
    await box.fill("4M");
    await box.press("Enter");
    await page.waitForFunction(() =>
      /held at \$4M/.test(document.querySelector("[data-held-text=opening_cash]")?.textContent ?? ""),
    );
    await page.waitForFunction((b) => document.querySelector("[data-testid=s24]")?.textContent !== b, before);
    const bad = page.locator("[data-held=gross_margin]");
    await bad.fill("lots");
    await bad.press("Enter");
    assert.equal(await bad.getAttribute("aria-invalid"), "true");

    const formula = page.locator("[data-formula=churn]");
    await formula.fill("uniform(2%, 6%)");
    await formula.press("Enter");
    await page.waitForFunction(
      () =>
        document.querySelector(".cm-content")?.textContent?.includes('churn: { value: "uniform(2%, 6%)"') ||
        document.querySelector(".cm-content")?.textContent?.includes("uniform(2%, 6%)"),
    );
    assert.match(await text(page, "[data-testid=subtitle]"), /edited/);
  });

  test("unsaved edits: switching scenario asks first, and leaving the page asks too", async () => {
    // The page still holds the edit made above.
    let asked = "";
    page.once("dialog", (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page.click("[data-tab=charts]");
    await page.click(".scenarios summary");
    await page.click("[data-testid=scenario-list] button[data-id='builtin:openai-2024']");
    await page.waitForFunction(() => true);
    assert.match(asked, /Discard the unsaved edits to "Plan B for the board"\?/);
    assert.match((await page.textContent(".cm-content")) ?? "", /uniform\(2%, 6%\)/, "the edit is still there");

    const other = await s.context.newPage();
    await openPage(other, url, "#s=builtin:startup");
    await other.locator(".cm-content").click();
    await other.keyboard.type("# edit\n");
    const dialog = new Promise<string>((resolve) =>
      other.once("dialog", (d) => {
        resolve(d.type());
        void d.accept();
      }),
    );
    await other.close({ runBeforeUnload: true });
    assert.equal(await dialog, "beforeunload");
    page.once("dialog", (d) => void d.accept());
    await page.click("[data-testid=scenario-list] button[data-id='builtin:openai-2024']");
    await page.waitForFunction(() =>
      /OpenAI/.test(document.querySelector("[data-testid=subtitle]")?.textContent ?? ""),
    );
  });

  test("dates, schedules, lags, lever edits and yearly figures run in the browser's worker", async () => {
    const constructs = readFileSync(new URL("../fixtures/ok/constructs.yaml", import.meta.url), "utf8");
    const { id } = await saveScenario(url, `Constructs ${Date.now()}`, constructs);
    await openPage(page, url, `#s=${encodeURIComponent(id)}`);
    await page.waitForFunction(() => /Example lab/.test(document.querySelector(".cm-content")?.textContent ?? ""));
    assert.equal(await page.locator("[data-testid=diagnostics] li").count(), 0);
    // The lever that adds a round through a schedule changes S(24) on the same draws.
    const before = await text(page, "[data-testid=s24]");
    await page.locator("[data-lever]").first().click();
    await page.waitForFunction((old) => document.querySelector("[data-testid=s24]")?.textContent !== old, before);
    const after = await text(page, "[data-testid=s24]");
    assert.ok(parseFloat(after) > parseFloat(before), `${before} → ${after}`);
  });

  test("the URL holds the scenario, version, levers, held values, compared variants and view", async () => {
    const v1 = await saveScenario(url, "Linked", startup);
    await saveScenario(
      url,
      "Linked",
      startup.replace("opening_cash: { value: 2.5M", "opening_cash: { value: 3M"),
      v1.id,
    );
    await openPage(page, url, `#s=${v1.id}&v=1&h=churn:0.02&c=builtin:openai-2024|pin:;raise_closes:1`);
    assert.match(await text(page, "[data-testid=subtitle]"), /^Linked \(v1\)/);
    assert.match((await page.textContent(".cm-content")) ?? "", /value: 2\.5M/);
    assert.equal(await page.locator("[data-testid=compared] li").count(), 2);
    await page.click("[data-tab=assumptions]");
    assert.match(await text(page, "[data-held-text=churn]"), /held at 2%/);
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /s=[^&]+&v=1&h=churn:0\.02&c=builtin:openai-2024\|pin:;raise_closes:1&tab=assumptions/);
    // Reloading the URL gives the same page.
    await page.reload();
    await page.waitForFunction(() =>
      /held at 2%/.test(document.querySelector("[data-held-text=churn]")?.textContent ?? ""),
    );
    assert.equal(await page.evaluate(() => location.hash), hash);
  });

  test("history: the diff between two saved versions, a version loaded back, a server run listed and shown", async () => {
    await page.click("[data-tab=history]");
    await page.click("[data-diff='2']");
    const diff = page.locator("[data-testid=version-diff]");
    await diff.waitFor();
    assert.match((await diff.locator(".del").allTextContents()).join("\n"), /- .*opening_cash: \{ value: 2\.5M/);
    assert.match((await diff.locator(".add").allTextContents()).join("\n"), /\+ .*opening_cash: \{ value: 3M/);
    assert.match(await text(page, "[data-testid=version-diff] .meta"), /^v1 → v2: 1 line\(s\) removed, 1 added$/);

    await page.click("[data-testid=versions] button[data-version='2']");
    await page.waitForFunction(() => /value: 3M/.test(document.querySelector(".cm-content")?.textContent ?? ""));
    await page.selectOption(".server select", "100000");
    await page.click("[data-testid=server-run]");
    const run = page.locator("[data-testid=saved-runs] li[data-status=done]");
    await run.first().waitFor({ timeout: 60_000 });
    assert.match((await run.first().textContent()) ?? "", /100,000 paths · v2/);
    // The figures' provenance names the paths the server ran (rounded up for rqmc), as soon
    // as the run is done, not the 100,000 asked for.
    assert.match(
      await text(page, "[data-testid=provenance-numbers]"),
      /^from text #[0-9a-f]{6} \(v2\) · levers: none · held: churn · 131,072 paths/,
    );
    await page.click("[data-testid=saved-runs] button[data-run]");
    await page.waitForFunction(() =>
      /server run: 131,072 paths/.test(document.querySelector("[data-testid=run-meta]")?.textContent ?? ""),
    );
    assert.match(
      await text(page, "[data-testid=provenance-numbers]"),
      /^from text #[0-9a-f]{6} \(v2\) · levers: none · held: churn · 131,072 paths/,
    );
  });

  test("a cancelled server run says so (the button read 'Cancel' after it)", async () => {
    await openPage(page, url, "#s=builtin:openai-2024");
    await page.selectOption(".server select", "2000000");
    await page.click("[data-testid=server-run]", { timeout: 120_000 });
    const cancel = page.locator("[data-testid=cancel-run]");
    await cancel.click({ timeout: 120_000 });
    // Until the server says the run stopped, the button says it is being cancelled.
    await page.waitForFunction(() => {
      const b = document.querySelector("[data-testid=cancel-run]") as HTMLButtonElement | null;
      return !b || (b.disabled && b.textContent === "Cancelling…");
    });
    await page.locator("[data-testid=server-status]").waitFor({ timeout: 120_000 });
    assert.match(await text(page, "[data-testid=server-status]"), /last server run: cancelled/);
    assert.equal(await cancel.count(), 0);
  });

  test("compare three variants on one chart; differences in percentage points", async () => {
    await openPage(page, url, "#s=builtin:openai-2024");
    await page.selectOption("select[aria-label='compare with']", "pin");
    await page.click("[data-lever=funding]");
    await page.selectOption("select[aria-label='compare with']", "pin");
    await page.click("[data-lever=microsoft]");
    await page.selectOption("select[aria-label='compare with']", "builtin:startup");
    await page.locator("[data-testid=paired] th:nth-child(5)").waitFor({ timeout: 60_000 });
    await waitFresh(page, "paired");
    assert.match(await text(page, "[data-testid=paired]"), /[+−]\d+\.\d pp ± \d+\.\d/);
    // The interval is Student's t over the replicates' paired differences (rqmc), not 1.96 SE.
    assert.equal(
      await text(page, "[data-testid=paired] caption"),
      "Variant − current, paired by path (same seed): difference in percentage points ± 2.13 SE (95%, Student's t " +
        "with 15 df over 16 rqmc replicates; the SE of the replicates' paired differences)",
    );
    assert.doesNotMatch(await text(page, "[data-testid=paired]"), /% ± /);
    await waitFresh(page, "survival");
    assert.equal(await page.locator("[data-chart=survival] .legend li").count(), 4, "current and three variants");
    assert.equal(await page.locator("[data-chart=survival] svg g[aria-label=line] path").count(), 4);
    const svg = (await saved(await downloadOf(page, "[data-chart=survival] button:text('SVG')"))).toString("utf8");
    assert.ok(Number(/^<svg[^>]* width="(\d+)/.exec(svg)?.[1]) > 300, "not a legend swatch");
    assert.match(svg, /My SaaS startup/);
    assert.match(
      svg,
      /Levers on: Raise unprecedented funding; Reshape the Microsoft relationship|Levers on: Reshape the Microsoft relationship; Raise unprecedented funding/,
    );
  });

  test("the fan chart: dates on the time axis, the unit on the y-axis, a log scale and drag to zoom", async () => {
    const xTicks = await tickLabels(page, "fan", "x");
    assert.ok(
      xTicks.some((x) => /^(Jan|Jul|Oct|Apr)/.test(x) || /^20\d\d$/.test(x)),
      `x ticks: ${xTicks.join(" ")}`,
    );
    assert.match(await text(page, "[data-chart=fan] g[aria-label='y-axis label']"), /\(USD/);
    await page.check("[aria-label='log scale']");
    await page.waitForFunction(() =>
      /log scale/.test(document.querySelector("[data-chart=fan] g[aria-label='y-axis label']")?.textContent ?? ""),
    );
    const before = Number(await page.getAttribute("[data-chart=fan]", "data-points"));
    const box = (await page.locator("[data-chart=fan] svg").boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.locator("[data-testid=reset-zoom]").waitFor();
    assert.match(await text(page, "[data-testid=reset-zoom]"), /^months \d+–\d+ · show all$/);
    await page.waitForFunction(
      (b) => Number(document.querySelector("[data-chart=fan]")?.getAttribute("data-points")) < b,
      before,
    );
    assert.match(await page.evaluate(() => location.hash), /zoom=\d+-\d+/);
    await page.click("[data-testid=reset-zoom]");
    await page.uncheck("[aria-label='log scale']");
  });

  test("goal-seek, Sobol indices and hindsight run on the page (src/analysis in a worker)", async () => {
    for (const key of await page.locator("[data-testid=compared] button").all()) await key.click().catch(() => {});
    await page.click("[data-tab=analyses]");
    await page.selectOption("select[aria-label='goal-seek vary']", "opening_cash");
    await page.click("[data-tool=goal-seek] button[type=submit]");
    await page.locator("[data-testid=goal-seek-result]").waitFor({ timeout: 120_000 });
    assert.match(await text(page, "[data-testid=goal-seek-result]"), /opening_cash/);
    assert.match(await text(page, "[data-testid=goal-seek-result]"), /\$\d/);

    await page.selectOption("select[aria-label='sobol rows']", "512");
    await page.click("[data-tool=sobol] button[type=submit]");
    const sobol = page.locator("[data-testid=sobol-result] tbody tr");
    await sobol.first().waitFor({ timeout: 120_000 });
    assert.ok((await sobol.count()) >= 5);

    await page.click("[data-tool=hindsight] button");
    const hindsight = page.locator("[data-testid=hindsight-result] tbody tr");
    await hindsight.first().waitFor({ timeout: 120_000 });
    assert.ok((await hindsight.count()) >= 1);
    // A result from other inputs is marked stale.
    await page.click("[data-lever=automation]");
    await page.waitForFunction(
      () => document.querySelector("[data-figure=sobol]")?.getAttribute("data-fresh") === "stale",
    );
    await page.click("[data-lever=automation]");
  });

  test("a scenario whose goal is about another month is read at that month (openai-2026: S(60))", async () => {
    await openPage(page, url, "#s=builtin:openai-2026");
    assert.equal(await text(page, "[data-testid=s24] >> xpath=../div[@class='stat-label']"), "S(60)");
    await page.click("[data-tab=analyses]");
    assert.equal(await page.inputValue("[aria-label='goal-seek target']"), "alive@60 >= 0.9");
    assert.equal(await page.inputValue("[aria-label='sobol output']"), "alive@60");
    await page.click("[data-tab=charts]");
  });

  test("with the server down: a clear message, no blame on the scenario, no half-drawn cards", async () => {
    const down = await s.context.newPage();
    await down.route("**/api/**", (r) => r.abort());
    await down.goto(url);
    await down.locator("[data-testid=api-down]").waitFor();
    assert.match(await text(down, "[data-testid=api-down]"), /Cannot reach the outlast server/);
    assert.equal(await down.locator("[data-testid=diagnostics] li").count(), 0, "no empty_file blamed on the user");
    assert.doesNotMatch((await down.textContent("body")) ?? "", /S\(24\)\s*S\(24\)|loading…/);
    await down.close();
  });

  test("the main views at 1440×900", async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await openPage(page, url, "#s=builtin:openai-2024&c=pin:funding,microsoft;");
    await waitFresh(page, "survival");
    await page.locator("[data-chart=survival] .legend li").nth(1).waitFor();
    for (const tab of ["charts", "assumptions", "analyses", "history"]) {
      await page.click(`[data-tab=${tab}]`);
      if (tab === "analyses") await page.locator("[data-chart=tornado] svg").first().waitFor({ timeout: 90_000 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${tab}: page is ${overflow}px wider than the window`);
      if (screenshots && tab !== "history")
        await page.screenshot({ path: join(screenshots, `dashboard-${tab}-1440.png`) });
    }
    // History of a saved scenario with two versions and the diff between them.
    const v1 = await saveScenario(url, "Board plan", startup);
    await saveScenario(url, "Board plan", startup.replace("hiring: { value: 2%", "hiring: { value: 3%"), v1.id);
    await openPage(page, url, `#s=${v1.id}&tab=history`);
    await page.click("[data-diff='2']");
    await page.locator("[data-testid=version-diff] .add").first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `history: page is ${overflow}px wider than the window`);
    if (screenshots) await page.screenshot({ path: join(screenshots, "dashboard-history-1440.png") });
    await page.click("[data-tab=charts]");
  });

  test("at 390 pixels: no sideways scrolling (even with a long-named scenario to compare), the editor one tap away", async () => {
    await saveScenario(
      url,
      "A scenario with a very long name that used to push the compare select off the side of a phone screen",
      startup,
    );
    await page.setViewportSize({ width: 390, height: 844 });
    await openPage(page, url, "#s=builtin:openai-2024");
    await page.waitForFunction(() => document.querySelectorAll("select[aria-label='compare with'] option").length > 4);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the window`);
    const box = await page.locator("[data-chart=survival] svg").boundingBox();
    assert.ok(box && box.width <= 390, `chart is ${box?.width}px wide`);
    if (screenshots) await page.screenshot({ path: join(screenshots, "dashboard-charts-390.png"), fullPage: false });
    await page.click("[data-tab=editor]");
    const editor = await page.locator(".cm-editor").boundingBox();
    assert.ok(editor && editor.y < 2 * 844, `the editor starts ${editor?.y}px down`);
    const wider = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wider <= 0, `editor view is ${wider}px wider than the window`);
    if (screenshots) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(screenshots, "dashboard-editor-390.png") });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  test("no console errors", () => {
    assert.deepEqual(s.consoleErrors, []);
  });
});
