#!/usr/bin/env node
// `node scripts/load.mjs`: the server under load, over real HTTP on loopback. It starts the built
// `outlast serve` on a free port with a fresh database, saves 300 scenarios, then for a fixed time
// each sends requests from several clients at once and reports requests a second and the p50 and
// p99 latency of: listing scenarios (a page of summaries), reading one, saving one, and
// submitting a run. Last, it starts the largest run the server allows (2M paths × 1200 months of
// openai-2024) and reports how long GETs wait while it goes (the goal is 200 ms), and how long
// its cancel takes. Each phase also reports the server's HTTP thread's event-loop delay (GET
// /api/server/event-loop): monitorEventLoopDelay's max and p99, and the thread's own delay (less
// the time it waited for a CPU).
//
//   node scripts/load.mjs                     5 s per phase, 8 clients
//   node scripts/load.mjs --seconds 3 --clients 4
//
// Needs `npm run build` first. The clients run in this process, on the same machine as the
// server: on a small machine they take CPU from it, so the figures are a floor.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/bin/main.js");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const seconds = option("seconds", 5);
const clients = option("clients", 8);
const saved = option("scenarios", 300);

const startupText = readFileSync(join(root, "scenarios/startup.yaml"), "utf8");
const openaiText = readFileSync(join(root, "scenarios/openai-2024.yaml"), "utf8");

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function startServer(db) {
  const child = spawn(process.execPath, [cli, "serve", "--port", "0", "--db", db], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (c) => (err += c));
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
      const m = /outlast dashboard: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`outlast serve exited ${code}: ${err}`)));
  });
  return { child, url };
}

/** Sends requests from `clients` loops for `seconds`; `make(i)` gives each request. */
async function phase(name, base, make, { loops = clients, pauseMs = 0 } = {}) {
  await (await fetch(new URL("/api/server/event-loop?reset=1", base))).json();
  const latencies = [];
  const statuses = new Map();
  const until = performance.now() + seconds * 1000;
  let n = 0;
  const loop = async () => {
    while (performance.now() < until) {
      const { method = "GET", path, body } = make(n++);
      const t0 = performance.now();
      const r = await fetch(new URL(path, base), {
        method,
        ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      });
      await r.arrayBuffer();
      latencies.push(performance.now() - t0);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: loops }, loop));
  const elapsed = (performance.now() - started) / 1000;
  const delay = await (await fetch(new URL("/api/server/event-loop", base))).json();
  latencies.sort((a, b) => a - b);
  return {
    loop: delay,
    name,
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    statuses: [...statuses].map(([s, c]) => `${c}×${s}`).join(", "),
  };
}

const dir = mkdtempSync(join(tmpdir(), "outlast-load-"));
const { child, url } = await startServer(join(dir, "outlast.db"));
const watchdog = setTimeout(
  () => {
    process.stderr.write("load.mjs: over its time bound; stopping\n");
    child.kill("SIGKILL");
    process.exit(1);
  },
  (12 * seconds + 600) * 1000,
);
try {
  const json = { "content-type": "application/json" };
  const ids = [];
  for (let i = 0; i < saved; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, saved - i) }, (_, k) =>
        fetch(new URL("/api/scenarios", url), {
          method: "POST",
          headers: json,
          body: JSON.stringify({ name: `saved ${i + k}`, text: `${startupText}# saved ${i + k}\n` }),
        }).then((r) => r.json()),
      ),
    );
    ids.push(...batch.map((s) => s.id));
  }
  const pick = (i) => ids[(i * 7919) % ids.length];
  const rows = [];
  const light = { loops: 1, pauseMs: 50 };
  rows.push(await phase("idle: one client, a list every 50 ms", url, () => ({ path: "/api/scenarios" }), light));
  rows.push(await phase("list (GET /api/scenarios, 100 summaries)", url, () => ({ path: "/api/scenarios" })));
  rows.push(await phase("get (GET /api/scenarios/:id)", url, (i) => ({ path: `/api/scenarios/${pick(i)}` })));
  rows.push(
    await phase("save (PUT /api/scenarios/:id)", url, (i) => ({
      method: "PUT",
      path: `/api/scenarios/${pick(i)}`,
      body: { text: `${startupText}# edit ${i}\n` },
    })),
  );
  rows.push(
    await phase("run submission (POST /api/runs, 1,000 paths)", url, (i) => ({
      method: "POST",
      path: "/api/runs",
      body: { scenarioId: pick(i), paths: 1000, seed: i },
    })),
  );

  // The largest run allowed, and GETs meanwhile.
  // Let the submitted runs finish first, so the large one is admitted.
  for (;;) {
    const runs = await (await fetch(new URL("/api/runs", url))).json();
    if (!runs.some((r) => r.status === "queued" || r.status === "running")) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const bigResponse = await fetch(new URL("/api/runs", url), {
    method: "POST",
    headers: json,
    body: JSON.stringify({ text: openaiText.replace(/^horizon:.*$/m, "horizon: 1200"), paths: 2_000_000 }),
  });
  const big = await bigResponse.json();
  if (bigResponse.status !== 202) throw new Error(`the large run was refused: ${bigResponse.status} ${big.error}`);
  const during = await phase("list while a 2M-path 1200-month run goes", url, () => ({ path: "/api/scenarios" }));
  const duringLight = await phase(
    "one client, a list every 50 ms, while the run goes",
    url,
    () => ({ path: "/api/scenarios" }),
    light,
  );
  const t0 = performance.now();
  const cancelled = await (await fetch(new URL(`/api/runs/${big.id}`, url), { method: "DELETE" })).json();
  const cancelMs = performance.now() - t0;

  const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : "–");
  process.stdout.write(
    `outlast serve under load: ${saved} saved scenarios, ${clients} clients, ${seconds} s a phase, loopback HTTP\n\n`,
  );
  process.stdout.write(
    "| requests | req/s | p50 ms | p99 ms | answers | event-loop delay max / p99 ms | own delay max ms |\n" +
      "|---|---:|---:|---:|---|---:|---:|\n",
  );
  for (const r of [...rows, during, duringLight])
    process.stdout.write(
      `| ${r.name} | ${r.perSecond.toFixed(0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.statuses} | ` +
        `${fmt(r.loop.maxMs)} / ${fmt(r.loop.p99Ms)} | ${fmt(r.loop.ownMaxMs)} |\n`,
    );
  process.stdout.write(
    `\nwhile the 2M-path 1200-month run went: p99 ${fmt(during.p99)} ms, longest ${fmt(during.max)} ms with ` +
      `${clients} clients, longest ${fmt(duringLight.max)} ms with one (goal 200 ms); ` +
      `its cancel answered in ${cancelMs.toFixed(0)} ms (${cancelled.status}); the HTTP thread waited ` +
      `${fmt(during.loop.cpuWaitMs)} ms for a CPU in that phase\n`,
  );
} finally {
  clearTimeout(watchdog);
  child.kill("SIGTERM");
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
  rmSync(dir, { recursive: true, force: true });
}
