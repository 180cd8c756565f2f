// The page's simulation worker: checks the scenario text and runs the engine in process, off
// the main thread, so a slider can move while paths run. The checked and compiled model is
// cached by text, so moving a slider or flipping a lever re-runs only the kernel.
//
// Two instances run: one answers "run" (the live charts), the other "analyses" (levers table
// and tornado), so a slow analysis never delays the live re-run.

import {
  compileModel,
  simulateInProcess,
  type CompiledModel,
  type RunResult,
  type SimulateOptions,
} from "../../src/engine/index.js";
import { checkText, flattenDiagnostic, formatExpr, type Diagnostic, type Model } from "../../src/lang/index.js";
import {
  AnalysisError,
  analyzeLevers,
  pairedSurvival,
  paramMarginals,
  tornado,
  type Marginal,
} from "../../src/analysis/index.js";
import type {
  FromWorker,
  LeverRow,
  ModelInfo,
  PageDiagnostic,
  ParamInfo,
  ToWorker,
  TornadoRow,
  Variant,
} from "./protocol.js";

interface Checked {
  diagnostics: PageDiagnostic[];
  model?: Model;
  compiled?: CompiledModel;
  info?: ModelInfo;
}

const cache = new Map<string, Checked>();

function check(text: string): Checked {
  const hit = cache.get(text);
  if (hit) return hit;
  const { model, diagnostics } = checkText(text, "scenario.yaml");
  const checked: Checked = { diagnostics: diagnostics.map(flattenDiagnostic) };
  if (model) {
    checked.model = model;
    checked.compiled = compileModel(model);
    checked.info = describe(model);
  }
  if (cache.size > 16) cache.delete(cache.keys().next().value!);
  cache.set(text, checked);
  return checked;
}

/** A param as the page shows it; a slider spans its 5th–95th percentile when it has a distribution of its own. */
function paramInfo(p: Model["params"][number], marginal: Marginal | undefined): ParamInfo {
  const info: ParamInfo = { name: p.name, formula: formatExpr(p.expr), discrete: false };
  if (p.label !== undefined) info.label = p.label;
  if (p.unit !== undefined) info.unit = p.unit;
  if (p.source !== undefined) info.source = p.source;
  if (marginal) {
    const lo = marginal.quantile(0.05);
    const hi = marginal.quantile(0.95);
    const median = marginal.quantile(0.5);
    if (Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)
      Object.assign(info, { lo, hi, median, discrete: marginal.discrete });
  }
  return info;
}

function describe(model: Model): ModelInfo {
  const s = model.scenario;
  const marginals = new Map(paramMarginals(model).marginals.map((m) => [m.param, m]));
  return {
    name: s.name,
    start: `${s.start.year}-${String(s.start.month).padStart(2, "0")}`,
    horizon: model.horizon,
    params: model.params.map((p) => paramInfo(p, marginals.get(p.name))),
    levers: model.levers.map((l) => ({
      name: l.name,
      label: l.label,
      ...(l.description !== undefined ? { description: l.description } : {}),
      ...(l.source !== undefined ? { source: l.source } : {}),
    })),
    series: model.series.map((x) => ({
      name: x.name,
      ...(x.label !== undefined ? { label: x.label } : {}),
      ...(x.unit !== undefined ? { unit: x.unit } : {}),
      ...(x.source !== undefined ? { source: x.source } : {}),
    })),
    reported: model.reported,
    sources: s.sources.map((x) => ({ id: x.id, title: x.title, ...(x.url !== undefined ? { url: x.url } : {}) })),
  };
}

function simulate(
  checked: Checked,
  v: Variant,
  paths: number,
  seed: number,
  extra: Partial<SimulateOptions> = {},
): RunResult & { captures?: Float64Array[] } {
  const known = new Set(checked.model!.levers.map((l) => l.name));
  const params = new Set(checked.model!.params.map((p) => p.name));
  const fixed: Record<string, number> = {};
  for (const [k, x] of Object.entries(v.fixed)) if (params.has(k)) fixed[k] = x;
  return simulateInProcess(checked.compiled!, {
    paths,
    seed,
    levers: v.levers.filter((l) => known.has(l)),
    fixed,
    ...extra,
  });
}

