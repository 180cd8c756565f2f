// The analyses the CLI runs, on the page: the levers table and the tornado (recomputed in the
// background after each change, on the headline's paths and seed, so their baseline is the
// headline's figure), then goal-seek, hindsight and Sobol indices on request (Tools). Captions
// give the paths the runs took (10,000 asked is 8,192 under rqmc) and what their ± is.

import { tornadoGivenNote } from "../../../src/report/conditions.js";
import { tornadoChart } from "../charts.js";
import { intervalOf, percent, shareOf, slug, wilson } from "../format.js";
import type { Draws } from "../protocol.js";
import { usePage } from "../state/store.js";
import type { Workers } from "../hooks/useWorkers.js";
import { Figure } from "./Figure.js";
import { exportLines, Fresh } from "./Fresh.js";
import { Tools } from "./Tools.js";

export function Analyses(props: { workers: Workers }) {
  const { state } = usePage();
  const a = state.analyses;
  const info = state.info;
  const shownLevers = info?.levers.slice(0, 6) ?? [];
  const draws = a?.draws;
  const interval = draws ? intervalOf(draws) : undefined;
  const share = (alive: number, se: number) =>
    shareOf({ alive, se, ...wilson(alive, draws?.paths ?? 1) }, interval?.multiplier);
  return (
    <section class="analyses" aria-label="analyses">
      {!a ? <p class="meta">the levers table and the tornado are computed in the background…</p> : null}
      {a && a.tornado.length > 0 ? (
        <Fresh stamp={a.stamp} name="tornado">
          <Figure
            id="tornado"
            title={`Tornado: S(${a.month}) with each param at its 10th and 90th percentile`}
            exportTitle={`Tornado: S(${a.month}) with each param at its 10th and 90th percentile (baseline ${percent(a.base)})`}
            captionLines={exportLines(state, a.stamp)}
            fileBase={`outlast-${slug(state.current.name || "scenario")}`}
            deps={[a]}
            build={(w) => tornadoChart(a.tornado, a.base, a.month, w)}
          />
          <p class="hint" data-testid="tornado-base" data-base={a.base}>
            Baseline S({a.month}) = {share(a.base, a.baseSe)}: every param drawn, the same {pathsOf(a.draws)} and seed
            as the headline; ± is {interval!.label} ({interval!.detail}).
          </p>
          {tornadoGivenNote(a.tornado) ? (
            <p class="hint" data-note="tornado-given">
              {tornadoGivenNote(a.tornado)}
            </p>
          ) : null}
        </Fresh>
      ) : null}
      {a && a.levers.length > 1 ? (
        <Fresh stamp={a.stamp} name="lever-table">
          <h2>
            Levers: S({a.month}) for each combination ({pathsOf(a.draws)}, same seed as the headline)
          </h2>
          <p class="hint" data-testid="lever-interval">
            ± is {interval!.label} ({interval!.detail}).
          </p>
          <div class="scroll">
            <table data-testid="lever-table">
              <thead>
                <tr>
                  {shownLevers.map((l) => (
                    <th key={l.name} title={l.label}>
                      {l.name}
                    </th>
                  ))}
                  <th>S({a.month})</th>
                </tr>
              </thead>
              <tbody>
                {[...a.levers]
                  .sort((x, y) => y.alive - x.alive)
                  .map((row) => {
                    const isCurrent =
                      row.levers.length === state.levers.length && row.levers.every((l) => state.levers.includes(l));
                    return (
                      <tr key={row.levers.join("+")} class={isCurrent ? "current" : ""}>
                        {shownLevers.map((l) => (
                          <td key={l.name}>{row.levers.includes(l.name) ? "●" : ""}</td>
                        ))}
                        <td>{share(row.alive, row.se)}</td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </div>
        </Fresh>
      ) : null}
      <Tools workers={props.workers} />
    </section>
  );
}

/** `8,192 paths (16 rqmc replicates of 512)`, or `10,000 paths` for mc. */
function pathsOf(d: Draws): string {
  const paths = `${d.paths.toLocaleString("en")} paths`;
  if (d.replicates === null) return paths;
  return `${paths} (${d.replicates} ${d.sampling} replicates of ${(d.paths / d.replicates).toLocaleString("en")})`;
}
