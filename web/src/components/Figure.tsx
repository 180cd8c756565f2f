// One chart: its title, its legend, SVG and PNG exports that carry the title, the scenario,
// the levers and the legend, and (for the fan) drag-to-zoom. The chart is rebuilt when its
// data or its width changes.

import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Chart } from "../charts.js";
import { drawSoon } from "../draw.js";
import { downloadPng, downloadSvg, type ChartCaption } from "../export.js";

export function Figure(props: {
  id: string;
  title: ComponentChildren;
  /** The title as plain text, for the exported file. */
  exportTitle: string;
  captionLines: string[];
  fileBase: string;
  deps: unknown[];
  build: (width: number) => Chart | null;
  /** Drag across the plot to choose a range of x values (dates); called with the two ends. */
  onBrush?: (from: Date, to: Date) => void;
  actions?: ComponentChildren;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const chart = useRef<Chart | null>(null);
  const [legend, setLegend] = useState<Chart["legend"]>([]);
  const [points, setPoints] = useState(0);

  useEffect(() => {
    const el = host.current!;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver((entries) => setWidth(Math.floor(entries[0]!.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Drawn in a task of its own (draw.ts), one chart per task; "on screen N ms after the
  // change" waits for the last of them.
  useLayoutEffect(() => {
    const w = width || host.current?.clientWidth || 0;
    if (!host.current || w === 0) return;
    const build = props.build;
    const figure = host.current.parentElement!;
    figure.dataset["drawing"] = "1";
    return drawSoon(() => {
      delete figure.dataset["drawing"];
      if (!host.current) return;
      const built = build(Math.max(280, w));
      chart.current = built;
      host.current.replaceChildren(...(built ? [built.el] : []));
      setLegend(built?.legend ?? []);
      setPoints(built?.points ?? 0);
    });
  }, [...props.deps, width]);

  // Drag to zoom: the x scale's invert turns the pixels dragged over into dates.
  useEffect(() => {
    const el = host.current;
    if (!el || !props.onBrush) return;
    let startX: number | undefined;
    const band = document.createElement("div");
    band.className = "brush";
    const local = (e: PointerEvent) => e.clientX - el.getBoundingClientRect().left;
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      startX = local(e);
      band.style.left = `${startX}px`;
      band.style.width = "0";
      el.append(band);
    };
    const move = (e: PointerEvent) => {
      if (startX === undefined) return;
      const x = local(e);
      band.style.left = `${Math.min(x, startX)}px`;
      band.style.width = `${Math.abs(x - startX)}px`;
    };
    const up = (e: PointerEvent) => {
      if (startX === undefined) return;
      const x = local(e);
      const a = startX;
      startX = undefined;
      band.remove();
      const scale = (
        chart.current?.el as unknown as { scale?: (n: string) => { invert?: (x: number) => Date } }
      )?.scale?.("x");
      if (Math.abs(x - a) < 6 || !scale?.invert) return;
      props.onBrush!(scale.invert(Math.min(a, x)), scale.invert(Math.max(a, x)));
    };
    el.addEventListener("pointerdown", down, true); // before Plot's tip, which stops the event
    el.addEventListener("pointermove", move);
    addEventListener("pointerup", up);
    return () => {
      el.removeEventListener("pointerdown", down, true);
      el.removeEventListener("pointermove", move);
      removeEventListener("pointerup", up);
    };
  }, [props.onBrush]);

  const caption = (): ChartCaption => ({ title: props.exportTitle, lines: props.captionLines, legend });
  return (
    <figure class="chart" data-chart={props.id} data-points={points}>
      <figcaption>
        <span>{props.title}</span>
        <span class="chart-actions">
          {props.actions}
          <button
            class="small"
            onClick={() => host.current && downloadSvg(host.current, caption(), `${props.fileBase}-${props.id}.svg`)}
          >
            SVG
          </button>
          <button
            class="small"
            onClick={() =>
              host.current && void downloadPng(host.current, caption(), `${props.fileBase}-${props.id}.png`)
            }
          >
            PNG
          </button>
        </span>
      </figcaption>
      <div class={props.onBrush ? "chart-body zoomable" : "chart-body"} ref={host} />
      {legend.length > 1 ? (
        <ul class="legend" aria-label="legend">
          {legend.map((l) => (
            <li key={l.label}>
              <span class="swatch" style={{ background: l.color }} />
              {l.label}
            </li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
}
