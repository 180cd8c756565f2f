// The params, one compact row each: label, formula (editable: it rewrites the scenario text),
// a slider over its 5th–95th percentile, and a box to type an exact value to hold it at.
// Sources are listed under the rows.

import { useState } from "preact/hooks";
import { parseAmount } from "../../../src/analysis/targets.js";
import { replaceRange } from "../editor.js";
import { formatValue, isWebLink } from "../format.js";
import { markInput } from "../hooks/useWorkers.js";
import type { ParamInfo } from "../protocol.js";
import { usePage } from "../state/store.js";

function FormulaEditor(props: { p: ParamInfo }) {
  const [draft, setDraft] = useState<string | null>(null);
  const p = props.p;
  const commit = () => {
    if (draft !== null && draft.trim() && draft !== p.formula) {
      markInput();
      replaceRange(p.from, p.to, draft.trim());
    }
    setDraft(null);
  };
  return (
    <input
      class="formula"
      aria-label={`${p.name}: formula (distribution)`}
      data-formula={p.name}
      value={draft ?? p.formula}
      onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
      onKeyDown={(e) => {
        if (e.key === "Enter") commit();
        if (e.key === "Escape") setDraft(null);
      }}
      onBlur={commit}
    />
  );
}

function HeldBox(props: { p: ParamInfo; held: number | undefined; hold: (x: number | undefined) => void }) {
  const { p, held } = props;
  const [draft, setDraft] = useState<string | null>(null);
  const [bad, setBad] = useState(false);
  const commit = () => {
    if (draft === null) return;
    if (draft.trim() === "") {
      props.hold(undefined);
      setDraft(null);
      return;
    }
    const x = parseAmount(draft);
    if (x === undefined || !Number.isFinite(x)) return setBad(true);
    setBad(false);
    setDraft(null);
    props.hold(x);
  };
  return (
    <input
      class={bad ? "held-input bad" : "held-input"}
      aria-label={`${p.name}: hold at an exact value`}
      aria-invalid={bad}
      data-held={p.name}
      placeholder={p.percent ? "e.g. 4.5%" : "e.g. 2B"}
      title="an exact value to hold the param at: 2B, 450M, 4.5%, 0.03; empty to draw it again"
      value={draft ?? (held !== undefined ? formatValue(held, p) : "")}
      onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
      onKeyDown={(e) => e.key === "Enter" && commit()}
      onBlur={commit}
    />
  );
}

export function Assumptions() {
  const { state, set } = usePage();
  const info = state.info;
  if (!info) return null;
  const hold = (name: string, x: number | undefined) => {
    markInput();
    set((s) => {
      const { [name]: _drop, ...rest } = s.fixed;
      return { fixed: x === undefined ? rest : { ...rest, [name]: x } };
    });
  };
  return (
    <section class="assumptions" aria-label="assumptions">
      <h2>Assumptions and their sources</h2>
      <p class="hint">
        Edit a formula to change the scenario's text (Enter applies it; the editor can undo it). Drag a slider or type a
        value (2B, 4.5%) to hold a param there on every path.
      </p>
      <div class="param-rows">
        {info.params.map((p) => {
          const held = state.fixed[p.name];
          const hasSlider = p.lo !== undefined && p.hi !== undefined;
          const step = p.discrete ? 1 : (p.hi! - p.lo!) / 200;
          return (
            <div
              class="param"
              key={p.name}
              data-param-row={p.name}
              title={p.source ? `source: ${p.source}` : "no source given"}
            >
              <div class="param-name">
                <strong>{p.label ?? p.name}</strong> <code>{p.name}</code>
                <small class="source">{p.source ? `source: ${p.source}` : "no source given"}</small>
              </div>
              <FormulaEditor p={p} />
              {hasSlider ? (
                <input
                  type="range"
                  data-param={p.name}
                  aria-label={`${p.label ?? p.name}: hold at a value`}
                  min={p.lo}
                  max={p.hi}
                  step={step}
                  value={held ?? p.median}
                  onInput={(e) => hold(p.name, Number((e.target as HTMLInputElement).value))}
                />
              ) : (
                <span />
              )}
              <HeldBox p={p} held={held} hold={(x) => hold(p.name, x)} />
              <span class="held" data-held-text={p.name}>
                {held !== undefined
                  ? `held at ${formatValue(held, p)}`
                  : hasSlider
                    ? `drawn, 5–95%: ${formatValue(p.lo!, p)} – ${formatValue(p.hi!, p)}`
                    : "set by its formula"}
                {held !== undefined ? (
                  <button class="small" onClick={() => hold(p.name, undefined)}>
                    draw again
                  </button>
                ) : null}
              </span>
            </div>
          );
        })}
      </div>
      {info.sources.length > 0 ? (
        <details>
          <summary>Sources ({info.sources.length})</summary>
          <ul class="sources">
            {info.sources.map((s) => (
              <li key={s.id}>
                <code>{s.id}</code>{" "}
                {s.url && isWebLink(s.url) ? (
                  <a href={s.url} target="_blank" rel="noreferrer noopener">
                    {s.title}
                  </a>
                ) : (
                  s.title
                )}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
