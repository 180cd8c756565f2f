// The page's state, in one place. Every component reads it from `usePage()`; the only writer is
// `set` (a patch, merged), and the actions in ../hooks. Results carry the Stamp of the inputs
// that produced them; `isFresh` compares a Stamp with the inputs now on the page (the freshness
// rule: anything whose stamp differs is greyed and marked until it is recomputed).

import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { RunResult } from "../../../src/engine/result.js";
import type { SavedRun, ScenarioSummary, ScenarioVersion, ServerRun } from "../api.js";
import { textHash } from "../format.js";
import type {
  CompareOutcome,
  Draws,
  LeverRow,
  ModelInfo,
  PageDiagnostic,
  ToolRequest,
  ToolResult,
  TornadoRow,
  Variant,
} from "../protocol.js";

/** Paths of the live run, the levers table and the tornado: one figure for all, so baselines agree. */
export const LIVE_PATHS = 10_000;
export const SEED = 1;
export const SERVER_PATH_CHOICES = [100_000, 1_000_000, 2_000_000];
/** Compared variants at most (besides the current one). */
export const MAX_COMPARE = 4;

/** The inputs a figure was computed from. */
export interface Stamp {
  hash: string;
  levers: string[];
  fixed: Record<string, number>;
  paths: number;
  seed: number;
  /** Saved version whose text it is, when it is one ("v2", "built-in"). */
  version?: string;
  /** Labels of the compared variants, for figures that show them. */
  compare?: string[];
}

export interface Current {
  id?: string;
  name: string;
  builtin: boolean;
  version?: number;
  /** The saved text: while the editor holds it, server runs are filed under the scenario. */
  text?: string;
}

export interface CompareTarget {
  /** What the URL keeps: a scenario id, or "pin:…" for pinned settings of the current text. */
  key: string;
  label: string;
  variant: Variant;
}

export type Tab = "charts" | "assumptions" | "analyses" | "history" | "editor";

export interface ToolState {
  request: ToolRequest;
  stamp: Stamp;
  running: boolean;
  outcome?: ToolResult | { tool: ToolRequest["tool"]; error: string };
  ms?: number;
}

export interface PageState {
  api: "loading" | "ok" | "down";
  apiError?: string;
  scenarios: ScenarioSummary[];
  query: string;
  current: Current;
  nameInput: string;
  /** The editor's text (null until a scenario is loaded). */
  text: string | null;
  levers: string[];
  fixed: Record<string, number>;
  compares: CompareTarget[];
  series: string;
  logScale: boolean;
  /** The fan chart's months shown, [from, to], or null for all. */
  zoom: [number, number] | null;
  tab: Tab;

  diagnostics: PageDiagnostic[];
  runtime?: { error: string; at?: PageDiagnostic; stamp: Stamp } | undefined;
  info?: ModelInfo | undefined;
  live?:
    | {
        result: RunResult;
        compare: CompareOutcome[];
        stamp: Stamp;
        /** Worker compute, and input to paint (set once the charts are on screen). */
        workerMs: number;
        /** performance.now() of the change that asked for it. */
        inputAt: number;
        paintMs?: number;
      }
    | undefined;
  analyses?:
    | {
        levers: LeverRow[];
        tornado: TornadoRow[];
        base: number;
        baseSe: number;
        month: number;
        /** The paths the analyses' runs took, and how they drew them. */
        draws: Draws;
        stamp: Stamp;
      }
    | undefined;
  tools: Partial<Record<ToolRequest["tool"], ToolState>>;

  serverPaths: number;
  serverRun: ServerRun | null;
  cancelling: boolean;
  serverResult?: { result: RunResult; stamp: Stamp } | undefined;
  versions: ScenarioVersion[];
  savedRuns: SavedRun[];
  /** Versions compared in the history's diff. */
  diff: { from: number; to: number } | null;
  status: string;
  internalError?: string | undefined;
}

export const initialState: PageState = {
  api: "loading",
  scenarios: [],
  query: "",
  current: { name: "", builtin: false },
  nameInput: "",
  text: null,
  levers: [],
  fixed: {},
  compares: [],
  series: "cash",
  logScale: false,
  zoom: null,
  tab: "charts",
  diagnostics: [],
  tools: {},
  serverPaths: SERVER_PATH_CHOICES[1]!,
  serverRun: null,
  cancelling: false,
  versions: [],
  savedRuns: [],
  diff: null,
  status: "",
};

export type Patch = Partial<PageState> | ((s: PageState) => Partial<PageState>);

export interface PageContext {
  state: PageState;
  set: (patch: Patch) => void;
  /** The latest state, for actions that run after awaits. */
  get: () => PageState;
}

export const Page = createContext<PageContext | null>(null);

export function usePage(): PageContext {
  const ctx = useContext(Page);
  if (!ctx) throw new Error("usePage outside <Page.Provider>");
  return ctx;
}

/** The stamp of the page's current inputs (for a run of `paths`). */
export function stampNow(s: PageState, paths = LIVE_PATHS, withCompare = false): Stamp {
  const text = s.text ?? "";
  const stamp: Stamp = {
    hash: textHash(text),
    levers: [...s.levers].sort(),
    fixed: { ...s.fixed },
    paths,
    seed: SEED,
  };
  if (s.current.text === text) stamp.version = s.current.builtin ? "built-in" : `v${s.current.version}`;
  if (withCompare) stamp.compare = s.compares.map((c) => `${c.key}:${textHash(c.variant.text)}`);
  return stamp;
}

function sameFixed(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** A figure is fresh when it came from the text, levers and held values now on the page (paths may differ). */
export function isFresh(stamp: Stamp | undefined, s: PageState): boolean {
  if (!stamp || s.text === null) return false;
  const now = stampNow(s, stamp.paths, stamp.compare !== undefined);
  return (
    stamp.hash === now.hash &&
    stamp.levers.join() === now.levers.join() &&
    sameFixed(stamp.fixed, now.fixed) &&
    (stamp.compare ?? []).join() === (now.compare ?? []).join()
  );
}

export function variantOf(s: PageState): Variant {
  return { text: s.text ?? "", levers: [...s.levers], fixed: { ...s.fixed } };
}

/** The result the key numbers and charts show: a fresh server run's, else the live run's. */
export function shownResult(s: PageState): { result: RunResult; stamp: Stamp; server: boolean } | undefined {
  if (s.serverResult && isFresh(s.serverResult.stamp, s)) return { ...s.serverResult, server: true };
  if (s.live) return { result: s.live.result, stamp: s.live.stamp, server: false };
  return undefined;
}

export const errorsOf = (s: PageState) => s.diagnostics.filter((d) => d.severity === "error");

/** Edits not saved: the editor's text differs from the opened version's. */
export const isDirty = (s: PageState) => s.text !== null && s.current.text !== undefined && s.text !== s.current.text;

/** The stamp without its compared variants (for figures that do not show them). */
export function ownStamp(stamp: Stamp): Stamp {
  const { compare: _compare, ...own } = stamp;
  return own;
}
