// More paths on the server: choose a count, run with progress, cancel.

import type { ScenarioActions } from "../hooks/useScenarios.js";
import { active } from "../hooks/useScenarios.js";
import { errorsOf, SERVER_PATH_CHOICES, usePage } from "../state/store.js";

export function ServerRun(props: { actions: ScenarioActions }) {
  const { state, set } = usePage();
  const run = state.serverRun;
  const running = run !== null && active(run.status);
  return (
    <div class="server" aria-label="more paths">
      <label>
        More paths on the server:{" "}
        <select
          value={state.serverPaths}
          onChange={(e) => set({ serverPaths: Number((e.target as HTMLSelectElement).value) })}
        >
          {SERVER_PATH_CHOICES.map((n) => (
            <option value={n} key={n}>
              {n.toLocaleString("en")}
            </option>
          ))}
        </select>
      </label>{" "}
      {running ? (
        <>
          <progress
            max={run.progress?.pathsTotal ?? run.paths}
            value={run.progress?.pathsDone ?? 0}
            data-testid="server-progress"
          />{" "}
          <button
            data-testid="cancel-run"
            disabled={state.cancelling}
            onClick={() => void props.actions.cancelServerRun()}
          >
            {state.cancelling ? "Cancelling…" : "Cancel"}
          </button>
        </>
      ) : (
        <button
          data-testid="server-run"
          onClick={() => void props.actions.runOnServer()}
          disabled={errorsOf(state).length > 0 || state.text === null}
        >
          Run
        </button>
      )}
      {run && !running ? (
        <small data-testid="server-status">
          {" "}
          last server run: {run.status}
          {run.error ? ` (${run.error})` : ""}
        </small>
      ) : null}
    </div>
  );
}
