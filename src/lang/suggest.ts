// Did-you-mean: the Damerau–Levenshtein distance in its "optimal string alignment" form
// (insertions, deletions, substitutions and swaps of two adjacent letters each cost 1), which
// catches the usual typos: `revnue` (deletion), `reveune` (swap), `cahs` (swap).

/** Edit distance counting adjacent transpositions as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  const d: number[][] = [];
  for (let i = 0; i <= n; i++) {
    d.push(Array.from({ length: m + 1 }, () => 0));
    d[i]![0] = i;
  }
  for (let j = 0; j <= m; j++) d[0]![j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[n]![m]!;
}

/** The largest distance still worth suggesting for a name of this length. */
function threshold(name: string): number {
  return Math.max(1, Math.min(3, Math.floor(name.length / 3)));
}

/**
 * Known names close to `name`, nearest first (ties in the order given), at most `limit`.
 * Case-only differences count as distance 0.5 so `Revenue` suggests `revenue` first.
 */
export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const scored: { c: string; d: number; i: number }[] = [];
  let i = 0;
  for (const c of candidates) {
    if (c === name) continue;
    const d = c.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name, c);
    if (d <= threshold(name)) scored.push({ c, d, i });
    i++;
  }
  scored.sort((x, y) => x.d - y.d || x.i - y.i);
  return [...new Set(scored.map((s) => s.c))].slice(0, limit);
}

/** The nearest known name, or undefined when nothing is close. */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  return closestNames(name, candidates, 1)[0];
}

/** A hint such as "did you mean 'revenue'?", or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const s = suggestName(name, candidates);
  return s === undefined ? undefined : `did you mean '${s}'?`;
}
