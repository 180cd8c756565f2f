// SIGKILL in the middle of saves loses no acknowledged save: a real server process, saves
// fired continuously, `kill -9` after some have been acknowledged, then a restart on the same
// database must hold every id the server acknowledged (and its text), and the store must
// still open and migrate cleanly. A run running and a run queued when the process dies are
// "interrupted" after the restart (not lost, not left "running"), and the dead server's lock
// file does not stop the new one.

import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { goodText } from "./fixtures/fakes.js";

const child = fileURLToPath(new URL("./fixtures/serve-child.ts", import.meta.url));

function startChild(dbPath: string): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ["--import", "tsx", child, dbPath], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 20_000);
    proc.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, port: Number(m[1]) });
      }
    });
    proc.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

test("SIGKILL during saves loses no acknowledged save", async () => {
  const dir = mkdtempSync(join(tmpdir(), "outlast-kill-"));
  const dbPath = join(dir, "outlast.db");
  try {
    const first = await startChild(dbPath);
    const base = `http://127.0.0.1:${first.port}`;
    const acked = new Map<string, string>();
    let killed = false;
    // Eight writers save in a loop until the process dies under them.
    const writer = async (w: number) => {
      for (let i = 0; i < 2000 && !killed; i++) {
        const text = `${goodText}# writer ${w} save ${i}\n`;
        try {
          const r = await fetch(`${base}/api/scenarios`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ name: `w${w}-${i}`, text }),
          });
          if (r.status === 201) acked.set(((await r.json()) as { id: string }).id, text);
        } catch {
          return; // the connection died with the server
        }
      }
    };
    const post = async (body: unknown) =>
      (await (
        await fetch(`${base}/api/runs`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      ).json()) as { id: string; status: string };
    const running = await post({ text: goodText, paths: 2_000_000 });
    const queued = await post({ text: goodText, paths: 2_000_000 });
    assert.equal(queued.status, "queued");
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    while (acked.size < 150) await new Promise((r) => setTimeout(r, 5));
    first.proc.kill("SIGKILL");
    killed = true;
    await Promise.all(writers);
    await new Promise((r) =>
      first.proc.exitCode !== null || first.proc.signalCode ? r(null) : first.proc.once("exit", r),
    );
    assert.equal(first.proc.signalCode, "SIGKILL");

    const second = await startChild(dbPath);
    try {
      const listed = new Set<string>();
      for (let offset = 0; ; offset += 500) {
        const r = await fetch(`http://127.0.0.1:${second.port}/api/scenarios?limit=500&offset=${offset}`);
        const page = (await r.json()) as { id: string }[];
        for (const s of page) listed.add(s.id);
        if (page.length < 500) break;
      }
      const missing = [...acked.keys()].filter((id) => !listed.has(id));
      assert.deepEqual(missing, [], `${missing.length} of ${acked.size} acknowledged saves lost`);
      for (const run of [running, queued]) {
        const after = (await (await fetch(`http://127.0.0.1:${second.port}/api/runs/${run.id}`)).json()) as {
          status: string;
        };
        assert.equal(after.status, "interrupted", `run ${run.id}`);
      }
      // Spot-check the texts of a few.
      for (const [id, text] of [...acked].slice(0, 10)) {
        const one = (await (await fetch(`http://127.0.0.1:${second.port}/api/scenarios/${id}`)).json()) as {
          text: string;
        };
        assert.equal(one.text, text);
      }
    } finally {
      second.proc.kill("SIGTERM");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
