// The chunk code keeps its optimised machine code from one `--precision` round to the next. A
// round that brought V8 a new kind of value (a heap number where small integers had been, a
// second shape of the QMC job, a first quotient that was not whole) made it throw away the
// optimised kernel, runChunk and the fill, and run blocks unoptimised until they were compiled
// again: about 60 ms of the benchmark's run, and as much again of compiling on the other core.
// V8's own trace of those events (--trace-deopt) is read here; no timing is asserted.

import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../cli/run-cli.js";

/** Functions of the chunk path (the generated kernel is `run`) that must not be deoptimised. */
const CHUNK_PATH = ["run", "runChunk", "blockContext", "qmcBlock", "pathIds", "pathId", "fillQmcBlock"];

test("a --precision run that doubles its points and then adds replicates deoptimises no chunk code", () => {
  // Seed 1 runs five rounds on one thread: 16, 256 and 512 points a replicate (16 replicates),
  // then groups of 3 and 4 replicates added (19, then 23).
  const r = runCli(
    ["run", "bench/ailab-bench.yaml", "--paths", "16384", "--seed", "1", "--precision", "0.000426"].concat([
      "--horizon",
      "24",
      "--json",
      "--threads",
      "1",
      "--verbose",
    ]),
    undefined,
    ["--trace-deopt"],
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /round 5: .* \(23 replicates of 32,768\)/, "the rounds this test is about ran");
  // Each deoptimisation as "function (reason)". A branch first taken after V8 optimised a function
  // ("Insufficient type feedback") depends on when the background compile finished, so on the
  // machine's load: those are not this test's concern. A value of a new shape or representation
  // (wrong map, not a Smi, lost precision, …) comes from the run itself, every time.
  const deopts = r.stdout
    .split("\n")
    .filter((line) => line.includes("deoptimizing"))
    .map((line) => ({
      name: /<JSFunction (\S+)/.exec(line)?.[1] ?? line,
      reason: /reason: ([^)]*)\)/.exec(line)?.[1] ?? "?",
    }));
  assert.ok(
    r.stdout.includes('"replicates": 23'),
    "the JSON is on stdout with the trace (the test reads the right stream)",
  );
  const chunkPath = deopts.filter(
    (d) => CHUNK_PATH.includes(d.name) && !d.reason.startsWith("Insufficient type feedback"),
  );
  assert.deepEqual(
    chunkPath.map((d) => `${d.name} (${d.reason})`),
    [],
    `deoptimised: ${deopts.map((d) => `${d.name} (${d.reason})`).join(", ")}`,
  );
});
