// The scenario's YAML in CodeMirror, with the checker's diagnostics and the last run's runtime
// error (NaN in a formula, say) underlined at their line and column and listed below.

import { useEffect, useRef } from "preact/hooks";
import { createEditor, showDiagnostics, theEditor } from "../editor.js";
import { markInput } from "../hooks/useWorkers.js";
import type { PageDiagnostic } from "../protocol.js";
import { isFresh, usePage } from "../state/store.js";

export function EditorPanel() {
  const { state, set } = usePage();
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!host.current) return;
    theEditor.view = createEditor(host.current, state.text ?? "", (t) => {
      markInput();
      set({ text: t });
    });
    return () => theEditor.view?.destroy();
  }, []);

  // The runtime error belongs to the text it came from: once the text changes it is not shown.
  const runtime = state.runtime?.at && isFresh(state.runtime.stamp, state) ? state.runtime.at : undefined;
  const shown: PageDiagnostic[] = runtime
    ? [...state.diagnostics, { ...runtime, severity: "error" }]
    : state.diagnostics;
  useEffect(() => {
    if (theEditor.view) showDiagnostics(theEditor.view, shown);
  }, [state.diagnostics, runtime]);

  return (
    <div class="editor-panel">
      <div class="editor" ref={host} />
      <ul class="diagnostics" data-testid="diagnostics">
        {shown.map((d, i) => (
          <li key={i} class={d.severity} data-line={d.line} data-column={d.column} data-code={d.code}>
            <code>
              {d.line}:{d.column}
            </code>{" "}
            {d.severity}[{d.code}]: {d.message}
            {d.hint ? <span class="hint"> — {d.hint}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
