// The page's three workers and what they answer: the live run (key numbers, charts, compared
// variants), the background analyses (levers table, tornado) and the tools run on request
// (goal-seek, hindsight, Sobol). Every request is stamped with the inputs it was made from, and
// every reply is stored with that stamp, so the page can tell fresh figures from stale ones.

import { useEffect, useRef } from "preact/hooks";
import type { ToolRequest } from "../protocol.js";
import { whenDrawn } from "../draw.js";
import { WorkerRunner } from "../runner.js";
import { LIVE_PATHS, SEED, stampNow, variantOf, type PageContext, type PageState, type Stamp } from "../state/store.js";

/** When the analyst last changed an input (text, levers, held values, compared variants). */
let inputAt = 0;
export function markInput(): void {
  inputAt = performance.now();
}

/** The series the fan chart shows: the chosen one if the model reports it, else its first. */
export function fanSeriesOf(s: PageState): string | undefined {
  const choices = s.info?.reported ?? Object.keys(s.live?.result.series ?? {});
  return choices.includes(s.series) ? s.series : choices[0];
}

/** The month the headline, the levers table and the tornado look at: the scenario's goal's, else 24. */
export function questionMonth(s: PageState): number {
  return s.info?.month ?? Math.min(24, s.live?.result.horizon ?? 24);
}

export interface Workers {
  runTool: (request: ToolRequest) => void;
}

export function useWorkers(ctx: PageContext): Workers {
  const { state, set } = ctx;
  const live = useRef<WorkerRunner<{ stamp: Stamp; inputAt: number }> | undefined>(undefined);
  const analyses = useRef<WorkerRunner<{ stamp: Stamp }> | undefined>(undefined);
  const tools = useRef<WorkerRunner<{ stamp: Stamp; tool: ToolRequest["tool"] }> | undefined>(undefined);
  const analysisTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const analysisRequest = useRef<(() => void) | undefined>(undefined);

  // The analyses start 400 ms after the last change, so a moving slider does not start them on
  // every step; the live run interrupts them, and they start again after it.
  const scheduleAnalyses = () => {
    clearTimeout(analysisTimer.current);
    analysisTimer.current = setTimeout(() => analysisRequest.current?.(), 400);
  };

  useEffect(() => {
    live.current = new WorkerRunner((reply, meta) => {
      if (reply.type === "internal-error") {
        set({ internalError: `internal error in the simulation worker: ${reply.message}` });
        return;
      }
      if (reply.type !== "result") return;
      set((s) => ({
        diagnostics: reply.diagnostics,
        ...(reply.info ? { info: reply.info } : {}),
        runtime: reply.error
          ? { error: reply.error, stamp: meta.stamp, ...(reply.errorAt ? { at: reply.errorAt } : {}) }
          : undefined,
        live: reply.result
          ? {
              result: reply.result,
              compare: reply.compare ?? [],
              // The paths the run took (rqmc rounds 10,000 to whole replicates: 8,192), not the ask.
              stamp: { ...meta.stamp, paths: reply.result.paths },
              workerMs: reply.ms,
              inputAt: meta.inputAt,
            }
          : s.live,
      }));
    });
    analyses.current = new WorkerRunner((reply, meta) => {
      if (reply.type === "analyses") {
        const { levers, tornado, base, baseSe, month, draws } = reply;
        set({
          analyses: { levers, tornado, base, baseSe, month, draws, stamp: { ...meta.stamp, paths: draws.paths } },
        });
      }
    });
    tools.current = new WorkerRunner((reply, meta) => {
      set((s) => {
        const was = s.tools[meta.tool];
        if (!was) return {};
        const outcome =
          reply.type === "tool" ? reply.outcome : { tool: meta.tool, error: "the worker failed; try again" };
        return {
          tools: {
            ...s.tools,
            [meta.tool]: { ...was, running: false, outcome, ms: reply.type === "tool" ? reply.ms : 0 },
          },
        };
      });
    });
    return () => {
      live.current?.terminate();
      analyses.current?.terminate();
      tools.current?.terminate();
    };
  }, []);

  useEffect(() => {
    if (state.text === null) return;
    if (analyses.current?.interrupt()) scheduleAnalyses();
    live.current?.request(
      {
        type: "run",
        variant: variantOf(state),
        paths: LIVE_PATHS,
        seed: SEED,
        report: [state.series], // the worker falls back to the model's first reported series
        compare: state.compares.map((c) => c.variant),
      },
      { stamp: stampNow(state, LIVE_PATHS, true), inputAt: inputAt || performance.now() },
    );
  }, [state.text, state.levers, state.fixed, state.compares, state.series]);

  const month = questionMonth(state);
  useEffect(() => {
    if (state.text === null) return;
    const req = {
      type: "analyses" as const,
      variant: variantOf(state),
      paths: LIVE_PATHS,
      seed: SEED,
      month,
    };
    const stamp = stampNow(state);
    analysisRequest.current = () => analyses.current?.request(req, { stamp });
    scheduleAnalyses();
    return () => clearTimeout(analysisTimer.current);
  }, [state.text, state.levers, state.fixed, month]);

  return {
    runTool: (request) => {
      const s = ctx.get();
      if (s.text === null) return;
      const stamp = stampNow(s);
      set({ tools: { ...s.tools, [request.tool]: { request, stamp, running: true } } });
      tools.current?.request(
        { type: "tool", variant: variantOf(s), paths: LIVE_PATHS, seed: SEED, request },
        { stamp, tool: request.tool },
      );
    },
  };
}

/**
 * Input to paint: once a live result's charts are drawn (the drawing queue is empty), the next
 * animation frame comes after the browser has painted them; the time from the change to that
 * frame is what the page reports.
 */
export function usePaintTime(ctx: PageContext): void {
  const live = ctx.state.live;
  useEffect(() => {
    if (!live || live.paintMs !== undefined) return;
    let frame = 0;
    let gone = false;
    whenDrawn(() => {
      if (gone) return;
      frame = requestAnimationFrame(() => {
        const paintMs = performance.now() - live.inputAt;
        ctx.set((s) => (s.live === live ? { live: { ...live, paintMs } } : {}));
      });
    });
    return () => {
      gone = true;
      cancelAnimationFrame(frame);
    };
  }, [live]);
}
