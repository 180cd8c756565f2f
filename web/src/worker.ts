// The page's simulation worker: checks the scenario text and runs the engine and the analyses
// (src/engine, src/analysis: the code the CLI runs) off the main thread, so a slider can move
// while paths run. The checked and compiled model is cached by text, so moving a slider or
// flipping a lever re-runs only the kernel.
//
// Three instances run: "run" (the live charts), "analyses" (levers table and tornado) and
// "tool" (goal-seek, hindsight, Sobol on request), so a slow analysis never delays a live re-run.

import {
  compileModel,
  simulateInProcess,
  type CompiledModel,
  type RunResult,
  type SimulateOptions,
} from "../../src/engine/index.js";
import { samplingPlan } from "../../src/engine/simulate.js";
import { provideJoeKuoTable } from "../../src/engine/qmc/sobol.js";
// The Sobol' direction numbers: a data file Node reads on demand, built into this worker as a string.
import joeKuoTable from "../../src/engine/qmc/joe-kuo.txt?raw";
import { checkText, flattenDiagnostic, formatExpr, type Diagnostic, type Model } from "../../src/lang/index.js";
import {
  AnalysisError,
  analyzeLevers,
  goalSeek,
  hindsight,
  pairedSurvival,
  paramMarginals,
  sobolIndices,
  tornado,
  type Marginal,
} from "../../src/analysis/index.js";
import type {
  CompareOutcome,
  FromWorker,
  LeverRow,
  ModelInfo,
  PageDiagnostic,
  ParamInfo,
  ToolResult,
  ToWorker,
  TornadoRow,
  Variant,
} from "./protocol.js";

provideJoeKuoTable(joeKuoTable);

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
    checked.info = describe(model, text);
  }
  if (cache.size > 16) cache.delete(cache.keys().next().value!);
  cache.set(text, checked);
  return checked;
}

