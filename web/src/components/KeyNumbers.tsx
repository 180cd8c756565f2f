// The headline: S(24), S(horizon), the median runway and the shortfall, with how the figures
// were made (paths, where, and the time from the change to the charts on screen).

import { formatMoney, intervalOf, shareOf } from "../format.js";
import { questionMonth } from "../hooks/useWorkers.js";
import { errorsOf, isFresh, ownStamp, shownResult, usePage } from "../state/store.js";
import { Fresh } from "./Fresh.js";

function Stat(props: { label: string; value: string; testid: string }) {
  return (
    <div class="stat">
      <div class="stat-label">{props.label}</div>
      <div class="stat-value" data-testid={props.testid}>
        {props.value}
      </div>
    </div>
  );
}

export function KeyNumbers() {
  const { state } = usePage();
  const shown = shownResult(state);
  const errors = errorsOf(state);
  if (state.api === "down") return null;
  if (!shown) {
    return (
      <section class="numbers" aria-label="key results" aria-busy="true">
        <p class="meta" data-testid="run-meta">
          {errors.length ? "fix the scenario's errors to run it" : "running the scenario…"}
        </p>
      </section>
    );
  }
  const r = shown.result;
  // The month the scenario's question is about (its goal's, else 24): the tornado and the
  // levers table read the same month, on the same paths.
  const m24 = Math.min(questionMonth(state), r.horizon);
  const live = state.live;
  const interval = intervalOf(r);
  return (
    <section class="numbers" aria-label="key results">
      <Fresh stamp={ownStamp(shown.stamp)} name="numbers">
        <div class="stats">
          <Stat testid="s24" label={`S(${m24})`} value={shareOf(r.survival[m24 - 1]!, interval.multiplier)} />
          {r.horizon !== m24 ? (
            <Stat
              testid="sH"
              label={`S(${r.horizon})`}
              value={shareOf(r.survival[r.horizon - 1]!, interval.multiplier)}
            />
          ) : null}
          <Stat
            testid="runway"
            label="median runway"
            value={r.runway.median > r.horizon ? `> ${r.horizon} months` : `${r.runway.median} months`}
          />
          {r.shortfall ? (
            <Stat
              testid="shortfall"
              label="shortfall (median / 90th)"
              value={`${formatMoney(r.shortfall.p50)} / ${formatMoney(r.shortfall.p90)}`}
            />
          ) : null}
        </div>
      </Fresh>
      <p class="meta" data-testid="interval-note">
        ± is {interval.label} ({interval.detail})
      </p>
      <p class="meta" data-testid="run-meta">
        {shown.server
          ? `server run: ${r.paths.toLocaleString("en")} paths${r.partial ? " (partial)" : ""}`
          : live
            ? `${live.result.paths.toLocaleString("en")} paths in ${live.workerMs.toFixed(0)} ms (in your browser)` +
              (live.paintMs !== undefined ? `; on screen ${live.paintMs.toFixed(0)} ms after the change` : "")
            : ""}
      </p>
      {state.runtime && isFresh(state.runtime.stamp, state) ? (
        <p class="error" role="alert" data-testid="run-error">
          {state.runtime.error}
        </p>
      ) : null}
      {state.internalError ? (
        <p class="error" role="alert">
          {state.internalError}
        </p>
      ) : null}
    </section>
  );
}
