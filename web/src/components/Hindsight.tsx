// Hindsight on the page: the forecast against the scenario's actuals, as `outlast hindsight`
// scores it (percentile, CRPS, Brier).

import type { HindsightResult } from "../../../src/analysis/index.js";
import { axisNumber, percent } from "../format.js";
import type { Workers } from "../hooks/useWorkers.js";
import { errorsOf, usePage } from "../state/store.js";
import { Outcome } from "./ToolOutcome.js";

export function Hindsight(props: { workers: Workers }) {
  const { state } = usePage();
  const actuals = state.info?.actuals ?? 0;
  return (
    <div class="tool" data-tool="hindsight">
      <h3>Hindsight</h3>
      {actuals === 0 ? (
        <p class="meta">this scenario lists no actuals: add an `actuals:` block to score its forecast</p>
      ) : (
        <button disabled={errorsOf(state).length > 0} onClick={() => props.workers.runTool({ tool: "hindsight" })}>
          Score the forecast against its {actuals} actuals
        </button>
      )}
      <Outcome tool={state.tools.hindsight} name="hindsight">
        {(r: HindsightResult) => (
          <div data-testid="hindsight-result">
            <div class="scroll">
              <table>
                <thead>
                  <tr>
                    <th>month</th>
                    <th>what</th>
                    <th>actual</th>
                    <th>forecast 5–50–95%</th>
                    <th>percentile</th>
                    <th>CRPS</th>
                  </tr>
                </thead>
                <tbody>
                  {r.actuals.map((x, i) => (
                    <tr key={i} title={x.reading}>
                      <td>{x.month}</td>
                      <td>{x.series ?? x.event}</td>
                      <td>{axisNumber(x.value)}</td>
                      <td>
                        {x.forecast
                          ? `${axisNumber(x.forecast.p5)} – ${axisNumber(x.forecast.p50)} – ${axisNumber(x.forecast.p95)}`
                          : x.probability !== null
                            ? `p = ${percent(x.probability)}`
                            : "n/a"}
                      </td>
                      <td>
                        {x.percentile !== null
                          ? percent(x.percentile, 0)
                          : x.happened === null
                            ? ""
                            : x.happened
                              ? "happened"
                              : "did not"}
                      </td>
                      <td>
                        {x.crps !== null ? axisNumber(x.crps) : x.brier !== null ? `Brier ${x.brier.toFixed(3)}` : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ul class="readings">
              {r.reading.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          </div>
        )}
      </Outcome>
    </div>
  );
}
