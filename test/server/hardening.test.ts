// The front door (guard.ts) and the size bounds: a wrong Host is refused (DNS rebinding), a
// cross-site write is refused even with an empty body, every response carries the security
// headers, a token protects the API when set (and is required beyond loopback), and texts and
// exports over their bounds get 413/422 before any work is done.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startServer, TokenRequiredError, type RunningServer } from "../../src/server/http.js";
import { allowedHostNames, hostName, tokensMatch } from "../../src/server/guard.js";
import { Store } from "../../src/server/store.js";
import { fakeCheck, fakeSimulate, goodText } from "./fixtures/fakes.js";

let dir: string;
let open: RunningServer;
let locked: RunningServer;
const TOKEN = "a-test-token-0123456789";

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "outlast-guard-"));
  const builtinDir = join(dir, "scenarios");
  mkdirSync(builtinDir);
  writeFileSync(join(builtinDir, "demo.yaml"), "name: Demo\nhorizon: 12\n");
  const common = {
    check: fakeCheck,
    simulate: fakeSimulate(1),
    port: 0,
    log: () => {},
    maxTextBytes: 4096,
    maxSeries: 3,
  };
  open = await startServer({
    ...common,
    store: new Store({ dbPath: join(dir, "a.db"), builtinDir }),
    allowHosts: ["outlast.example"],
  });
  locked = await startServer({ ...common, store: new Store({ dbPath: join(dir, "b.db"), builtinDir }), token: TOKEN });
});

after(async () => {
  await open.close();
  await locked.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request, so Host and Origin can be anything (fetch will not send a forged Host). */
function raw(
  server: RunningServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = "",
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: server.port,
        method,
        path,
        headers: { "content-length": String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const local = (s: RunningServer) => `127.0.0.1:${s.port}`;

describe("Host", () => {
  test("a Host the server does not answer to gets 421, on the page and the API", async () => {
    for (const path of ["/", "/api/scenarios"]) {
      const r = await raw(open, "GET", path, { host: "attacker.example" });
      assert.equal(r.status, 421, path);
      assert.match(r.text, /--allow-host attacker\.example/);
    }
  });

  test("loopback names, the bound address and --allow-host names are answered", async () => {
    for (const host of [local(open), `localhost:${open.port}`, "outlast.example", "OUTLAST.example:8080"]) {
      assert.equal((await raw(open, "GET", "/api/scenarios", { host })).status, 200, host);
    }
  });

  test("host names are compared without their port", () => {
    assert.equal(hostName("[::1]:4873"), "::1");
    assert.equal(hostName("Example.COM:80"), "example.com");
    assert.ok(allowedHostNames({ host: "0.0.0.0" }).has("127.0.0.1"));
  });
});

describe("cross-site writes", () => {
  test("an empty-body cross-site POST (a plain HTML form) creates nothing", async () => {
    const before = (await raw(open, "GET", "/api/scenarios", { host: local(open) })).headers["x-total-count"];
    const form = await raw(open, "POST", "/api/scenarios/builtin:demo/copy", {
      host: local(open),
      origin: "http://evil.example",
      "content-type": "application/x-www-form-urlencoded",
    });
    assert.equal(form.status, 403);
    const fetchMeta = await raw(open, "POST", "/api/scenarios/builtin:demo/copy", {
      host: local(open),
      "sec-fetch-site": "cross-site",
    });
    assert.equal(fetchMeta.status, 403);
    const opaque = await raw(open, "DELETE", "/api/scenarios/x", { host: local(open), origin: "null" });
    assert.equal(opaque.status, 403);
    const after = (await raw(open, "GET", "/api/scenarios", { host: local(open) })).headers["x-total-count"];
    assert.equal(after, before);
  });

  test("the page's own writes (same origin) and tools' writes (no Origin) go through", async () => {
    const same = await raw(open, "POST", "/api/scenarios/builtin:demo/copy", {
      host: local(open),
      origin: `http://${local(open)}`,
      "sec-fetch-site": "same-origin",
    });
    assert.equal(same.status, 201);
    const tool = await raw(open, "POST", "/api/scenarios/builtin:demo/copy", { host: local(open) });
    assert.equal(tool.status, 201);
  });
});

describe("headers", () => {
  test("every response carries CSP with frame-ancestors 'none', nosniff and a referrer policy", async () => {
    for (const [method, path] of [
      ["GET", "/"],
      ["GET", "/api/scenarios"],
      ["GET", "/api/nothing"],
    ] as const) {
      const r = await raw(open, method, path, { host: local(open) });
      assert.match(String(r.headers["content-security-policy"]), /frame-ancestors 'none'/, path);
      assert.equal(r.headers["x-content-type-options"], "nosniff");
      assert.equal(r.headers["referrer-policy"], "no-referrer");
    }
    const refused = await raw(open, "GET", "/", { host: "evil.example" });
    assert.match(String(refused.headers["content-security-policy"]), /frame-ancestors 'none'/);
  });
});

describe("token", () => {
  test("the API needs the token; a wrong one of any length is 401", async () => {
    const host = local(locked);
    assert.equal((await raw(locked, "GET", "/api/scenarios", { host })).status, 401);
    for (const wrong of ["x", TOKEN.slice(0, -1), TOKEN + "x"]) {
      assert.equal(
        (await raw(locked, "GET", "/api/scenarios", { host, authorization: `Bearer ${wrong}` })).status,
        401,
      );
    }
    assert.equal((await raw(locked, "GET", "/api/scenarios", { host, authorization: `Bearer ${TOKEN}` })).status, 200);
    // The page itself loads without it (it then asks for the token once).
    assert.notEqual((await raw(locked, "GET", "/", { host })).status, 401);
  });

  test("tokens are compared whole", () => {
    assert.ok(tokensMatch(TOKEN, TOKEN));
    assert.ok(!tokensMatch("", TOKEN));
  });

  test("listening beyond loopback without a token is refused at start", async () => {
    await assert.rejects(
      startServer({
        store: new Store({ dbPath: ":memory:" }),
        check: fakeCheck,
        simulate: fakeSimulate(),
        host: "0.0.0.0",
        port: 0,
      }),
      TokenRequiredError,
    );
  });
});

describe("size bounds", () => {
  const host = () => local(open);
  const post = (path: string, body: unknown) =>
    raw(open, "POST", path, { host: host(), "content-type": "application/json" }, JSON.stringify(body));

  test("a text over the limit is 413 for check, save and run", async () => {
    const big = goodText + "#".repeat(5000) + "\n";
    assert.equal((await post("/api/check", { text: big })).status, 413);
    assert.equal((await post("/api/scenarios", { text: big })).status, 413);
    assert.equal((await post("/api/runs", { text: big, paths: 10 })).status, 413);
  });

  test("an export with more series than allowed is 422", async () => {
    const series = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`s${i}`, []]));
    const result = {
      scenario: "x",
      start: "2024-07",
      paths: 1,
      horizon: 1,
      levers: [],
      survival: [],
      runway: { counts: [] },
      series,
    };
    const r = await post("/api/export/xlsx", { result });
    assert.equal(r.status, 422);
    assert.match(r.text, /4 series, more than the 3/);
  });
});
