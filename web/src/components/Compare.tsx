// Compare the current settings with up to four variants (pinned settings or other scenarios):
// every curve on the survival chart, and the differences paired path by path (same seed).

import type { ScenarioActions } from "../hooks/useScenarios.js";
import { formatDifference, intervalOf, percent } from "../format.js";
import { MAX_COMPARE, usePage } from "../state/store.js";
import { PALETTE } from "../charts.js";
import { Fresh } from "./Fresh.js";

export function Compare(props: { actions: ScenarioActions }) {
  const { state } = usePage();
  const live = state.live;
  const outcomes = live?.compare ?? [];
  const months = live
    ? [12, 24, live.result.horizon].filter((m, i, all) => m <= live.result.horizon && all.indexOf(m) === i)
    : [];
  const interval = live ? intervalOf(live.result) : undefined;
  const rows = state.compares.map((c, i) => ({
    target: c,
    outcome: outcomes[i],
    color: PALETTE[(i + 1) % PALETTE.length]!,
  }));
  return (
    <section class="compare" aria-label="compare">
      <div class="compare-controls">
        <label>
          Compare with:{" "}
          <select
            aria-label="compare with"
            value=""
            disabled={state.compares.length >= MAX_COMPARE}
            onChange={(e) => {
              const el = e.target as HTMLSelectElement;
              void props.actions.addCompare(el.value);
              el.value = "";
            }}
          >
            <option value="">
              {state.compares.length >= MAX_COMPARE ? `${MAX_COMPARE} at most` : "add a variant…"}
            </option>
            <option value="pin">these settings (pin them, then change)</option>
            {state.scenarios.map((s) => (
              <option value={s.id} key={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <ul class="chips" data-testid="compared">
          {state.compares.map((c, i) => (
            <li key={c.key} style={{ borderColor: PALETTE[(i + 1) % PALETTE.length] }}>
              {c.label}{" "}
              <button
                class="small"
                aria-label={`stop comparing ${c.label}`}
                onClick={() => props.actions.removeCompare(c.key)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      </div>
      {rows.some((r) => r.outcome && "diagnostics" in r.outcome) ? (
        <p class="error">
          {rows
            .filter((r) => r.outcome && "diagnostics" in r.outcome)
            .map((r) => r.target.label)
            .join(", ")}{" "}
          has errors and is left out
        </p>
      ) : null}
      {live && rows.some((r) => r.outcome && "result" in r.outcome) ? (
        <Fresh stamp={live.stamp} name="paired">
          <div class="scroll">
            <table class="paired" data-testid="paired">
              <caption>
                Variant − current, paired by path (same seed): difference in percentage points ± {interval!.label} (
                {interval!.detail}
                {live.result.replicates === null ? "" : "; the SE of the replicates' paired differences"})
              </caption>
              <thead>
                <tr>
                  <th>month</th>
                  <th>current</th>
                  {rows.map((r) => (
                    <th key={r.target.key} style={{ color: r.color }}>
                      {r.target.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {months.map((m) => (
                  <tr key={m}>
                    <td>{m}</td>
                    <td>{percent(live.result.survival[m - 1]?.alive ?? NaN)}</td>
                    {rows.map((r) => {
                      const o = r.outcome;
                      if (!o || !("result" in o) || m > o.paired.length) return <td key={r.target.key}>n/a</td>;
                      const d = o.paired[m - 1]!;
                      return (
                        <td key={r.target.key}>
                          {percent(o.result.survival[m - 1]?.alive ?? NaN)}{" "}
                          <span class="diff">({formatDifference(-d.diff, d.se, interval!.multiplier)})</span>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Fresh>
      ) : null}
    </section>
  );
}
