// Views are checked like levers, with positions, and may not share a lever's name.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkText } from "../../src/lang/index.js";

const base = `name: views
start: 2025-01
horizon: 12
params:
  extra: 0
series:
  money: extra
  cash: { start: 100, change: money - 10 }
alive: cash >= 0
levers:
  more:
    label: More
    set: { extra: 5 }
`;

const codes = (text: string) =>
  checkText(text, "v.yaml").diagnostics.map(
    (d) => `${d.severity} ${d.code} ${d.span.start.line}:${d.span.start.column}`,
  );

test("views: a view checks like a lever and is kept apart from the levers", () => {
  const { model, diagnostics } = checkText(
    base + "views:\n  forecast:\n    label: F\n    set: { extra: 7 }\n",
    "v.yaml",
  );
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    model!.levers.map((l) => l.name),
    ["more"],
  );
  assert.deepEqual(
    model!.scenario.views!.map((v) => v.name),
    ["forecast"],
  );
});

test("views: unknown names, cycles and a lever's name are errors at their place", () => {
  assert.deepEqual(codes(base + "views:\n  f:\n    label: F\n    set: { extar: 7 }\n"), ["error unknown_name 17:12"]);
  assert.deepEqual(codes(base + "views:\n  f:\n    label: F\n    set: { money: cash }\n"), ["error cycle 8:31"]);
  const cycle = checkText(base + "views:\n  f:\n    label: F\n    set: { money: cash }\n", "v.yaml").diagnostics[0]!;
  assert.match(cycle.message, /cycle: money -> cash -> money \(with view 'f' on\)/);
  assert.deepEqual(codes(base + "views:\n  more:\n    label: F\n    set: { extra: 1 }\n"), [
    "error view_is_lever 15:3",
  ]);
});
