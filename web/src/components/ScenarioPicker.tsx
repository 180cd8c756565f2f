// Find and open a scenario; name, save, copy or delete the one in the editor.

import type { ScenarioActions } from "../hooks/useScenarios.js";
import { isDirty, usePage } from "../state/store.js";

export function ScenarioPicker(props: { actions: ScenarioActions }) {
  const { state, set } = usePage();
  const { current } = state;
  const saved = current.id && !current.builtin;
  return (
    <div class="picker">
      <details class="scenarios">
        <summary>
          Scenarios <small>({state.scenarios.length})</small>
        </summary>
        <input
          type="search"
          placeholder="Find a scenario"
          aria-label="find a scenario"
          value={state.query}
          onInput={(e) => set({ query: (e.target as HTMLInputElement).value })}
        />
        <ul data-testid="scenario-list">
          {state.scenarios.map((s) => (
            <li key={s.id}>
              <button
                class={s.id === current.id ? "scenario current" : "scenario"}
                onClick={() => void props.actions.open(s.id)}
                data-id={s.id}
              >
                {s.name}
                <small>{s.builtin ? " built-in" : ` v${s.version}`}</small>
              </button>
            </li>
          ))}
        </ul>
      </details>
      <div class="save">
        <input
          aria-label="scenario name"
          value={state.nameInput}
          onInput={(e) => set({ nameInput: (e.target as HTMLInputElement).value })}
        />
        <button
          onClick={() => void props.actions.save(false)}
          data-testid="save"
          class={isDirty(state) ? "primary" : ""}
        >
          {saved ? "Save" : "Save as new"}
        </button>
        {saved ? <button onClick={() => void props.actions.save(true)}>Save copy</button> : null}
        {saved ? <button onClick={() => void props.actions.remove()}>Delete</button> : null}
      </div>
      {isDirty(state) ? (
        <p class="meta" data-testid="unsaved">
          unsaved edits
        </p>
      ) : null}
    </div>
  );
}
