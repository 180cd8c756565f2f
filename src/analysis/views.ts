// Views: named changes to a scenario, written like a lever's `set`, that are run on their own
// and never enter the `levers` analyses (a view is another reading of the same model, such as a
// forecast beside a counterfactual baseline, not a condition to combine with the others).
// A view runs as one extra lever switched on, so it shares the baseline's draws: every random
// draw is keyed by the param or series that makes it, and a view replaces formulas only.

import type { LeverDef, Model } from "../lang/model.js";
import { AnalysisError } from "./errors.js";

/** The scenario's views, in file order. */
export function viewsOf(model: Model): readonly LeverDef[] {
  return model.scenario.views ?? [];
}

/**
 * The model with the view appended to its levers, to be run with `levers: [name]` (plus any
 * levers of the scenario). A view named like a lever is refused.
 */
export function withView(model: Model, name: string): Model {
  const view = viewsOf(model).find((v) => v.name === name);
  if (!view) {
    const known = viewsOf(model).map((v) => v.name);
    throw new AnalysisError(
      "unknown_view",
      `unknown view '${name}'`,
      known.length ? `the scenario's views are ${known.join(", ")}` : "the scenario has no views: block",
    );
  }
  if (model.levers.some((l) => l.name === name))
    throw new AnalysisError("view_is_lever", `view '${name}' has the name of a lever`, "rename the view");
  return { ...model, levers: [...model.levers, view] };
}
