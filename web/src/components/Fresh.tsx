// The freshness rule, in one component: every figure says which text, levers, held values and
// paths produced it, and anything whose inputs are no longer the page's is greyed and marked
// "out of date" until it is recomputed.

import type { ComponentChildren } from "preact";
import { errorsOf, isFresh, ownStamp, usePage, type Stamp } from "../state/store.js";

/** "text #1a2b3c (v2) · levers: funding · held: raise · 10,000 paths · seed 1" */
export function provenance(stamp: Stamp): string {
  const held = Object.keys(stamp.fixed);
  return [
    `text #${stamp.hash}${stamp.version ? ` (${stamp.version})` : ""}`,
    `levers: ${stamp.levers.length ? stamp.levers.join(" + ") : "none"}`,
    ...(held.length ? [`held: ${held.join(", ")}`] : []),
    `${stamp.paths.toLocaleString("en")} paths`,
    `seed ${stamp.seed}`,
  ].join(" · ");
}

export function Fresh(props: {
  stamp: Stamp | undefined;
  /** Fresh regardless of compared variants (for figures that do not show them). */
  own?: boolean;
  name: string;
  children: ComponentChildren;
  /** Still being computed (shown as "recomputing" rather than stale for good). */
  pending?: boolean;
}) {
  const { state } = usePage();
  const stamp = props.stamp && props.own ? ownStamp(props.stamp) : props.stamp;
  const fresh = isFresh(stamp, state);
  const why = errorsOf(state).length
    ? "out of date: the scenario has errors, these are the last figures it gave"
    : state.runtime
      ? "out of date: the last run failed, these are the figures before it"
      : "out of date: recomputing…";
  return (
    <div class={fresh ? "fresh" : "fresh stale"} data-fresh={fresh ? "fresh" : "stale"} data-figure={props.name}>
      {props.children}
      {props.stamp ? (
        <p class="provenance" data-testid={`provenance-${props.name}`}>
          {fresh ? "" : <strong class="stale-mark">{why} · </strong>}
          from {provenance(props.stamp)}
        </p>
      ) : null}
    </div>
  );
}

/** The lines an exported chart carries under its title: scenario, levers, held values, paths. */
export function exportLines(state: ReturnType<typeof usePage>["state"], stamp: Stamp): string[] {
  const name = state.current.name || state.info?.name || "scenario";
  const params = new Map((state.info?.params ?? []).map((p) => [p.name, p]));
  const held = Object.entries(stamp.fixed).map(([k, x]) => {
    const p = params.get(k);
    return `${k} = ${p?.percent ? `${Number((x * 100).toPrecision(3))}%` : Number(x.toPrecision(4))}`;
  });
  const leverLabels = new Map((state.info?.levers ?? []).map((l) => [l.name, l.label]));
  return [
    `Scenario: ${name}${stamp.version ? ` (${stamp.version})` : ""}, text #${stamp.hash}, from ${state.info?.start ?? "?"}`,
    `Levers on: ${stamp.levers.length ? stamp.levers.map((l) => leverLabels.get(l) ?? l).join("; ") : "none"}`,
    `Held: ${held.length ? held.join(", ") : "none"} · ${stamp.paths.toLocaleString("en")} paths, seed ${stamp.seed}`,
  ];
}
