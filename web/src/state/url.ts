// The URL holds the page's whole state, so a link reopens exactly what was on screen:
//
//   #s=ID&v=2&l=funding,microsoft&h=raise:2e9,growth:0.04&c=builtin:startup|pin:funding,microsoft;raise:2e9
//    &series=cash&log=1&zoom=6-24&tab=analyses
//
// s: scenario id; v: saved version (absent: the latest); l: levers on; h: held params; c: compared
// variants, separated by | (a scenario id, or pin:LEVERS;HELD: the current text with those settings); series,
// log, zoom: the fan chart; tab: the view. Edited, unsaved text is not in the URL.

import type { PageState, Tab } from "./store.js";

export interface UrlState {
  s?: string;
  v?: number;
  levers: string[];
  fixed: Record<string, number>;
  compare: string[];
  series?: string;
  log: boolean;
  zoom: [number, number] | null;
  tab?: Tab;
}

const TABS: Tab[] = ["charts", "assumptions", "analyses", "history", "editor"];

function heldText(fixed: Record<string, number>): string {
  return Object.entries(fixed)
    .map(([k, x]) => `${k}:${x}`)
    .join(",");
}

function parseHeld(text: string | null): Record<string, number> {
  const fixed: Record<string, number> = {};
  for (const part of (text ?? "").split(",")) {
    const [k, x] = part.split(":");
    if (k && x !== undefined && Number.isFinite(Number(x))) fixed[k] = Number(x);
  }
  return fixed;
}

/** A pinned variant's key: its levers and held params. */
export function pinKey(levers: readonly string[], fixed: Record<string, number>): string {
  return `pin:${[...levers].sort().join(",")};${heldText(fixed)}`;
}

export function parsePin(key: string): { levers: string[]; fixed: Record<string, number> } | undefined {
  const m = /^pin:([^;]*);?(.*)$/.exec(key);
  if (!m) return undefined;
  return { levers: m[1] ? m[1].split(",") : [], fixed: parseHeld(m[2]!) };
}

export function parseUrl(hash: string): UrlState {
  const q = new URLSearchParams(hash.replace(/^#/, ""));
  const list = (k: string) => (q.get(k) ?? "").split(",").filter(Boolean);
  const zoom = /^(\d+)-(\d+)$/.exec(q.get("zoom") ?? "");
  const tab = q.get("tab") as Tab | null;
  const url: UrlState = {
    levers: list("l"),
    fixed: parseHeld(q.get("h")),
    compare: (q.get("c") ?? "").split("|").filter(Boolean),
    log: q.get("log") === "1",
    zoom: zoom ? [Number(zoom[1]), Number(zoom[2])] : null,
  };
  const s = q.get("s");
  if (s) url.s = s;
  const v = Number(q.get("v"));
  if (Number.isInteger(v) && v > 0) url.v = v;
  const series = q.get("series");
  if (series) url.series = series;
  if (tab && TABS.includes(tab)) url.tab = tab;
  return url;
}

export function urlOf(s: PageState): string {
  const q = new URLSearchParams();
  if (s.current.id) q.set("s", s.current.id);
  const latest = s.versions[0]?.version;
  if (!s.current.builtin && s.current.version !== undefined && latest !== undefined && s.current.version !== latest)
    q.set("v", String(s.current.version));
  if (s.levers.length) q.set("l", [...s.levers].sort().join(","));
  if (Object.keys(s.fixed).length) q.set("h", heldText(s.fixed));
  if (s.compares.length) q.set("c", s.compares.map((c) => c.key).join("|"));
  if (s.series !== "cash") q.set("series", s.series);
  if (s.logScale) q.set("log", "1");
  if (s.zoom) q.set("zoom", `${s.zoom[0]}-${s.zoom[1]}`);
  if (s.tab !== "charts") q.set("tab", s.tab);
  return "#" + q.toString().replaceAll("%3A", ":").replaceAll("%2C", ",").replaceAll("%7C", "|").replaceAll("%3B", ";");
}
