// The run's charts: survival (with every compared variant), the fan chart of a chosen series
// (log scale, drag to zoom) and the runway histogram.

import { fanChart, runwayHistogram, survivalChart, type SurvivalLine } from "../charts.js";
import { slug } from "../format.js";
import { fanSeriesOf } from "../hooks/useWorkers.js";
import { ownStamp, shownResult, usePage } from "../state/store.js";
import { Figure } from "./Figure.js";
import { exportLines, Fresh } from "./Fresh.js";

/** The month a date on the time axis falls in (1 = the scenario's start). */
function monthOf(start: string, d: Date): number {
  const [y, m] = start.split("-").map(Number) as [number, number];
  return (d.getUTCFullYear() - y) * 12 + d.getUTCMonth() - (m - 1) + 1;
}

export function Charts() {
  const { state, set } = usePage();
  const shown = shownResult(state);
  if (!shown) return null;
  const { result } = shown;
  const fileBase = `outlast-${slug(state.current.name || result.scenario)}`;
  const fanSeries = fanSeriesOf(state);
  const seriesInfo = state.info?.series.find((s) => s.name === fanSeries);
  const compared = state.live?.compare ?? [];
  const lines: SurvivalLine[] = [{ label: "current", result }];
  if (!shown.server)
    compared.forEach((c, i) => {
      if ("result" in c) lines.push({ label: state.compares[i]?.label ?? `variant ${i + 1}`, result: c.result });
    });
  const survivalStamp = shown.server ? shown.stamp : state.live!.stamp;
  const own = ownStamp(shown.stamp);
  const zoom = state.zoom;

  return (
    <>
      <Fresh stamp={survivalStamp} name="survival">
        <Figure
          id="survival"
          title="Survival S(t) with its 95% band"
          exportTitle={`Survival S(t) with its 95% band${lines.length > 1 ? `: ${lines.length} variants` : ""}`}
          captionLines={exportLines(state, own)}
          fileBase={fileBase}
          deps={[result, compared, state.compares]}
          build={(w) => survivalChart(lines, w)}
        />
      </Fresh>
      <Fresh stamp={shown.stamp} own name="fan">
        <Figure
          id="fan"
          title={
            <>
              Fan chart of{" "}
              <select
                aria-label="series"
                value={fanSeries}
                onChange={(e) => set({ series: (e.target as HTMLSelectElement).value })}
              >
                {(state.info?.reported ?? []).map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>{" "}
              (5–95%, 25–75%, median)
            </>
          }
          actions={
            <>
              <label class="small-control">
                <input
                  type="checkbox"
                  aria-label="log scale"
                  checked={state.logScale}
                  onChange={(e) => set({ logScale: (e.target as HTMLInputElement).checked })}
                />{" "}
                log
              </label>
              {zoom ? (
                <button class="small" data-testid="reset-zoom" onClick={() => set({ zoom: null })}>
                  months {zoom[0]}–{zoom[1]} · show all
                </button>
              ) : (
                <span class="hint-inline">drag to zoom</span>
              )}
            </>
          }
          exportTitle={`Fan chart of ${fanSeries ?? ""}: 5–95%, 25–75%, median${zoom ? ` (months ${zoom[0]}–${zoom[1]})` : ""}`}
          captionLines={exportLines(state, own)}
          fileBase={fileBase}
          deps={[result, fanSeries, state.logScale, zoom]}
          onBrush={(from, to) => {
            const a = Math.max(1, monthOf(result.start, from));
            const b = Math.min(result.horizon, monthOf(result.start, to));
            if (b > a) set({ zoom: [a, b] });
          }}
          build={(w) =>
            fanSeries && result.series[fanSeries]
              ? fanChart(result.series[fanSeries]!, {
                  name: fanSeries,
                  ...(seriesInfo?.label ? { label: seriesInfo.label } : {}),
                  ...(seriesInfo?.unit ? { unit: seriesInfo.unit } : {}),
                  start: result.start,
                  width: w,
                  log: state.logScale,
                  zoom,
                })
              : null
          }
        />
      </Fresh>
      <Fresh stamp={shown.stamp} own name="runway">
        <Figure
          id="runway"
          title="Runway: month of death"
          exportTitle="Runway: month of death (last bar: alive at the horizon)"
          captionLines={exportLines(state, own)}
          fileBase={fileBase}
          deps={[result]}
          build={(w) => runwayHistogram(result, w)}
        />
      </Fresh>
    </>
  );
}
