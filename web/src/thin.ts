// Chart data thinned to the pixels: a chart never receives more points than it has pixels to
// draw them (one per two pixels of plot width). Months are merged in runs of k: a band keeps
// the run's outer edges (its lowest low and highest high), a line its value at the run's last
// month, and a histogram the sum of its counts, so thinning never hides an extreme.

/** How many months go into one drawn point, for `n` months over `pixels` of plot width. */
export function stride(n: number, pixels: number): number {
  const most = Math.max(2, Math.floor(pixels / 2));
  return Math.max(1, Math.ceil(n / most));
}

/** Merges consecutive rows in runs of `k`; `merge` gets each run (never empty). */
export function thinRows<T, U>(rows: readonly T[], k: number, merge: (run: readonly T[]) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < rows.length; i += k) out.push(merge(rows.slice(i, i + k)));
  return out;
}

export const minOf = <T>(run: readonly T[], f: (x: T) => number) => Math.min(...run.map(f));
export const maxOf = <T>(run: readonly T[], f: (x: T) => number) => Math.max(...run.map(f));
export const sumOf = <T>(run: readonly T[], f: (x: T) => number) => run.reduce((a, x) => a + f(x), 0);