function errorText(err: unknown): string {
  if (err && typeof err === "object" && "diagnostic" in err) {
    const d = (err as { diagnostic: Diagnostic }).diagnostic;
    return `${d.span.start.line}:${d.span.start.column} ${d.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

function run(msg: Extract<ToWorker, { type: "run" }>): FromWorker {
  const checked = check(msg.variant.text);
  const base = { type: "result" as const, id: msg.id, diagnostics: checked.diagnostics, ms: 0 };
  if (!checked.model) return base;
  const withInfo = { ...base, info: checked.info! };
  const started = performance.now();
  try {
    const known = new Set(checked.model.reported);
    const report = msg.report ? { report: msg.report.filter((r) => known.has(r)) } : {};
    const capture = { ...report, ...(msg.compare ? { capture: [{ kind: "runway" as const }] } : {}) };
    const { captures, ...result } = simulate(checked, msg.variant, msg.paths, msg.seed, capture);
    let compare: Extract<FromWorker, { type: "result" }>["compare"];
    if (msg.compare) {
      const other = check(msg.compare.text);
      if (!other.model) {
        compare = { diagnostics: other.diagnostics };
      } else {
        const { captures: otherCaptures, ...otherResult } = simulate(other, msg.compare, msg.paths, msg.seed, {
          report: [],
          capture: [{ kind: "runway" }],
        });
        const horizon = Math.min(result.horizon, otherResult.horizon);
        compare = {
          result: otherResult,
          paired: pairedSurvival(captures![0]!, otherCaptures![0]!, horizon, result.replicates ?? 0),
        };
      }
    }
    const ms = performance.now() - started;
    return { ...withInfo, result, ms, ...(compare ? { compare } : {}) };
  } catch (err) {
    return { ...withInfo, ms: performance.now() - started, error: errorText(err) };
  }
}

/**
 * The levers table (every combination, S(month) with its error) and the tornado (each param at
 * its 10th and 90th percentile), by the same analyses the CLI runs (src/analysis), in this worker.
 */
async function analyses(msg: Extract<ToWorker, { type: "analyses" }>): Promise<FromWorker> {
  const started = performance.now();
  const checked = check(msg.variant.text);
  const model = checked.model;
  if (!model) return { type: "analyses", id: msg.id, levers: [], tornado: [], month: msg.month, ms: 0 };
  const month = Math.min(msg.month, model.horizon);
  const known = new Set(model.levers.map((l) => l.name));
  const params = new Set(model.params.map((p) => p.name));
  const fixed: Record<string, number> = {};
  for (const [k, x] of Object.entries(msg.variant.fixed)) if (params.has(k)) fixed[k] = x;
  const base = { paths: msg.paths, seed: msg.seed, fixed };

  // 2^k variants: the table stops at six levers, as the page shows it.
  let levers: LeverRow[] = [];
  if (model.levers.length > 0 && model.levers.length <= 6) {
    const result = await analyzeLevers(checked.compiled!, { ...base, target: `alive@${month} >= 0.9` });
    levers = result.combinations.map((c) => ({ levers: c.levers, alive: c.value, se: c.se }));
  }

  let tornadoRows: TornadoRow[] = [];
  try {
    const result = await tornado(checked.compiled!, {
      ...base,
      output: `alive@${month}`,
      levers: msg.variant.levers.filter((l) => known.has(l)),
    });
    const label = new Map(model.params.map((p) => [p.name, p.label ?? p.name]));
    tornadoRows = result.tornado.slice(0, 12).map((b) => ({
      param: b.param,
      label: label.get(b.param) ?? b.param,
      lowValue: b.lowValue,
      highValue: b.highValue,
      low: b.low,
      high: b.high,
      given: b.given,
    }));
  } catch (err) {
    if (!(err instanceof AnalysisError)) throw err; // e.g. no param has a distribution of its own
  }
  return { type: "analyses", id: msg.id, levers, tornado: tornadoRows, month, ms: performance.now() - started };
}

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  let reply: FromWorker;
  try {
    reply = msg.type === "run" ? run(msg) : await analyses(msg);
  } catch (err) {
    reply = {
      type: "internal-error",
      id: msg.id,
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    };
  }
  (self as unknown as Worker).postMessage(reply);
};
