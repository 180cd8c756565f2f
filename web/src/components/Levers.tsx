// The scenario's levers (its conditions), each a switch.

import { markInput } from "../hooks/useWorkers.js";
import { usePage } from "../state/store.js";

export function Levers() {
  const { state, set } = usePage();
  const levers = state.info?.levers ?? [];
  if (levers.length === 0) return null;
  return (
    <section class="levers" aria-label="conditions">
      <h2>Conditions</h2>
      <div class="lever-list">
        {levers.map((l) => {
          const on = state.levers.includes(l.name);
          return (
            <button
              key={l.name}
              role="switch"
              aria-checked={on}
              data-lever={l.name}
              class={on ? "switch on" : "switch"}
              title={[l.description, l.source ? `source: ${l.source}` : ""].filter(Boolean).join("\n")}
              onClick={() => {
                markInput();
                set((s) => ({ levers: on ? s.levers.filter((x) => x !== l.name) : [...s.levers, l.name] }));
              }}
            >
              <span class="knob" aria-hidden="true" />
              {l.label}
            </button>
          );
        })}
      </div>
    </section>
  );
}
