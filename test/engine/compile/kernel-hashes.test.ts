// The generated kernels of the built-in scenarios, the benchmark model and every test fixture
// that checks, pinned by hash: for both samplings, exact and fast, and several run signatures.
// A change to the compiler that alters a kernel fails here and has to say so: rerun with
// OUTLAST_UPDATE_KERNELS=1 to rewrite test/fixtures/kernels.json, and name the change in the
// commit. test/engine/kernel-dump.ts dumps the kernels themselves, to see what changed.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { dumpModel, yamlModels } from "../kernel-dump.js";

const FIXTURE = "test/fixtures/kernels.json";

test("the kernels of the scenarios and fixtures are unchanged (hash fixture)", () => {
  const dump: Record<string, string> = {};
  for (const [f, m] of yamlModels()) for (const exact of [false, true]) dumpModel(f, m, exact, dump);
  const hashes: Record<string, string> = {};
  for (const [k, v] of Object.entries(dump)) hashes[k] = createHash("sha256").update(v).digest("hex").slice(0, 16);
  if (process.env["OUTLAST_UPDATE_KERNELS"] === "1") writeFileSync(FIXTURE, JSON.stringify(hashes, null, 2) + "\n");
  const pinned = JSON.parse(readFileSync(FIXTURE, "utf8")) as Record<string, string>;
  const changed = Object.keys({ ...pinned, ...hashes }).filter((k) => pinned[k] !== hashes[k]);
  assert.deepEqual(changed, [], "these kernels changed; if that is intended, rerun with OUTLAST_UPDATE_KERNELS=1");
  assert.ok(Object.keys(pinned).length > 400);
});
