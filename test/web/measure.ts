// Figures for the dashboard's speed (not a test: times vary by machine, so they are printed,
// never asserted). Run: node --import tsx test/web/measure.ts
//
// 1. Node: the live re-run the page makes (10,000 paths × 36 months of openai-2024, one series
//    summarised), once warm, with the engine the page's worker runs.
// 2. Chromium: the page at horizon 1200 (openai-2024 with `horizon: 1200`), every main-thread
//    task over 50 ms seen by the Long Tasks API while it opens, levers flip and a slider moves;
//    and the page's own "on screen N ms after the change" at horizon 36.

import { compileModel, simulateInProcess } from "../../src/engine/index.js";
import { checkText } from "../../src/lang/index.js";
import { openPage, openSession, saveScenario } from "./browser.js";

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

async function node(text: string): Promise<void> {
  const { model } = checkText(text, "openai-2024.yaml");
  const compiled = compileModel(model!);
  const levers = [[], ["funding"], ["funding", "microsoft"], ["microsoft"]];
  for (let i = 0; i < 10; i++)
    simulateInProcess(compiled, { paths: 10_000, seed: 1, report: ["cash"], levers: levers[i % 4]! });
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    simulateInProcess(compiled, { paths: 10_000, seed: 1, report: ["cash"], levers: levers[i % 4]! });
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  // On a shared machine the wall time includes waiting for a core; the CPU time does not.
  console.log(
    `node, 10,000 paths × 36 months, warm, 40 runs: wall median ${quantile(times, 0.5).toFixed(1)} ms ` +
      `(90th ${quantile(times, 0.9).toFixed(1)}, max ${Math.max(...times).toFixed(1)}); ` +
      `CPU median ${quantile(cpu, 0.5).toFixed(1)} ms (min ${Math.min(...cpu).toFixed(1)}); load average ${(await import("node:os")).loadavg()[0]!.toFixed(1)} on ${(await import("node:os")).cpus().length} cores`,
  );
}

async function browser(text: string): Promise<void> {
  const s = await openSession({ width: 1440, height: 900 });
  try {
    const { page } = s;
    const url = s.server.url;
    // Horizon 36: the page's own input-to-paint figure after lever flips.
    await openPage(page, url, "#s=builtin:openai-2024");
    const paint: string[] = [];
    for (let i = 0; i < 8; i++) {
      const before = await page.textContent("[data-testid=run-meta]");
      await page.click("[data-lever=funding]");
      await page.waitForFunction((b) => {
        const t = document.querySelector("[data-testid=run-meta]")?.textContent ?? "";
        return t !== b && /on screen/.test(t);
      }, before);
      paint.push((await page.textContent("[data-testid=run-meta]")) ?? "");
    }
    const worker = paint.map((m) => Number(/in (\d+) ms/.exec(m)?.[1]));
    const screen = paint.map((m) => Number(/on screen (\d+) ms/.exec(m)?.[1]));
    console.log(
      `chromium, horizon 36, 8 lever flips: worker ${worker.join(", ")} ms; on screen ${screen.join(", ")} ms`,
    );

    // Horizon 1200: long tasks on the main thread.
    const { id } = await saveScenario(url, "Horizon 1200", text.replace("horizon: 36", "horizon: 1200"));
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: "longtask", buffered: true });
    });
    await openPage(page, url, `#s=${id}`);
    await page.waitForFunction(
      () => /S\(1200\)/.test(document.querySelector("[aria-label='key results']")?.textContent ?? ""),
      null,
      {
        timeout: 120_000,
      },
    );
    const flips: string[] = [];
    for (const lever of ["funding", "microsoft", "funding", "microsoft"]) {
      const before = await page.textContent("[data-testid=s24]");
      await page.click(`[data-lever=${lever}]`);
      await page.waitForFunction((b) => document.querySelector("[data-testid=s24]")?.textContent !== b, before, {
        timeout: 120_000,
      });
      await page.waitForFunction(() =>
        /on screen/.test(document.querySelector("[data-testid=run-meta]")?.textContent ?? ""),
      );
      flips.push((await page.textContent("[data-testid=run-meta]")) ?? "");
    }
    await page.click("[data-tab=assumptions]");
    const slider = page.locator("input[type=range][data-param]").first();
    await slider.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
    await page.waitForTimeout(3000);
    await page.click("[data-tab=charts]");
    await page.waitForTimeout(1000);
    const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    const points = await page.evaluate(() =>
      [...document.querySelectorAll("[data-chart]")].map(
        (e) => `${e.getAttribute("data-chart")} ${e.getAttribute("data-points")}`,
      ),
    );
    console.log(`chromium, horizon 1200, lever flips: ${flips.join(" | ")}`);
    console.log(
      `chromium, horizon 1200: ${tasks.length} long tasks (> 50 ms) on the main thread, longest ${Math.max(0, ...tasks).toFixed(0)} ms ` +
        `(all: ${tasks.map((t) => t.toFixed(0)).join(", ")}); points per chart: ${points.join(", ")}`,
    );
  } finally {
    await s.close();
  }
}

const { readFileSync } = await import("node:fs");
const text = readFileSync(new URL("../../scenarios/openai-2024.yaml", import.meta.url), "utf8");
await node(text);
await browser(text);
