// Goal-seek, hindsight and Sobol indices on request, run in a worker by src/analysis (the code
// behind `outlast goal-seek`, `hindsight` and `sensitivity`), on the page's current text,
// levers and held values.

import { useState } from "preact/hooks";
import { axisNumber, formatValue, percent } from "../format.js";
import type { Workers } from "../hooks/useWorkers.js";
import { ANALYSIS_MONTH } from "../hooks/useWorkers.js";
import { errorsOf, usePage, type ToolState } from "../state/store.js";
import { Fresh } from "./Fresh.js";

function Outcome(props: {
  tool: ToolState | undefined;
  name: string;
  children: (r: never) => preact.ComponentChildren;
}) {
  const t = props.tool;
  if (!t) return null;
  if (t.running)
    return (
      <p class="meta" data-testid={`${props.name}-running`}>
        running in a worker…
      </p>
    );
  if (!t.outcome) return null;
  if ("error" in t.outcome)
    return (
      <p class="error" data-testid={`${props.name}-error`}>
        {t.outcome.error}
      </p>
    );
  return (
    <Fresh stamp={t.stamp} name={props.name}>
      {props.children(t.outcome.result as never)}
      <p class="meta">{((t.ms ?? 0) / 1000).toFixed(1)} s in the worker</p>
    </Fresh>
  );
}

function GoalSeek(props: { workers: Workers }) {
  const { state } = usePage();
  const info = state.info;
  const horizon = info?.horizon ?? 24;
  const [target, setTarget] = useState(`alive@${Math.min(ANALYSIS_MONTH, horizon)} >= 0.9`);
  const choices = [
    ...(info?.params.filter((p) => p.lo !== undefined).map((p) => p.name) ?? []),
    ...(info?.levers.flatMap((l) => l.params.map((p) => `${l.name}.${p}`)) ?? []),
    ...(info?.reported.map((s) => `${s}*`) ?? []),
  ];
  const [vary, setVary] = useState("");
  const [range, setRange] = useState("");
  const chosen = choices.includes(vary) ? vary : (choices[0] ?? "");
  const param = (name: string) => info?.params.find((p) => p.name === name.split(".").pop());
  return (
    <div class="tool" data-tool="goal-seek">
      <h3>Goal-seek</h3>
      <form
        class="tool-form"
        onSubmit={(e) => {
          e.preventDefault();
          props.workers.runTool({ tool: "goal-seek", target, vary: chosen, ...(range.trim() ? { range } : {}) });
        }}
      >
        <label>
          target{" "}
          <input
            aria-label="goal-seek target"
            value={target}
            onInput={(e) => setTarget((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          vary{" "}
          <select
            aria-label="goal-seek vary"
            value={chosen}
            onChange={(e) => setVary((e.target as HTMLSelectElement).value)}
          >
            {choices.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          range{" "}
          <input
            aria-label="goal-seek range"
            placeholder="LO..HI (optional)"
            value={range}
            onInput={(e) => setRange((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" disabled={errorsOf(state).length > 0 || !chosen}>
          Seek
        </button>
      </form>
      <Outcome tool={state.tools["goal-seek"]} name="goal-seek">
        {(r: import("../../../src/analysis/index.js").GoalSeekResult) => {
          const p = param(r.param);
          const f = (x: number | null) => (x === null ? "outside the range" : p ? formatValue(x, p) : axisNumber(x));
          return (
            <div data-testid="goal-seek-result">
              <p>
                <strong>{r.summary}</strong>
              </p>
              <p class="meta">
                {r.direction} {r.param}: {f(r.value)} (Monte Carlo bracket {f(r.low)} – {f(r.high)}, ±{r.z} SE); reached{" "}
                {percent(r.achieved)} ± {percent(1.96 * r.achievedSe)}; {r.evaluations} runs of{" "}
                {r.paths.toLocaleString("en")} paths
              </p>
            </div>
          );
        }}
      </Outcome>
    </div>
  );
}

function Hindsight(props: { workers: Workers }) {
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
        {(r: import("../../../src/analysis/index.js").HindsightResult) => (
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

function Sobol(props: { workers: Workers }) {
  const { state } = usePage();
  const horizon = state.info?.horizon ?? 24;
  const [output, setOutput] = useState(`alive@${Math.min(ANALYSIS_MONTH, horizon)}`);
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
        {(r: import("../../../src/analysis/index.js").SobolResult) => (
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

export function Tools(props: { workers: Workers }) {
  return (
    <div class="tools">
      <GoalSeek workers={props.workers} />
      <Sobol workers={props.workers} />
      <Hindsight workers={props.workers} />
    </div>
  );
}
