// `outlast levers`: every combination of the scenario's levers on common random numbers, the
// main effects and interactions with paired errors, and the smallest sets reaching a target.
// Also home to the helpers the other analysis commands share (flags, errors, tables).

import Table from "cli-table3";
import {
  AnalysisError,
  analyzeLevers,
  parseAmount,
  type AnalysisRunOptions,
  type LeversResult,
} from "../../analysis/index.js";
import { ExitError, UsageError } from "../errors.js";
import {
  capThreads,
  maybeHorizon,
  maybeLevers,
  maybePaths,
  maybeReplicates,
  maybeSampling,
  maybeSeed,
  maybeThreads,
} from "../options.js";
import { POOL_THRESHOLD, prewarm } from "../../node/install.js";
import { loadOrExit, Runner } from "./shared.js";
import { formatAmount } from "../../analysis/format.js";

export interface AnalysisFlags {
  paths?: string;
  seed?: string;
  threads?: string;
  horizon?: string;
  levers?: string;
  fix?: string;
  json?: boolean;
  sampling?: string;
  replicates?: string;
}

/** "a=1,b=2B" → {a: 1, b: 2e9} (suffixes K M B T %). */
export function maybeFixed(text: string | undefined): Record<string, number> | undefined {
  if (text === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const part of text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")) {
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.+)$/.exec(part);
    const value = m ? parseAmount(m[2]!) : undefined;
    if (!m || value === undefined)
      throw new UsageError(`expected NAME=NUMBER for --fix, e.g. raise_closes=1,raise_month=6; got '${part}'`);
    out[m[1]!] = value;
  }
  return out;
}

/** A loaded scenario and the options every analysis shares. */
export interface PreparedAnalysis {
  model: ReturnType<typeof loadOrExit>["model"];
  /** The scenario text, for a runtime error's caret (texts by file name for more than one scenario). */
  source: string | Readonly<Record<string, string>>;
  json: boolean;
  options: AnalysisRunOptions & { paths: number; seed: number };
}

/** Loads the scenario and reads the flags every analysis shares; exits on bad input. */
export function prepareAnalysis(scenario: string, flags: AnalysisFlags, defaultPaths: number): PreparedAnalysis {
  const paths = maybePaths(flags.paths, defaultPaths);
  const seed = maybeSeed(flags.seed);
  const threads = capThreads(maybeThreads(flags.threads), paths);
  const horizon = maybeHorizon(flags.horizon);
  const fixed = maybeFixed(flags.fix);
  const sampling = maybeSampling(flags.sampling);
  const replicates = maybeReplicates(flags.replicates);
  const { model, source } = loadOrExit(scenario);
  const levers = maybeLevers(
    flags.levers,
    model.levers.map((l) => l.name),
  );
  return {
    model,
    source,
    json: flags.json === true,
    options: {
      paths,
      seed,
      levers,
      ...(threads === undefined ? {} : { threads }),
      ...(horizon === undefined ? {} : { horizon }),
      ...(fixed === undefined ? {} : { fixed }),
      ...(sampling === undefined ? {} : { sampling }),
      ...(replicates === undefined ? {} : { replicates }),
    },
  };
}

/** Progress steps of an analysis' bar (it shows a share, not paths). */
const STEPS = 1000;

/**
 * Runs an analysis with a progress bar on stderr (on a terminal, after a second, never with
 * --json) and Ctrl-C handling, and turns its user-facing errors into usage errors (exit 2, no
 * stack). The first Ctrl-C stops the runs after the chunks in flight; an analysis built on
 * partial runs would mislead, so the command then prints nothing and exits 130.
 */
export async function withAnalysis<T>(
  prepared: PreparedAnalysis,
  run: (options: PreparedAnalysis["options"]) => Promise<T>,
): Promise<T> {
  // An analysis runs many variants, and each of sensitivity's (20k paths for a tornado bar,
  // 8192 for a Sobol matrix) is below the pool's threshold: nothing else would start the worker
  // threads, and one core sat idle (sensitivity openai-2024: 2.2 s on one thread, 1.9 s with
  // the pool). Once the pool runs, the variants go to it.
  prewarm(POOL_THRESHOLD, prepared.options.threads);
  const runner = new Runner(STEPS, !prepared.json, prepared.source, "share");
  const stopped = () => {
    runner.close();
    process.stderr.write("stopped by Ctrl-C before the analysis finished: nothing to report\n");
    return new ExitError(130);
  };
  try {
    const result = await runner.stage(STEPS, (tick) =>
      run({
        ...prepared.options,
        signal: runner.signal,
        onProgress: (done, total) => tick(done / total),
      }),
    );
    if (runner.stopped) throw stopped();
    return result;
  } catch (e) {
    if (e instanceof ExitError) throw e;
    if (runner.stopped) throw stopped();
    if (e instanceof AnalysisError) throw new UsageError(e.hint ? `${e.message} (${e.hint})` : e.message);
    throw e;
  } finally {
    runner.close();
  }
}

export function plainTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] } });
}

/** JSON with NaN and infinities as null, two-space indented. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2);
}

export const share = (p: number): string => `${(p * 100).toFixed(1)}%`;
const pp = (x: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)} pp`;

export async function leversCommand(scenario: string, flags: AnalysisFlags & { target?: string }): Promise<void> {
  const prepared = prepareAnalysis(scenario, flags, 100_000);
  const started = Date.now();
  const result = await withAnalysis(prepared, (options) =>
    analyzeLevers(prepared.model, { ...options, ...(flags.target === undefined ? {} : { target: flags.target }) }),
  );
  if (flags.json) {
    process.stdout.write(toJson(result) + "\n");
    return;
  }
  process.stdout.write(renderLevers(result, Date.now() - started) + "\n");
}

export function renderLevers(r: LeversResult, elapsedMs?: number): string {
  const out: string[] = [];
  const probability = r.target.startsWith("alive@");
  const show = (x: number): string => (probability ? share(x) : formatAmount(x));
  out.push(
    `${r.scenario}: all ${r.combinations.length} lever combinations, ${r.paths.toLocaleString("en-US")} paths each, seed ${r.seed}` +
      (elapsedMs === undefined ? "" : ` (${(elapsedMs / 1000).toFixed(1)} s)`),
  );
  out.push(`target: ${r.target}`);
  const months = r.combinations[0]!.survival.map((p) => p.month);
  const table = plainTable(["levers on", ...months.map((m) => `S(${m}) ± se`), "median runway", "target"]);
  for (const c of r.combinations)
    table.push([
      c.levers.length ? c.levers.join(" + ") : "(none)",
      ...c.survival.map((p) => `${share(p.alive)} ± ${(p.se * 100).toFixed(1)}`),
      c.runway > r.horizon ? `> ${r.horizon}` : String(c.runway),
      `${show(c.value)}${c.reached ? " ✓" : ""}`,
    ]);
  out.push(table.toString());
  const effects = plainTable(["effect on " + (r.effects[0]?.output ?? ""), "estimate ± paired se", "95% interval"]);
  for (const e of r.effects) {
    const fmt = probability ? pp : (x: number) => formatAmount(x);
    effects.push([
      e.kind === "main" ? e.levers[0]! : `  ${e.levers.join(" × ")}`,
      `${fmt(e.effect)} ± ${probability ? (e.se * 100).toFixed(2) : formatAmount(e.se, 2)}${e.clear ? "" : "  (not distinguishable from 0)"}`,
      `${fmt(e.low)} to ${fmt(e.high)}`,
    ]);
  }
  out.push(effects.toString());
  out.push(...r.summary);
  return out.join("\n");
}
