// What the analyst does with saved scenarios: find, open (asking before unsaved edits are
// dropped), save, delete, load a version, run on the server, show a saved run, compare.

import { useEffect } from "preact/hooks";
import { api, ApiError, type SavedRun, type ScenarioVersion } from "../api.js";
import { setEditorText, theEditor } from "../editor.js";
import {
  MAX_COMPARE,
  isDirty,
  SEED,
  stampNow,
  type CompareTarget,
  type PageContext,
  type Stamp,
} from "../state/store.js";
import { parsePin, parseUrl, pinKey, urlOf } from "../state/url.js";
import { textHash } from "../format.js";
import { markInput } from "./useWorkers.js";

export interface ScenarioActions {
  refreshList: (q?: string) => Promise<void>;
  open: (
    id: string,
    settings?: { version?: number; levers?: string[]; fixed?: Record<string, number> },
  ) => Promise<void>;
  save: (asNew: boolean) => Promise<void>;
  remove: () => Promise<void>;
  loadVersion: (v: ScenarioVersion) => void;
  showRun: (r: SavedRun) => Promise<void>;
  runOnServer: () => Promise<void>;
  cancelServerRun: () => Promise<void>;
  addCompare: (value: string) => Promise<void>;
  removeCompare: (key: string) => void;
}

/** A run the server has not finished (queued: once runs wait their turn). */
export const active = (status: string) => status === "running" || status === "queued";

function loadText(text: string): void {
  if (theEditor.view) setEditorText(theEditor.view, text);
}

