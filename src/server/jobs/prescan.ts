// What a run will cost, read from its text without parsing it: the horizon and how many series
// it reports. Admission uses it before the scenario is checked or compiled, so a request the
// server cannot take is refused at the price of a line scan. The figures are estimates; the
// engine checks the real ones when the run starts.

export interface Prescan {
  horizon: number;
  reportedSeries: number;
}

const MAX_HORIZON = 1200;

export function prescan(text: string): Prescan {
  const lines = text.split("\n");
  let horizon = MAX_HORIZON;
  let seriesCount = 0;
  let reportCount: number | undefined;
  let inSeries = false;
  let seriesIndent = -1;
  for (const line of lines) {
    if (/^\s*(#|$)/.test(line)) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      inSeries = /^series\s*:\s*(#.*)?$/.test(line);
      seriesIndent = -1;
      const h = /^horizon\s*:\s*(\d+)/.exec(line);
      if (h) horizon = Math.min(MAX_HORIZON, Math.max(1, Number(h[1])));
      const r = /^report\s*:\s*\[(.*)\]/.exec(line);
      if (r) reportCount = r[1]!.split(",").filter((x) => x.trim() !== "").length;
      continue;
    }
    if (!inSeries) continue;
    if (seriesIndent < 0) seriesIndent = indent;
    if (indent === seriesIndent && /^\s*[A-Za-z_][\w.]*\s*:/.test(line)) seriesCount++;
  }
  return { horizon, reportedSeries: Math.max(1, reportCount ?? seriesCount) };
}
