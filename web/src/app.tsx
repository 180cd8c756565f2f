// The dashboard. State lives in one place (state/store.ts), held here and handed down through
// the Page context; the hooks own the workers (useWorkers) and the server calls (useScenarios).
// Layout: the editor on the left; on the right the key numbers, the levers, and one view at a
// time (charts, assumptions, analyses, history). On a phone the editor is a view of its own.

import { useMemo, useRef, useState } from "preact/hooks";
import { Analyses } from "./components/Analyses.js";
import { Assumptions } from "./components/Assumptions.js";
import { Charts } from "./components/Charts.js";
import { Compare } from "./components/Compare.js";
import { EditorPanel } from "./components/EditorPanel.js";
import { Exports } from "./components/Exports.js";
import { Header } from "./components/Header.js";
import { History } from "./components/History.js";
import { KeyNumbers } from "./components/KeyNumbers.js";
import { Levers } from "./components/Levers.js";
import { ScenarioPicker } from "./components/ScenarioPicker.js";
import { ServerRun } from "./components/ServerRun.js";
import { useScenarios } from "./hooks/useScenarios.js";
import { usePaintTime, useWorkers } from "./hooks/useWorkers.js";
import { initialState, Page, type PageContext, type PageState, type Patch, type Tab } from "./state/store.js";

const TABS: { id: Tab; label: string; phoneOnly?: boolean }[] = [
  { id: "editor", label: "Editor", phoneOnly: true },
  { id: "charts", label: "Charts" },
  { id: "assumptions", label: "Assumptions" },
  { id: "analyses", label: "Analyses" },
  { id: "history", label: "History" },
];

function usePageState(): PageContext {
  const [state, setState] = useState<PageState>(initialState);
  const latest = useRef(state);
  latest.current = state;
  return useMemo(() => {
    const set = (patch: Patch) =>
      setState((s) => {
        const next = { ...s, ...(typeof patch === "function" ? patch(s) : patch) };
        latest.current = next;
        return next;
      });
    return { state, set, get: () => latest.current };
  }, [state]);
}

export function App() {
  const ctx = usePageState();
  const workers = useWorkers(ctx);
  const actions = useScenarios(ctx);
  usePaintTime(ctx);
  const { state, set } = ctx;
  const tab = state.tab;
  return (
    <Page.Provider value={ctx}>
      <div class="page" data-tab={tab}>
        <Header />
        <aside class="side">
          <ScenarioPicker actions={actions} />
          <EditorPanel />
        </aside>
        <main class="main">
          <KeyNumbers />
          <div class="toolbar">
            <ServerRun actions={actions} />
            <Exports />
          </div>
          <Levers />
          <nav class="tabs" role="tablist" aria-label="views">
            {TABS.map((t) => (
              <button
                key={t.id}
                role="tab"
                aria-selected={tab === t.id}
                data-tab={t.id}
                class={t.phoneOnly ? "phone-only" : ""}
                onClick={() => set({ tab: t.id })}
              >
                {t.label}
              </button>
            ))}
          </nav>
          {tab === "charts" || tab === "editor" ? (
            <div class={tab === "editor" ? "view desktop-only" : "view"}>
              <Compare actions={actions} />
              <Charts />
            </div>
          ) : null}
          {tab === "assumptions" ? <Assumptions /> : null}
          {tab === "analyses" ? <Analyses workers={workers} /> : null}
          {tab === "history" ? <History actions={actions} /> : null}
        </main>
      </div>
    </Page.Provider>
  );
}
