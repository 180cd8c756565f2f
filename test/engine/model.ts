// A scenario text checked into a model for the engine's tests; any error fails the test with
// its location and message.
import assert from "node:assert/strict";
import { checkText, formatLocation, type Model } from "../../src/lang/index.js";

export function model(text: string): Model {
  const r = checkText(text, "t.yaml");
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  assert.deepEqual(
    errors.map((d) => `${formatLocation(d.span)} ${d.message}`),
    [],
  );
  return r.model!;
}
