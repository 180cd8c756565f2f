// Goal-seek on the page: the least (or greatest) value of a param, a lever's setting or a
// series multiplier that meets a target, as `outlast goal-seek` finds it.

import { useState } from "preact/hooks";
import type { GoalSeekResult } from "../../../src/analysis/index.js";
import { axisNumber, formatValue, percent } from "../format.js";
import { questionMonth } from "../hooks/useWorkers.js";
import type { Workers } from "../hooks/useWorkers.js";
import { errorsOf, usePage } from "../state/store.js";
import { Outcome } from "./ToolOutcome.js";

export function GoalSeek(props: { workers: Workers }) {
  const { state } = usePage();
  const info = state.info;
  const [target, setTarget] = useState(info?.goal ?? `alive@${questionMonth(state)} >= 0.9`);
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
        {(r: GoalSeekResult) => {
          const p = param(r.param);
          const f = (x: number | null) => (x === null ? "outside the range" : p ? formatValue(x, p) : axisNumber(x));
          return (
            <div data-testid="goal-seek-result">
              <p>
                <strong>{r.summary}</strong>
              </p>
              <p class="meta">
                {r.direction} {r.param}: {f(r.value)} (Monte Carlo bracket {f(r.low)} – {f(r.high)}, ±{r.z} SE); reached{" "}
                {percent(r.achieved)} (standard error {percent(r.achievedSe)}); {r.evaluations} runs of{" "}
                {r.paths.toLocaleString("en")} paths
              </p>
            </div>
          );
        }}
      </Outcome>
    </div>
  );
}
