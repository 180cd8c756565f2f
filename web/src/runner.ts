// Talks to one Web Worker, keeping at most one request in flight: while the worker is busy,
// newer requests replace the waiting one, so a fast-moving slider always ends on its last
// position without a queue of stale runs.

import type { FromWorker, ToWorker } from "./protocol.js";

type Request = ToWorker extends infer T ? (T extends { id: number } ? Omit<T, "id"> : never) : never;

export class WorkerRunner {
  private worker!: Worker;
  private nextId = 1;
  private busy = false;
  private waiting: Request | undefined;

  constructor(private readonly onReply: (reply: FromWorker) => void) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => {
      this.busy = false;
      this.onReply(event.data);
      this.flush();
    };
    this.worker.onerror = (event) => {
      this.busy = false;
      event.preventDefault();
      this.onReply({ type: "internal-error", id: 0, message: event.message || "the simulation worker failed" });
      this.flush();
    };
  }

  /**
   * Drops the work in flight by replacing the busy worker with a fresh one (a background
   * analysis must not hold a core while the live run needs it). True if anything was dropped.
   */
  interrupt(): boolean {
    const dropped = this.busy || this.waiting !== undefined;
    this.waiting = undefined;
    if (this.busy) {
      this.worker.terminate();
      this.busy = false;
      this.spawn();
    }
    return dropped;
  }

  request(req: Request): void {
    this.waiting = req;
    this.flush();
  }

  private flush(): void {
    if (this.busy || !this.waiting) return;
    const req = this.waiting;
    this.waiting = undefined;
    this.busy = true;
    this.worker.postMessage({ ...req, id: this.nextId++ } as ToWorker);
  }

  terminate(): void {
    this.worker.terminate();
  }
}