export function useScenarios(ctx: PageContext): ScenarioActions {
  const { set, get } = ctx;
  let pollTimer: number | undefined;

  async function refreshHistory(id = get().current.id, builtin = get().current.builtin) {
    if (!id) return set({ versions: [], savedRuns: [] });
    try {
      const versions = builtin ? [] : await api.listVersions(id);
      set({ versions, savedRuns: await api.listRuns(id) });
    } catch (err) {
      set({ status: `could not read the history: ${(err as Error).message}` });
    }
  }

  async function refreshList(q = get().query) {
    try {
      set({ scenarios: await api.listScenarios(q), api: "ok" });
    } catch (err) {
      set({ status: `could not list scenarios: ${(err as Error).message}` });
    }
  }

  const confirmDiscard = () => !isDirty(get()) || confirm(`Discard the unsaved edits to "${get().current.name}"?`);

  async function open(
    id: string,
    settings: { version?: number; levers?: string[]; fixed?: Record<string, number> } = {},
  ) {
    if (!confirmDiscard()) return;
    try {
      const s = await api.getScenario(id);
      const versions = s.builtin ? [] : await api.listVersions(s.id);
      const chosen = settings.version !== undefined ? versions.find((v) => v.version === settings.version) : undefined;
      const text = chosen?.text ?? s.text;
      markInput();
      set({
        current: { id: s.id, name: s.name, builtin: s.builtin, version: chosen?.version ?? s.version, text },
        nameInput: s.builtin ? `${s.name} (my copy)` : s.name,
        levers: settings.levers ?? [],
        fixed: settings.fixed ?? {},
        analyses: undefined,
        tools: {},
        serverResult: undefined,
        versions,
        diff: null,
        text,
        status: chosen ? `version ${chosen.version} of "${s.name}"` : "",
      });
      loadText(text);
      set({ savedRuns: await api.listRuns(s.id) });
    } catch (err) {
      set({ status: `could not open the scenario: ${(err as Error).message}` });
    }
  }

  async function save(asNew: boolean) {
    const s = get();
    if (s.text === null) return;
    const name = s.nameInput.trim() || s.info?.name || "untitled";
    try {
      const saved =
        s.current.id && !s.current.builtin && !asNew
          ? await api.updateScenario(s.current.id, name, s.text)
          : await api.createScenario(name, s.text);
      set({
        current: { id: saved.id, name: saved.name, builtin: false, version: saved.version, text: saved.text },
        nameInput: saved.name,
        status: `saved "${saved.name}" (version ${saved.version})`,
      });
      await refreshHistory(saved.id, false);
      await refreshList();
    } catch (err) {
      set({
        status:
          err instanceof ApiError && err.diagnostics.length > 0
            ? `not saved: the scenario has ${err.diagnostics.length} problem(s), shown in the editor`
            : `not saved: ${(err as Error).message}`,
      });
    }
  }

  async function remove() {
    const s = get();
    if (!s.current.id || s.current.builtin) return;
    if (!confirm(`Delete "${s.current.name}"? Its versions stay in the database.`)) return;
    await api.deleteScenario(s.current.id);
    set({ status: `deleted "${s.current.name}"`, current: { name: "", builtin: false } });
    const list = await api.listScenarios();
    set({ scenarios: list });
    const next = list.find((x) => x.id === "builtin:openai-2024") ?? list[0];
    if (next) await open(next.id);
  }

  function loadVersion(v: ScenarioVersion) {
    if (!confirmDiscard()) return;
    markInput();
    set((s) => ({
      current: { ...s.current, version: v.version, text: v.text },
      text: v.text,
      status: `version ${v.version} is in the editor; saving makes it the latest version`,
    }));
    loadText(v.text);
  }

  /** Shows a saved run's result, with the version, conditions and held params it ran with. */
  async function showRun(r: SavedRun) {
    try {
      const run = await api.getRun(r.id);
      if (!run.summary) return set({ status: `that run has no result (${run.status})` });
      const s = get();
      const version = s.versions.find((v) => v.version === r.scenarioVersion);
      const text = version?.text ?? s.current.text ?? s.text ?? "";
      if (text !== s.text) {
        if (!confirmDiscard()) return;
        loadText(text);
      }
      markInput();
      const next = { ...s, text, levers: [...r.levers], fixed: { ...r.fixed } };
      set({
        text,
        levers: next.levers,
        fixed: next.fixed,
        ...(version ? { current: { ...s.current, version: version.version, text } } : {}),
        serverResult: { result: run.summary, stamp: stampNow(next, run.summary.paths) },
        status: `showing the server run of ${new Date(r.createdAt).toLocaleString("en-GB")}`,
      });
    } catch (err) {
      set({ status: `could not load the run: ${(err as Error).message}` });
    }
  }

  async function runOnServer() {
    const s = get();
    if (s.text === null) return;
    const stamp: Stamp = stampNow(s, s.serverPaths);
    try {
      // Unchanged since opened or saved: filed under the scenario and its version, so it is listed
      // in the scenario's history and can be reproduced from it. Edited text runs as it is.
      const scenario =
        s.current.id && s.current.version !== undefined && s.text === s.current.text
          ? { scenarioId: s.current.id, ...(s.current.builtin ? {} : { version: s.current.version }) }
          : { text: s.text };
      const run = await api.startRun({
        ...scenario,
        levers: s.levers,
        fixed: s.fixed,
        paths: s.serverPaths,
        seed: SEED,
      });
      set({ serverRun: run, cancelling: false });
      const poll = async () => {
        const now = await api.getRun(run.id);
        set({ serverRun: now });
        if (active(now.status)) pollTimer = window.setTimeout(() => void poll(), 300);
        else {
          // The stamp names the paths the server ran (rqmc rounds a request up to a power of
          // two per replicate), not the paths asked for.
          const result = now.summary;
          set({
            cancelling: false,
            ...(result ? { serverResult: { result, stamp: { ...stamp, paths: result.paths } } } : {}),
          });
          void refreshHistory();
        }
      };
      pollTimer = window.setTimeout(() => void poll(), 200);
    } catch (err) {
      set({ status: `server run refused: ${(err as Error).message}` });
    }
  }

  async function cancelServerRun() {
    const run = get().serverRun;
    if (!run) return;
    // Polling goes on until the server says the run has stopped: the button reads "Cancelling…"
    // until then, and the last status after.
    set({ cancelling: true });
    try {
      const now = await api.cancelRun(run.id);
      set({ serverRun: now });
      if (!active(now.status)) {
        clearTimeout(pollTimer);
        set({ cancelling: false });
        void refreshHistory();
      }
    } catch (err) {
      set({ cancelling: false, status: `could not cancel: ${(err as Error).message}` });
    }
  }

  async function compareTarget(value: string): Promise<CompareTarget | undefined> {
    const s = get();
    const pin = parsePin(value);
    if (pin) {
      if (s.text === null) return undefined;
      const on = pin.levers.length ? pin.levers.join(" + ") : "no levers";
      const held = Object.keys(pin.fixed).length ? `, ${Object.keys(pin.fixed).length} held` : "";
      return {
        key: value,
        label: `pinned: ${on}${held} (text #${textHash(s.text)})`,
        variant: { text: s.text, ...pin },
      };
    }
    const x = await api.getScenario(value);
    return { key: value, label: x.name, variant: { text: x.text, levers: [], fixed: {} } };
  }

  async function addCompare(value: string) {
    const s = get();
    if (value === "") return;
    const key = value === "pin" ? pinKey(s.levers, s.fixed) : value;
    if (s.compares.some((c) => c.key === key) || s.compares.length >= MAX_COMPARE) return;
    try {
      const target = await compareTarget(key);
      markInput();
      if (target) set((now) => ({ compares: [...now.compares, target] }));
    } catch (err) {
      set({ status: `could not add the comparison: ${(err as Error).message}` });
    }
  }

  function removeCompare(key: string) {
    markInput();
    set((s) => ({ compares: s.compares.filter((c) => c.key !== key) }));
  }

  // First load: the list, then the scenario and settings the URL names.
  useEffect(() => {
    void (async () => {
      let list;
      try {
        list = await api.listScenarios();
      } catch (err) {
        set({ api: "down", apiError: (err as Error).message });
        return;
      }
      set({ scenarios: list, api: "ok" });
      const url = parseUrl(location.hash);
      set({
        logScale: url.log,
        zoom: url.zoom,
        ...(url.series ? { series: url.series } : {}),
        ...(url.tab ? { tab: url.tab } : {}),
      });
      const first = list.find((x) => x.id === url.s) ?? list.find((x) => x.id === "builtin:openai-2024") ?? list[0];
      if (!first) return set({ text: "" });
      const found = first.id === url.s;
      await open(first.id, found ? { ...(url.v ? { version: url.v } : {}), levers: url.levers, fixed: url.fixed } : {});
      if (found) for (const c of url.compare) await addCompare(c);
    })();
  }, []);

  // The URL follows the state.
  const state = ctx.state;
  useEffect(() => {
    if (state.api !== "ok" || !state.current.id) return;
    const next = urlOf(state);
    if (next !== location.hash) history.replaceState(null, "", next);
  }, [
    state.api,
    state.current,
    state.versions,
    state.levers,
    state.fixed,
    state.compares,
    state.series,
    state.logScale,
    state.zoom,
    state.tab,
  ]);

  // Unsaved edits: the browser asks before the page is left or reloaded.
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!isDirty(get())) return;
      e.preventDefault();
      e.returnValue = "";
    };
    addEventListener("beforeunload", onBeforeUnload);
    return () => removeEventListener("beforeunload", onBeforeUnload);
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => void refreshList(state.query), 150);
    return () => clearTimeout(timer);
  }, [state.query]);

  return {
    refreshList,
    open,
    save,
    remove,
    loadVersion,
    showRun,
    runOnServer,
    cancelServerRun,
    addCompare,
    removeCompare,
  };
}
