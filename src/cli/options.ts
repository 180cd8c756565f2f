// One small function per option that fills the default and validates (Plot's maybeX idiom),
// so a bad number fails before any work starts, with a message naming the value.

import { availableParallelism } from "node:os";
import { MAX_PATHS } from "../engine/index.js";
import { MIN_REPLICATES, SAMPLINGS, type Sampling } from "../engine/options.js";
import { didYouMean } from "../lang/suggest.js";
import { UsageError } from "./errors.js";

/** Default paths for `run` and `report`: S(t) then has a standard error of at most 0.0016. */
export const DEFAULT_PATHS = 100_000;
/** `--precision` stops doubling here and says so. */
export const MAX_PRECISION_PATHS = 10_000_000;

const suffixes: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9 };

/**
 * Reads a count written as `1000`, `1e6`, `1_000_000`, `100k`, `2.5M`.
 * Returns undefined for text that is not such a number.
 */
export function parseCount(text: string): number | undefined {
  const m = /^\s*([0-9][0-9_]*(?:\.[0-9_]+)?(?:e[+]?[0-9]+)?)\s*([kmb])?\s*$/i.exec(text);
  if (!m || /__|_$|_\.|\._/.test(m[1]!)) return undefined;
  const value = Number(m[1]!.replaceAll("_", "")) * (m[2] ? suffixes[m[2].toLowerCase()]! : 1);
  return Number.isFinite(value) ? value : undefined;
}

export function maybePaths(text: string | undefined, fallback = DEFAULT_PATHS): number {
  if (text === undefined) return fallback;
  const n = parseCount(text);
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > MAX_PATHS) {
    throw new UsageError(
      `expected a whole number of paths from 1 to ${MAX_PATHS.toLocaleString("en-US")} for --paths, got '${text}' (forms: 100000, 1e6, 1_000_000, 100k)`,
    );
  }
  return n;
}

export function maybeSeed(text: string | undefined, fallback = 1): number {
  if (text === undefined) return fallback;
  const n = parseCount(text);
  if (n === undefined || !Number.isSafeInteger(n) || n < 0) {
    throw new UsageError(`expected a non-negative whole number below 2^53 for --seed, got '${text}'`);
  }
  return n;
}

export function maybeHorizon(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = parseCount(text);
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > 1200) {
    throw new UsageError(`expected a whole number of months from 1 to 1200 for --horizon, got '${text}'`);
  }
  return n;
}

export function maybeThreads(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = parseCount(text);
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > 1024) {
    throw new UsageError(`expected a whole number of threads from 1 to 1024 for --threads, got '${text}'`);
  }
  return n;
}

/**
 * Whether `run`'s flags give --precision's later rounds the worker threads started early
 * (precisionRoundThreads): --precision, and neither --threads nor --redis.
 */
export function precisionOnWorkers(flags: { precision?: unknown; threads?: unknown; redis?: unknown }): boolean {
  return flags.precision !== undefined && flags.threads === undefined && flags.redis === undefined;
}

/** A 95% half-width for S(horizon): `0.002` or `0.2%`, strictly between 0 and 0.5. */
export function maybePrecision(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*([0-9]*\.?[0-9]+(?:e-?[0-9]+)?)\s*(%)?\s*$/i.exec(text);
  const n = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(n > 0 && n < 0.5)) {
    throw new UsageError(`expected a half-width between 0 and 0.5 for --precision (e.g. 0.002 or 0.2%), got '${text}'`);
  }
  return n;
}

/** `a,b` → ["a", "b"], each checked against the scenario's levers. */
export function maybeLevers(text: string | undefined, known: readonly string[]): string[] {
  if (text === undefined) return [];
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const name of names) {
    if (!known.includes(name)) {
      const choices = known.length > 0 ? `expected one of ${known.join(", ")}` : "this scenario defines no levers";
      throw new UsageError(`unknown lever '${name}'; ${choices}`);
    }
  }
  return [...new Set(names)];
}

/** `--report a,b` → the series to summarise, each checked against the scenario's series. */
export function maybeReport(text: string | undefined, known: readonly string[]): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (names.length === 0) throw new UsageError("expected at least one series name for --report, e.g. --report cash");
  for (const name of names)
    if (!known.includes(name))
      throw new UsageError(
        `unknown series '${name}' in --report; ${didYouMean(name, known) ?? "name one of the scenario's series"}`,
      );
  return [...new Set(names)];
}

/** `--sampling rqmc|lhs|mc`. */
export function maybeSampling(text: string | undefined): Sampling | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().toLowerCase();
  if (!(SAMPLINGS as readonly string[]).includes(t))
    throw new UsageError(`expected rqmc, lhs or mc for --sampling, got '${text}'`);
  return t as Sampling;
}

/** `--replicates R`: independent scrambles of an rqmc or lhs run, at least 8. */
export function maybeReplicates(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = parseCount(text);
  if (n === undefined || !Number.isInteger(n) || n < MIN_REPLICATES || n > 1024)
    throw new UsageError(
      `expected a whole number of replicates from ${MIN_REPLICATES} to 1024 for --replicates, got '${text}'`,
    );
  return n;
}

/** Paths in one block; a chunk is whole blocks, so a run of n paths has at most ⌈n / 1024⌉ chunks. */
const BLOCK_PATHS = 1024;

/**
 * The threads worth starting for `--threads asked` on runs of at most `paths` paths: no more
 * than the machine's cores (more only take turns on them, each with its own memory) and no
 * more than the run has chunks (a worker without a chunk only costs its start). Says so on
 * stderr when it lowers the number.
 */
export function capThreads(
  asked: number | undefined,
  paths: number,
  cores = availableParallelism(),
  note: (text: string) => void = (text) => process.stderr.write(text + "\n"),
): number | undefined {
  if (asked === undefined) return undefined;
  const chunks = Math.max(1, Math.ceil(paths / BLOCK_PATHS));
  const capped = Math.max(1, Math.min(asked, cores, chunks));
  if (capped < asked) {
    const why =
      capped === chunks && chunks < cores
        ? `${paths.toLocaleString("en-US")} paths make ${chunks} chunk${chunks === 1 ? "" : "s"} of ${BLOCK_PATHS} paths`
        : `this machine has ${cores} core${cores === 1 ? "" : "s"}`;
    note(`note: --threads ${asked} uses ${capped} thread${capped === 1 ? "" : "s"}: ${why}`);
  }
  return capped;
}
