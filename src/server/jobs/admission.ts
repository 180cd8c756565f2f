// Whether the server takes a run, decided before its scenario is checked or compiled: how many
// runs wait or run (queue depth), how many of them one client has, and the memory they are
// expected to need together (the engine's estimate, from prescan.ts).

import { estimateRunBytes, formatBytes } from "../../engine/memory.js";
import { prescan } from "./prescan.js";

export interface AdmissionLimits {
  /** Runs queued or running at once, all clients together. */
  maxQueued: number;
  /** Runs queued or running at once for one client (its address, or its token). */
  maxPerClient: number;
  /** Bytes the admitted runs may need together. */
  memoryBytes: number;
  /** Threads one run uses (chunks in flight are twice that). */
  threadsPerRun: number;
}

export class AdmissionError extends Error {
  constructor(
    message: string,
    readonly status: 429 | 503,
  ) {
    super(message);
    this.name = "AdmissionError";
  }
}

export interface Ticket {
  readonly client: string;
  readonly bytes: number;
  release(): void;
}

export class Admission {
  private readonly held = new Set<Ticket>();

  constructor(readonly limits: AdmissionLimits) {}

  /** Bytes a run of `paths` paths of this text is expected to need. */
  estimate(text: string, paths: number): number {
    const { horizon, reportedSeries } = prescan(text);
    return estimateRunBytes({
      paths,
      horizon,
      reportedSeries,
      seriesCaptures: 0,
      perPath: false,
      chunksInFlight: 2 * this.limits.threadsPerRun,
    });
  }

  /** Takes a place for a run, or throws AdmissionError saying which limit it meets. */
  admit(client: string, text: string, paths: number): Ticket {
    const { maxQueued, maxPerClient, memoryBytes } = this.limits;
    if (this.held.size >= maxQueued)
      throw new AdmissionError(
        `${this.held.size} runs are queued or running, the server's limit; try again later`,
        503,
      );
    const mine = [...this.held].filter((t) => t.client === client).length;
    if (mine >= maxPerClient)
      throw new AdmissionError(
        `you have ${mine} runs queued or running, the limit per client; wait for one to finish or cancel one`,
        429,
      );
    const bytes = this.estimate(text, paths);
    const inUse = [...this.held].reduce((n, t) => n + t.bytes, 0);
    if (bytes > memoryBytes)
      throw new AdmissionError(
        `this run needs about ${formatBytes(bytes)} of memory, more than the ${formatBytes(memoryBytes)} the server gives runs; use fewer reported series or a shorter horizon`,
        503,
      );
    if (inUse + bytes > memoryBytes)
      throw new AdmissionError(
        `the runs already admitted need ${formatBytes(inUse)} of the ${formatBytes(memoryBytes)} the server gives runs, and this one about ${formatBytes(bytes)}; try again when one has finished`,
        503,
      );
    const ticket: Ticket = {
      client,
      bytes,
      release: () => {
        this.held.delete(ticket);
      },
    };
    this.held.add(ticket);
    return ticket;
  }
}
