// Talks to one Web Worker, keeping at most one request in flight: while the worker is busy,
// newer requests replace the waiting one, so a fast-moving slider always ends on its last
// position without a queue of stale runs. Each request carries the page's own note (`meta`:
// which inputs it was made from), handed back with its reply.

import type { FromWorker, ToWorker } from "./protocol.js";

export type WorkerRequest = ToWorker extends infer T ? (T extends { id: number } ? Omit<T, "id"> : never) : never;

export class WorkerRunner<Meta = undefined> {
  private worker!: Worker;
  private nextId = 1;
  private inFlight: { meta: Meta } | undefined;
  private waiting: { req: WorkerRequest; meta: Meta } | undefined;

  constructor(private readonly onReply: (reply: FromWorker, meta: Meta) => void) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const meta = this.inFlight!.meta;
      this.inFlight = undefined;
      this.onReply(event.data, meta);
      this.flush();
    };
    this.worker.onerror = (event) => {
      const meta = this.inFlight?.meta as Meta;
      this.inFlight = undefined;
      event.preventDefault();
      this.onReply({ type: "internal-error", id: 0, message: event.message || "the simulation worker failed" }, meta);
      this.flush();
    };
  }

  get busy(): boolean {
    return this.inFlight !== undefined || this.waiting !== undefined;
  }

  /**
   * Drops the work in flight by replacing the busy worker with a fresh one (a background
   * analysis must not hold a core while the live run needs it). True if anything was dropped.
   */
  interrupt(): boolean {
    const dropped = this.busy;
    this.waiting = undefined;
    if (this.inFlight) {
      this.worker.terminate();
      this.inFlight = undefined;
      this.spawn();
    }
    return dropped;
  }

  request(req: WorkerRequest, meta: Meta): void {
    this.waiting = { req, meta };
    this.flush();
  }

  private flush(): void {
    if (this.inFlight || !this.waiting) return;
    const { req, meta } = this.waiting;
    this.waiting = undefined;
    this.inFlight = { meta };
    this.worker.postMessage({ ...req, id: this.nextId++ } as ToWorker);
  }

  terminate(): void {
    this.worker.terminate();
  }
}
