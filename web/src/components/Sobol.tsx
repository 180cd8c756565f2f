// Sobol indices on the page: first-order and total, with bootstrap intervals, as
// `outlast sensitivity` computes them.

import { useState } from "preact/hooks";
import type { SobolResult } from "../../../src/analysis/index.js";
import { questionMonth } from "../hooks/useWorkers.js";
import type { Workers } from "../hooks/useWorkers.js";
import { errorsOf, usePage } from "../state/store.js";
import { Outcome } from "./ToolOutcome.js";

export function Sobol(props: { workers: Workers }) {
  const { state } = usePage();
  const [output, setOutput] = useState(`alive@${questionMonth(state)}`);
  const [n, setN] = useState(1024);
  return (
    <div class="tool" data-tool="sobol">
      <h3>Sobol indices</h3>
      <form
        class="tool-form"
        onSubmit={(e) => {
          e.preventDefault();
          props.workers.runTool({ tool: "sobol", output, n });
        }}
      >
        <label>
          output{" "}
          <input
            aria-label="sobol output"
            value={output}
            onInput={(e) => setOutput((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          rows{" "}
          <select
            aria-label="sobol rows"
            value={n}
            onChange={(e) => setN(Number((e.target as HTMLSelectElement).value))}
          >
            {[512, 1024, 4096, 8192].map((x) => (
              <option key={x} value={x}>
                {x.toLocaleString("en")}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={errorsOf(state).length > 0}>
          Compute
        </button>
      </form>
      <Outcome tool={state.tools.sobol} name="sobol">
        {(r: SobolResult) => (
          <div class="scroll" data-testid="sobol-result">
            <table>
              <caption>
                {r.output}: first-order and total indices, {Math.round(r.confidence * 100)}% bootstrap intervals (N ={" "}
                {r.n.toLocaleString("en")})
              </caption>
              <thead>
                <tr>
                  <th>param</th>
                  <th>first order</th>
                  <th>total</th>
                </tr>
              </thead>
              <tbody>
                {[...r.sobol]
                  .sort((a, b) => b.total - a.total)
                  .map((row) => (
                    <tr key={row.param}>
                      <td>{row.param}</td>
                      <td>
                        {row.first.toFixed(3)}{" "}
                        <small>
                          ({row.firstLow.toFixed(3)} – {row.firstHigh.toFixed(3)})
                        </small>
                      </td>
                      <td>
                        {row.total.toFixed(3)}{" "}
                        <small>
                          ({row.totalLow.toFixed(3)} – {row.totalHigh.toFixed(3)})
                        </small>
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        )}
      </Outcome>
    </div>
  );
}
