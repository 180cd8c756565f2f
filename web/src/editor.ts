// The YAML editor (CodeMirror 6). The page pushes the checker's diagnostics in with
// `showDiagnostics`; the editor underlines each at its line and column and marks the gutter.

import { yaml } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import type { PageDiagnostic } from "./protocol.js";

export function createEditor(parent: HTMLElement, text: string, onChange: (text: string) => void): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": "scenario YAML" }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
}

/** Replaces the whole text without treating it as the user's edit. */
export function setEditorText(view: EditorView, text: string): void {
  if (view.state.doc.toString() === text) return;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

function offsetOf(view: EditorView, line: number, column: number): number {
  const doc = view.state.doc;
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  return Math.min(l.from + Math.max(0, column - 1), l.to);
}

export function showDiagnostics(view: EditorView, diagnostics: readonly PageDiagnostic[]): void {
  const marks: CmDiagnostic[] = diagnostics.map((d) => {
    const from = offsetOf(view, d.line, d.column);
    let to = offsetOf(view, d.endLine, d.endColumn);
    if (to <= from) to = Math.min(from + 1, view.state.doc.length);
    return {
      from,
      to,
      severity: d.severity,
      message: d.hint ? `${d.message} — ${d.hint}` : d.message,
      source: d.code,
    };
  });
  view.dispatch(setDiagnostics(view.state, marks));
}

/** The one editor on the page, for the actions that write into it (loading a version, editing a param). */
export const theEditor: { view?: EditorView } = {};

/** Replaces part of the text as an edit of the analyst's (it can be undone in the editor). */
export function replaceRange(from: number, to: number, insert: string): void {
  theEditor.view?.dispatch({ changes: { from, to, insert } });
}
