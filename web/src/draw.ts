// Charts are drawn one per task: each figure's drawing is queued and the queue runs one job per
// macrotask, so a page of charts never becomes one long main-thread task, and input stays
// responsive between them. `whenDrawn` calls back once the queue is empty (the page's
// "on screen N ms after the change" waits for it).

const queue: { job: () => void; cancelled: boolean }[] = [];
const waiting: (() => void)[] = [];
let running = false;

function next(): void {
  const item = queue.shift();
  if (item && !item.cancelled) item.job();
  if (queue.length > 0) setTimeout(next, 0);
  else {
    running = false;
    for (const f of waiting.splice(0)) f();
  }
}

/** Queues a drawing; the returned function cancels it if it has not run yet. */
export function drawSoon(job: () => void): () => void {
  const item = { job, cancelled: false };
  queue.push(item);
  if (!running) {
    running = true;
    setTimeout(next, 0);
  }
  return () => {
    item.cancelled = true;
  };
}

/** Calls `f` once every queued drawing has run. */
export function whenDrawn(f: () => void): void {
  if (!running) f();
  else waiting.push(f);
}
