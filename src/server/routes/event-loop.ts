// GET /api/server/event-loop: how late this server's HTTP thread has run its callbacks, for an
// operator or a test to see that no work stalls it. Answered to loopback clients only (404 to
// others): it says nothing secret, but it is for whoever runs the server, on its machine.
//
// Two measures, in milliseconds, over the window since the monitor started or `?reset=1`:
// - perf_hooks.monitorEventLoopDelay's histogram (maxMs, p50Ms, p99Ms, meanMs): how much later
//   than due its timer ran, whatever the reason (its samples are whole intervals; the interval
//   is taken off).
// - the thread's own delay (ownMaxMs, ownP99Ms): the same lateness, sampled by a timer every
//   RESOLUTION_MS, less the time the thread spent runnable but waiting for a CPU in that interval
//   (Linux's /proc/self/task/TID/schedstat). What is left is what the server's thread did or
//   blocked on itself: JavaScript, garbage collection, synchronous I/O such as an fsync. On a
//   machine shared with other busy processes the first measure also counts the scheduler's
//   queue; the second does not. Without schedstat (not Linux) the two are the same.
// The monitor starts at the first request (an idle server then wakes 100 times a second, not
// before).

import { readFileSync } from "node:fs";
import type { Hono } from "hono";
import {
  createHistogram,
  monitorEventLoopDelay,
  type IntervalHistogram,
  type RecordableHistogram,
} from "node:perf_hooks";
import { isLoopback } from "../guard.js";
import { clientOf } from "./request.js";

/** The monitors' sampling interval, in ms. */
const RESOLUTION_MS = 10;

export interface EventLoopFigures {
  maxMs: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  ownMaxMs: number;
  ownP99Ms: number;
  /** Time the thread waited for a CPU over the window (null without schedstat). */
  cpuWaitMs: number | null;
  samples: number;
  windowMs: number;
}

/** The HTTP thread's time waiting on a run queue so far, in ns (null when the kernel does not say). */
function runQueueWaitNs(): number | null {
  try {
    // "on-CPU ns, run-queue wait ns, timeslices"; the main thread's id is the process id.
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[1]);
  } catch {
    return null;
  }
}

class Monitor {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly own: RecordableHistogram = createHistogram();
  private timer: NodeJS.Timeout | undefined;
  private since = 0;
  private waitedAtStart: number | null = null;

  start(): void {
    this.stop();
    this.delay.reset();
    this.own.reset();
    this.delay.enable();
    this.since = performance.now();
    this.waitedAtStart = runQueueWaitNs();
    let last = this.since;
    let waited = this.waitedAtStart;
    this.timer = setInterval(() => {
      const now = performance.now();
      const nowWaited = waited === null ? null : runQueueWaitNs();
      const queued = nowWaited === null || waited === null ? 0 : (nowWaited - waited) / 1e6;
      const late = Math.max(0, now - last - RESOLUTION_MS - queued);
      this.own.record(Math.max(1, Math.round(late * 1000))); // µs; a histogram takes integers ≥ 1
      last = now;
      waited = nowWaited;
    }, RESOLUTION_MS).unref();
  }

  stop(): void {
    this.delay.disable();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  figures(): EventLoopFigures {
    const h = this.delay;
    const ms = (ns: number) => (h.count === 0 ? 0 : Math.max(0, Math.round(ns / 1e4 - RESOLUTION_MS * 100) / 100));
    const ownMs = (us: number) => (this.own.count === 0 ? 0 : Math.round(us / 10) / 100);
    const waited = runQueueWaitNs();
    return {
      maxMs: ms(h.max),
      p50Ms: ms(h.percentile(50)),
      p99Ms: ms(h.percentile(99)),
      meanMs: ms(h.mean),
      ownMaxMs: ownMs(this.own.max),
      ownP99Ms: ownMs(this.own.percentile(99)),
      cpuWaitMs:
        waited === null || this.waitedAtStart === null ? null : Math.round((waited - this.waitedAtStart) / 1e4) / 100,
      samples: h.count,
      windowMs: Math.round(performance.now() - this.since),
    };
  }
}

export function eventLoopRoutes(app: Hono): { stop(): void } {
  let monitor: Monitor | undefined;
  app.get("/api/server/event-loop", (c) => {
    if (!isLoopback(clientOf(c))) return c.json({ error: "no route GET /api/server/event-loop" }, 404);
    const figures = monitor?.figures();
    if (!monitor || c.req.query("reset") === "1") {
      monitor ??= new Monitor();
      monitor.start();
    }
    return c.json(figures ?? monitor.figures());
  });
  return { stop: () => monitor?.stop() };
}