/** A param as the page shows it; a slider spans its 5th–95th percentile when it has a distribution of its own. */
function paramInfo(p: Model["params"][number], marginal: Marginal | undefined, text: string): ParamInfo {
  const from = p.expr.span.start.offset;
  const to = p.expr.span.end.offset;
  const written = text.slice(from, to);
  const info: ParamInfo = {
    name: p.name,
    formula: written || formatExpr(p.expr),
    from,
    to,
    percent: /share|%|rate|fraction/i.test(p.unit ?? "") || /\d%/.test(written),
    discrete: false,
  };
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

function describe(model: Model, text: string): ModelInfo {
  const s = model.scenario;
  // As `outlast report` reads it: the goal's month where the scenario states one, else 24.
  const goal = s.goals ? /^alive@(\d+)\s*>=?\s*([0-9.eE+-]+)$/.exec(s.goals.target) : null;
  const marginals = new Map(paramMarginals(model).marginals.map((m) => [m.param, m]));
  const params = new Set(model.params.map((p) => p.name));
  return {
    name: s.name,
    start: `${s.start.year}-${String(s.start.month).padStart(2, "0")}`,
    horizon: model.horizon,
    params: model.params.map((p) => paramInfo(p, marginals.get(p.name), text)),
    levers: model.levers.map((l) => ({
      name: l.name,
      label: l.label,
      params: l.set.filter((x) => x.body.kind === "formula" && params.has(x.name)).map((x) => x.name),
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
    actuals: s.actuals.length,
    month: Math.min(goal ? Number(goal[1]) : 24, model.horizon),
    ...(s.goals ? { goal: s.goals.target } : {}),
  };
}

/** The levers and held params of a variant that its model knows (a compared scenario may lack some). */
function known(checked: Checked, v: Variant): { levers: string[]; fixed: Record<string, number> } {
  const levers = new Set(checked.model!.levers.map((l) => l.name));
  const params = new Set(checked.model!.params.map((p) => p.name));
  const fixed: Record<string, number> = {};
  for (const [k, x] of Object.entries(v.fixed)) if (params.has(k)) fixed[k] = x;
  return { levers: v.levers.filter((l) => levers.has(l)), fixed };
}

function simulate(
  checked: Checked,
  v: Variant,
  paths: number,
  seed: number,
  extra: Partial<SimulateOptions> = {},
): RunResult & { captures?: Float64Array[] } {
  // The place for the engine's sampling options (e.g. randomized QMC) once it has them: one
  // object, used by every live run.
  return simulateInProcess(checked.compiled!, { paths, seed, ...known(checked, v), ...extra });
}

function runtimeError(err: unknown): { error: string; errorAt?: PageDiagnostic } {
  if (err && typeof err === "object" && "diagnostic" in err) {
    const d = (err as { diagnostic: Diagnostic }).diagnostic;
    return { error: `${d.span.start.line}:${d.span.start.column} ${d.message}`, errorAt: flattenDiagnostic(d) };
  }
  return { error: err instanceof Error ? err.message : String(err) };
}

function run(msg: Extract<ToWorker, { type: "run" }>): FromWorker {
  const checked = check(msg.variant.text);
  const base = { type: "result" as const, id: msg.id, diagnostics: checked.diagnostics, ms: 0 };
  if (!checked.model) return base;
  const withInfo = { ...base, info: checked.info! };
  const started = performance.now();
  try {
    // The series asked for, or (when the model does not report it) the model's first.
    const reported = checked.model.reported;
    const asked = msg.report?.filter((r) => reported.includes(r));
    const report = msg.report ? { report: asked?.length ? asked : reported.slice(0, 1) } : {};
    const comparing = (msg.compare?.length ?? 0) > 0;
    const capture = { ...report, ...(comparing ? { capture: [{ kind: "runway" as const }] } : {}) };
    const { captures, ...result } = simulate(checked, msg.variant, msg.paths, msg.seed, capture);
    const compare: CompareOutcome[] = (msg.compare ?? []).map((variant) => {
      const other = check(variant.text);
      if (!other.model) return { diagnostics: other.diagnostics };
      const { captures: theirs, ...otherResult } = simulate(other, variant, msg.paths, msg.seed, {
        report: [],
        capture: [{ kind: "runway" }],
      });
      const horizon = Math.min(result.horizon, otherResult.horizon);
      return {
        result: otherResult,
        paired: pairedSurvival(captures![0]!, theirs![0]!, horizon, result.replicates ?? 0),
      };
    });
    const ms = performance.now() - started;
    return { ...withInfo, result, ms, ...(comparing ? { compare } : {}) };
  } catch (err) {
    return { ...withInfo, ms: performance.now() - started, ...runtimeError(err) };
  }
}

/**
 * The levers table (every combination, S(month) with its error) and the tornado (each param at
 * its 10th and 90th percentile), by the same analyses the CLI runs (src/analysis), in this worker,
 * on the headline's paths and seed: the tornado's baseline is the headline's S(month). Only the
 * months up to `month` are simulated (a path's draws do not depend on the horizon).
 */
async function analyses(msg: Extract<ToWorker, { type: "analyses" }>): Promise<FromWorker> {
  const started = performance.now();
  const checked = check(msg.variant.text);
  const model = checked.model;
  // The analyses' runs plan their paths as every run does (the default sampling).
  const plan = samplingPlan(msg.paths);
  const draws = { paths: plan.paths, sampling: plan.sampling, replicates: plan.replicates || null };
  const empty = { type: "analyses" as const, id: msg.id, levers: [], tornado: [], base: NaN, baseSe: NaN, draws };
  if (!model) return { ...empty, month: msg.month, ms: 0 };
  const month = Math.min(msg.month, model.horizon);
  const { levers: on, fixed } = known(checked, msg.variant);
  const base = { paths: msg.paths, seed: msg.seed, fixed, horizon: month };

  // 2^k variants: the table stops at six levers, as the page shows it.
  let levers: LeverRow[] = [];
  if (model.levers.length > 0 && model.levers.length <= 6) {
    const result = await analyzeLevers(checked.compiled!, { ...base, target: `alive@${month} >= 0.9` });
    levers = result.combinations.map((c) => ({ levers: c.levers, alive: c.value, se: c.se }));
  }

  let tornadoRows: TornadoRow[] = [];
  let baseline = { base: NaN, baseSe: NaN };
  try {
    const result = await tornado(checked.compiled!, { ...base, output: `alive@${month}`, levers: on });
    baseline = { base: result.base, baseSe: result.baseSe };
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
  return { ...empty, levers, tornado: tornadoRows, ...baseline, month, ms: performance.now() - started };
}

/** Goal-seek, hindsight and Sobol indices, as `outlast goal-seek`, `hindsight` and `sensitivity` run them. */
async function tool(msg: Extract<ToWorker, { type: "tool" }>): Promise<FromWorker> {
  const started = performance.now();
  const req = msg.request;
  const reply = (outcome: Extract<FromWorker, { type: "tool" }>["outcome"]): FromWorker => ({
    type: "tool",
    id: msg.id,
    outcome,
    ms: performance.now() - started,
  });
  const checked = check(msg.variant.text);
  if (!checked.compiled) return reply({ tool: req.tool, error: "the scenario has errors: fix them first" });
  const { levers, fixed } = known(checked, msg.variant);
  const base = { paths: msg.paths, seed: msg.seed, levers, fixed };
  try {
    let outcome: ToolResult;
    if (req.tool === "goal-seek") {
      const { [req.vary.split(".").pop()!]: _varied, ...others } = fixed;
      outcome = {
        tool: "goal-seek",
        result: await goalSeek(checked.compiled, {
          ...base,
          fixed: others,
          target: req.target,
          vary: req.vary,
          ...(req.range ? { range: req.range } : {}),
        }),
      };
    } else if (req.tool === "hindsight") {
      outcome = { tool: "hindsight", result: await hindsight(checked.compiled, base) };
    } else {
      outcome = {
        tool: "sobol",
        result: await sobolIndices(checked.compiled, {
          ...base,
          output: req.output,
          sobolPaths: req.n,
          bootstrap: 300,
        }),
      };
    }
    return reply(outcome);
  } catch (err) {
    if (err instanceof AnalysisError) return reply({ tool: req.tool, error: err.message });
    return reply({ tool: req.tool, ...runtimeError(err) });
  }
}

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  let reply: FromWorker;
  try {
    reply = msg.type === "run" ? run(msg) : msg.type === "analyses" ? await analyses(msg) : await tool(msg);
  } catch (err) {
    reply = {
      type: "internal-error",
      id: msg.id,
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    };
  }
  (self as unknown as Worker).postMessage(reply);
};
