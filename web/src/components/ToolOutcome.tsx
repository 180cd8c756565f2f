// A tool's outcome: "running", its error, or its result inside the freshness wrapper.

import type { ToolState } from "../state/store.js";
import { Fresh } from "./Fresh.js";

export function Outcome(props: {
  tool: ToolState | undefined;
  name: string;
  children: (r: never) => preact.ComponentChildren;
}) {
  const t = props.tool;
  if (!t) return null;
  if (t.running)
    return (
      <p class="meta" data-testid={`${props.name}-running`}>
        running in a worker…
      </p>
    );
  if (!t.outcome) return null;
  if ("error" in t.outcome)
    return (
      <p class="error" data-testid={`${props.name}-error`}>
        {t.outcome.error}
      </p>
    );
  return (
    <Fresh stamp={t.stamp} name={props.name}>
      {props.children(t.outcome.result as never)}
      <p class="meta">{((t.ms ?? 0) / 1000).toFixed(1)} s in the worker</p>
    </Fresh>
  );
}
