// Each chart of a run as a standalone SVG file (the same drawings the HTML report inlines).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureDirectory } from "./directory.js";
import type { RunResult } from "../engine/result.js";
import { fanSvg, formatterFor, runwaySvg, survivalSvg } from "./html.js";

/** A drawing made standalone: an XML namespace, so browsers and editors open the file as SVG. */
export function standalone(svg: string): string {
  return svg.startsWith("<svg ") ? `<svg xmlns="http://www.w3.org/2000/svg" ${svg.slice(5)}\n` : svg;
}

/** Writes survival.svg, runway.svg and fan-SERIES.svg into `dir` (created if missing); returns the paths. */
export function writeChartSvgs(dir: string, run: RunResult, units: Record<string, string>): string[] {
  ensureDirectory(dir);
  const files: [string, string][] = [
    ["survival.svg", survivalSvg(run.survival, run.start)],
    ["runway.svg", runwaySvg(run)],
    ...Object.entries(run.series).map(([name, points]): [string, string] => [
      `fan-${name.replace(/[^A-Za-z0-9_-]/g, "_")}.svg`,
      fanSvg(name, points, run.start, formatterFor(units[name])),
    ]),
  ];
  return files
    .filter(([, svg]) => svg.startsWith("<svg "))
    .map(([file, svg]) => {
      const path = join(dir, file);
      writeFileSync(path, standalone(svg));
      return path;
    });
}
