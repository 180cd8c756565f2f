// The dashboard: scenario list and editor on the left; conditions, assumptions and charts on
// the right. Every change re-runs 10,000 paths in a Web Worker; "more paths" runs on the server.

import type { EditorView } from "@codemirror/view";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { RunResult } from "../../src/engine/result.js";
import { tornadoGivenNote } from "../../src/report/conditions.js";
import {
  api,
  ApiError,
  postForBlob,
  type SavedRun,
  type ScenarioSummary,
  type ScenarioVersion,
  type ServerRun,
} from "./api.js";
import { fanChart, runwayHistogram, survivalChart, tornadoChart } from "./charts.js";
import { createEditor, setEditorText, showDiagnostics } from "./editor.js";
import { download, downloadPng, downloadSvg, resultCsv } from "./export.js";
import { formatMoney, formatValue, isWebLink, percent, shareWithError } from "./format.js";
import type {
  FromWorker,
  LeverRow,
  ModelInfo,
  PageDiagnostic,
  PairedPoint,
  ToWorker,
  TornadoRow,
  Variant,
} from "./protocol.js";
import { WorkerRunner } from "./runner.js";

const LIVE_PATHS = 10_000;
const ANALYSIS_PATHS = 4_000;
const SEED = 1;
const SERVER_PATH_CHOICES = [100_000, 1_000_000, 2_000_000];

interface Current {
  id?: string;
  name: string;
  builtin: boolean;
  version?: number;
  /** The text of that version: while the editor holds it, server runs are filed under the scenario. */
  text?: string;
}

interface CompareTarget {
  label: string;
  variant: Variant;
}

type CompareOutcome = { result: RunResult; paired: PairedPoint[] } | { diagnostics: PageDiagnostic[] };

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "scenario"
  );
}

function idFromHash(): string | undefined {
  const m = /^#s=(.+)$/.exec(location.hash);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

export function App() {
  const [scenarios, setScenarios] = useState<ScenarioSummary[]>([]);
  const [query, setQuery] = useState("");
  const [current, setCurrent] = useState<Current>({ name: "", builtin: false });
  const [nameInput, setNameInput] = useState("");
  const [text, setText] = useState<string | null>(null);
  const [diagnostics, setDiagnostics] = useState<PageDiagnostic[]>([]);
  const [info, setInfo] = useState<ModelInfo>();
  const [levers, setLevers] = useState<string[]>([]);
  const [fixed, setFixed] = useState<Record<string, number>>({});
  const [live, setLive] = useState<{ result: RunResult; ms: number }>();
  const [runError, setRunError] = useState<string>();
  const [compareWith, setCompareWith] = useState<CompareTarget | null>(null);
  const [compare, setCompare] = useState<CompareOutcome>();
  const [analyses, setAnalyses] = useState<{ levers: LeverRow[]; tornado: TornadoRow[]; month: number; ms: number }>();
  const [serverPaths, setServerPaths] = useState(SERVER_PATH_CHOICES[1]!);
  const [serverRun, setServerRun] = useState<ServerRun | null>(null);
  const [serverResult, setServerResult] = useState<RunResult | null>(null);
  const [versions, setVersions] = useState<ScenarioVersion[]>([]);
  const [savedRuns, setSavedRuns] = useState<SavedRun[]>([]);
  const [seriesName, setSeriesName] = useState("cash");
  const [status, setStatus] = useState("");

  const editorHost = useRef<HTMLDivElement>(null);
  const editor = useRef<EditorView | undefined>(undefined);
  const liveRunner = useRef<WorkerRunner | undefined>(undefined);
  const analysisRunner = useRef<WorkerRunner | undefined>(undefined);
  const analysisRequest = useRef<Omit<Extract<ToWorker, { type: "analyses" }>, "id"> | undefined>(undefined);
  const analysisTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // The analyses start 400 ms after the last change, so a moving slider does not start them on
  // every step; the live run interrupts them, and they start again after it.
  const scheduleAnalyses = () => {
    clearTimeout(analysisTimer.current);
    analysisTimer.current = setTimeout(() => {
      const req = analysisRequest.current;
      if (req) analysisRunner.current?.request(req);
    }, 400);
  };
  const pollTimer = useRef<number | undefined>(undefined);
  /** A saved run's result to show once the settings it ran with are in place. */
  const pendingShow = useRef<RunResult | null>(null);

  // ---- workers -------------------------------------------------------------------------

  useEffect(() => {
    const onLive = (reply: FromWorker) => {
      if (reply.type === "internal-error") {
        setRunError(`internal error in the simulation worker: ${reply.message}`);
        return;
      }
      if (reply.type !== "result") return;
      setDiagnostics(reply.diagnostics);
      if (editor.current) showDiagnostics(editor.current, reply.diagnostics);
      if (reply.info) setInfo(reply.info);
      setRunError(reply.error);
      if (reply.result) setLive({ result: reply.result, ms: reply.ms });
      setCompare(reply.compare);
    };
    const onAnalysis = (reply: FromWorker) => {
      if (reply.type === "analyses") setAnalyses(reply);
    };
    liveRunner.current = new WorkerRunner(onLive);
    analysisRunner.current = new WorkerRunner(onAnalysis);
    return () => {
      liveRunner.current?.terminate();
      analysisRunner.current?.terminate();
    };
  }, []);

  // Only the series on screen is summarised: the others cost time on every re-run.
  const seriesChoices = info?.reported ?? [];
  const fanSeries = seriesChoices.includes(seriesName) ? seriesName : seriesChoices[0];

  useEffect(() => {
    if (text === null) return;
    // A live run that interrupts the analyses must start them again: a change of the fan chart's
    // series (or of the comparison) does not re-run the effect below, and the analyses dropped
    // here were never shown (the levers table stayed empty when the first run's reply came
    // after they had started).
    if (analysisRunner.current?.interrupt()) scheduleAnalyses();
    liveRunner.current?.request({
      type: "run",
      variant: { text, levers, fixed },
      paths: LIVE_PATHS,
      seed: SEED,
      report: fanSeries ? [fanSeries] : [],
      ...(compareWith ? { compare: compareWith.variant } : {}),
    });
  }, [text, levers, fixed, compareWith, fanSeries]);

  useEffect(() => {
    setServerResult(pendingShow.current);
    pendingShow.current = null;
  }, [text, levers, fixed]);

  useEffect(() => {
    if (text === null) return;
    analysisRequest.current = {
      type: "analyses",
      variant: { text, levers, fixed },
      paths: ANALYSIS_PATHS,
      seed: SEED,
      month: 24,
    };
    scheduleAnalyses();
    return () => clearTimeout(analysisTimer.current);
  }, [text, levers, fixed]);

  // ---- editor and scenarios --------------------------------------------------------------

  useEffect(() => {
    if (!editorHost.current) return;
    editor.current = createEditor(editorHost.current, "", (t) => setText(t));
    return () => editor.current?.destroy();
  }, []);

  async function refreshList(q = query) {
    try {
      setScenarios(await api.listScenarios(q));
    } catch (err) {
      setStatus(`could not list scenarios: ${(err as Error).message}`);
    }
  }

  async function open(id: string) {
    try {
      const s = await api.getScenario(id);
      setCurrent({ id: s.id, name: s.name, builtin: s.builtin, version: s.version, text: s.text });
      setNameInput(s.builtin ? `${s.name} (my copy)` : s.name);
      setLevers([]);
      setFixed({});
      setAnalyses(undefined);
      if (editor.current) setEditorText(editor.current, s.text);
      setText(s.text);
      history.replaceState(null, "", `#s=${encodeURIComponent(s.id)}`);
      setStatus("");
      await refreshHistory(s.id, s.builtin);
    } catch (err) {
      setStatus(`could not open the scenario: ${(err as Error).message}`);
    }
  }

  /** The saved versions (newest first) and the server runs of a scenario. */
  async function refreshHistory(id: string | undefined = current.id, builtin = current.builtin) {
    if (!id) {
      setVersions([]);
      setSavedRuns([]);
      return;
    }
    try {
      setVersions(builtin ? [] : await api.listVersions(id));
      setSavedRuns(await api.listRuns(id));
    } catch (err) {
      setStatus(`could not read the history: ${(err as Error).message}`);
    }
  }

  function loadText(newText: string) {
    if (editor.current) setEditorText(editor.current, newText);
    setText(newText);
  }

  function loadVersion(v: ScenarioVersion) {
    loadText(v.text);
    setStatus(`version ${v.version} is in the editor; saving makes it the latest version`);
  }

  /** Shows a saved run's result, with the version, conditions and held params it ran with. */
  async function showRun(r: SavedRun) {
    try {
      const run = await api.getRun(r.id);
      if (!run.summary) return setStatus(`that run has no result (${run.status})`);
      const version = versions.find((v) => v.version === r.scenarioVersion);
      const runText = version?.text ?? current.text;
      pendingShow.current = run.summary;
      if (runText !== undefined && runText !== text) loadText(runText);
      setLevers([...r.levers]);
      setFixed({ ...r.fixed });
      setServerResult(run.summary);
      setStatus(`showing the server run of ${new Date(r.createdAt).toLocaleString("en-GB")}`);
    } catch (err) {
      setStatus(`could not load the run: ${(err as Error).message}`);
    }
  }

  useEffect(() => {
    void (async () => {
      const list = await api.listScenarios().catch(() => [] as ScenarioSummary[]);
      setScenarios(list);
      const wanted = idFromHash();
      const first = list.find((s) => s.id === wanted) ?? list.find((s) => s.id === "builtin:openai-2024") ?? list[0];
      if (first) await open(first.id);
      else setText("");
    })();
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => void refreshList(query), 150);
    return () => clearTimeout(timer);
  }, [query]);

  async function save(asNew: boolean) {
    if (text === null) return;
    const name = nameInput.trim() || info?.name || "untitled";
    try {
      const saved =
        current.id && !current.builtin && !asNew
          ? await api.updateScenario(current.id, name, text)
          : await api.createScenario(name, text);
      setCurrent({ id: saved.id, name: saved.name, builtin: false, version: saved.version, text: saved.text });
      setNameInput(saved.name);
      await refreshHistory(saved.id, false);
      history.replaceState(null, "", `#s=${encodeURIComponent(saved.id)}`);
      setStatus(`saved "${saved.name}" (version ${saved.version})`);
      await refreshList();
    } catch (err) {
      if (err instanceof ApiError && err.diagnostics.length > 0) {
        setStatus(`not saved: the scenario has ${err.diagnostics.length} problem(s), shown in the editor`);
      } else {
        setStatus(`not saved: ${(err as Error).message}`);
      }
    }
  }

  async function remove() {
    if (!current.id || current.builtin) return;
    if (!confirm(`Delete "${current.name}"? Its versions stay in the database.`)) return;
    await api.deleteScenario(current.id);
    setStatus(`deleted "${current.name}"`);
    const list = await api.listScenarios();
    setScenarios(list);
    const next = list.find((s) => s.id === "builtin:openai-2024") ?? list[0];
    if (next) await open(next.id);
  }

  // ---- compare -------------------------------------------------------------------------

  async function chooseCompare(value: string) {
    if (value === "") return setCompareWith(null);
    if (value === "pin") {
      if (text === null) return;
      const on = levers.length ? levers.join(" + ") : "no levers";
      const held = Object.keys(fixed).length ? `, ${Object.keys(fixed).length} held` : "";
      return setCompareWith({
        label: `pinned: ${on}${held}`,
        variant: { text, levers: [...levers], fixed: { ...fixed } },
      });
    }
    const s = await api.getScenario(value);
    setCompareWith({ label: s.name, variant: { text: s.text, levers: [], fixed: {} } });
  }

  // ---- server runs ---------------------------------------------------------------------

  async function runOnServer() {
    if (text === null) return;
    try {
      // Unchanged since opened or saved: filed under the scenario and its version, so it is listed
      // in the scenario's history and can be reproduced from it. Edited text runs as it is.
      const scenario =
        current.id && current.version !== undefined && text === current.text
          ? { scenarioId: current.id, ...(current.builtin ? {} : { version: current.version }) }
          : { text };
      const run = await api.startRun({ ...scenario, levers, fixed, paths: serverPaths, seed: SEED });
      setServerRun(run);
      const poll = async () => {
        const now = await api.getRun(run.id);
        setServerRun(now);
        if (now.status === "running" || now.status === "queued")
          pollTimer.current = window.setTimeout(() => void poll(), 300);
        else {
          if (now.summary) setServerResult(now.summary);
          void refreshHistory();
        }
      };
      pollTimer.current = window.setTimeout(() => void poll(), 200);
    } catch (err) {
      setStatus(`server run refused: ${(err as Error).message}`);
    }
  }

  async function cancelServerRun() {
    if (!serverRun) return;
    clearTimeout(pollTimer.current);
    const now = await api.cancelRun(serverRun.id);
    setServerRun(now);
    if (now.summary) setServerResult(now.summary);
    void refreshHistory();
  }

  // ---- derived -------------------------------------------------------------------------

  const shown: RunResult | undefined = serverResult ?? live?.result;
  const horizon = shown?.horizon ?? info?.horizon ?? 24;
  const month24 = Math.min(24, horizon);
  const errors = diagnostics.filter((d) => d.severity === "error");
  const seriesInfo = info?.series.find((s) => s.name === fanSeries);
  const comparison = compare && "result" in compare ? compare : undefined;

  const fanDeps = [shown, fanSeries];
  const survivalDeps = [shown, comparison];

  const visibleScenarios = useMemo(() => scenarios, [scenarios]);

  /** The shown run with every reported series: the server's, or a fresh one in a worker. */
  function fullResult(): Promise<RunResult | undefined> {
    if (serverResult) return Promise.resolve(serverResult);
    if (text === null) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const runner = new WorkerRunner((reply) => {
        runner.terminate();
        resolve(reply.type === "result" ? reply.result : undefined);
      });
      runner.request({ type: "run", variant: { text, levers, fixed }, paths: LIVE_PATHS, seed: SEED });
    });
  }

  async function exportCsv() {
    setStatus("preparing the CSV…");
    const result = await fullResult();
    if (!result) return setStatus("nothing to export: the scenario does not run");
    download(new Blob([resultCsv(result)], { type: "text/csv" }), `outlast-${slug(info?.name ?? "run")}.csv`);
    setStatus("CSV downloaded");
  }

  async function exportXlsx() {
    if (text === null) return;
    try {
      setStatus("preparing the workbook…");
      const result = await fullResult();
      if (!result) return setStatus("nothing to export: the scenario does not run");
      const blob = await postForBlob("/api/export/xlsx", { text, result });
      download(blob, `outlast-${slug(info?.name ?? "run")}.xlsx`);
      setStatus("workbook downloaded");
    } catch (err) {
      setStatus(`workbook not made: ${(err as Error).message}`);
    }
  }

  return (
    <div class="page">
      <header class="top">
        <h1>outlast</h1>
        <span class="subtitle">{info ? `${info.name} · from ${info.start} · ${info.horizon} months` : "loading…"}</span>
        <span class="status" role="status" data-testid="status">
          {status}
        </span>
      </header>

      <aside class="side">
        <details open class="scenarios">
          <summary>Scenarios</summary>
          <input
            type="search"
            placeholder="Find a scenario"
            aria-label="find a scenario"
            value={query}
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          />
          <ul data-testid="scenario-list">
            {visibleScenarios.map((s) => (
              <li key={s.id}>
                <button
                  class={s.id === current.id ? "scenario current" : "scenario"}
                  onClick={() => void open(s.id)}
                  data-id={s.id}
                >
                  {s.name}
                  <small>{s.builtin ? " built-in" : ` v${s.version}`}</small>
                </button>
              </li>
            ))}
          </ul>
        </details>

        <div class="save">
          <input
            aria-label="scenario name"
            value={nameInput}
            onInput={(e) => setNameInput((e.target as HTMLInputElement).value)}
          />
          <button onClick={() => void save(false)} data-testid="save">
            {current.id && !current.builtin ? "Save" : "Save as new"}
          </button>
          {current.id && !current.builtin ? <button onClick={() => void save(true)}>Save copy</button> : null}
          {current.id && !current.builtin ? <button onClick={() => void remove()}>Delete</button> : null}
        </div>

        <div class="editor" ref={editorHost} />
        <ul class="diagnostics" data-testid="diagnostics">
          {diagnostics.map((d, i) => (
            <li key={i} class={d.severity} data-line={d.line} data-column={d.column}>
              <code>
                {d.line}:{d.column}
              </code>{" "}
              {d.severity}[{d.code}]: {d.message}
              {d.hint ? <span class="hint"> — {d.hint}</span> : null}
            </li>
          ))}
        </ul>

        {current.id ? (
          <details class="history" open aria-label="history">
            <summary>History</summary>
            {versions.length > 0 ? (
              <>
                <h3>Saved versions</h3>
                <ul data-testid="versions">
                  {versions.map((v) => (
                    <li key={v.version}>
                      v{v.version} · {new Date(v.createdAt).toLocaleString("en-GB")}
                      {v.name !== current.name ? ` · ${v.name}` : ""}{" "}
                      <button onClick={() => loadVersion(v)} data-version={v.version}>
                        Load
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <h3>Server runs of this scenario</h3>
            {savedRuns.length === 0 ? (
              <p class="meta">
                none yet: “Run” under “More paths” files one here while the editor holds a saved version
              </p>
            ) : (
              <ul data-testid="saved-runs">
                {savedRuns.slice(0, 20).map((r) => (
                  <li key={r.id} data-status={r.status}>
                    {new Date(r.createdAt).toLocaleString("en-GB")} · {r.paths.toLocaleString("en")} paths
                    {current.builtin ? "" : ` · v${r.scenarioVersion}`}
                    {r.levers.length ? ` · ${r.levers.join(" + ")}` : ""}
                    {Object.keys(r.fixed).length ? ` · ${Object.keys(r.fixed).length} held` : ""} · {r.status}{" "}
                    {r.status === "done" || r.status === "cancelled" ? (
                      <button onClick={() => void showRun(r)} data-run={r.id}>
                        Show
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </details>
        ) : null}
      </aside>

      <main class="main">
        <section class="numbers" aria-label="key results">
          <Stat
            testid="s24"
            label={`S(${month24})`}
            value={shown ? shareWithError(shown.survival[month24 - 1]!.alive, shown.survival[month24 - 1]!.se) : "…"}
          />
          <Stat
            testid="sH"
            label={`S(${horizon})`}
            value={shown ? shareWithError(shown.runway.aliveAtHorizon, shown.runway.aliveAtHorizonSe) : "…"}
          />
          <Stat
            testid="runway"
            label="median runway"
            value={
              shown ? (shown.runway.median > horizon ? `> ${horizon} months` : `${shown.runway.median} months`) : "…"
            }
          />
          {shown?.shortfall ? (
            <Stat
              testid="shortfall"
              label="shortfall (median / 90th)"
              value={`${formatMoney(shown.shortfall.p50)} / ${formatMoney(shown.shortfall.p90)}`}
            />
          ) : null}
          <p class="meta" data-testid="run-meta">
            {serverResult
              ? `server run: ${serverResult.paths.toLocaleString("en")} paths${serverResult.partial ? " (partial)" : ""}`
              : live
                ? `${live.result.paths.toLocaleString("en")} paths in ${live.ms.toFixed(0)} ms (in your browser)`
                : errors.length
                  ? "fix the scenario's errors to run it"
                  : "running…"}
          </p>
          {runError ? (
            <p class="error" role="alert">
              {runError}
            </p>
          ) : null}
        </section>

        {info && info.levers.length > 0 ? (
          <section class="levers" aria-label="conditions">
            <h2>Conditions</h2>
            {info.levers.map((l) => {
              const on = levers.includes(l.name);
              return (
                <div class="lever" key={l.name}>
                  <button
                    role="switch"
                    aria-checked={on}
                    data-lever={l.name}
                    class={on ? "switch on" : "switch"}
                    onClick={() => setLevers(on ? levers.filter((x) => x !== l.name) : [...levers, l.name])}
                  >
                    <span class="knob" aria-hidden="true" />
                    {l.label}
                  </button>
                  {l.source ? <small class="source">{l.source}</small> : null}
                </div>
              );
            })}
          </section>
        ) : null}

        <section class="server" aria-label="more paths">
          <label>
            More paths on the server:{" "}
            <select value={serverPaths} onChange={(e) => setServerPaths(Number((e.target as HTMLSelectElement).value))}>
              {SERVER_PATH_CHOICES.map((n) => (
                <option value={n} key={n}>
                  {n.toLocaleString("en")}
                </option>
              ))}
            </select>
          </label>{" "}
          {serverRun?.status === "running" || serverRun?.status === "queued" ? (
            <>
              <progress
                max={serverRun.progress?.pathsTotal ?? serverRun.paths}
                value={serverRun.progress?.pathsDone ?? 0}
                data-testid="server-progress"
              />
              <button onClick={() => void cancelServerRun()}>Cancel</button>
            </>
          ) : (
            <button onClick={() => void runOnServer()} disabled={errors.length > 0 || text === null}>
              Run
            </button>
          )}
          {serverRun && serverRun.status !== "running" && serverRun.status !== "queued" ? (
            <small>
              {" "}
              last server run: {serverRun.status}
              {serverRun.error ? ` (${serverRun.error})` : ""}
            </small>
          ) : null}
        </section>

        <section class="compare" aria-label="compare">
          <label>
            Compare with:{" "}
            <select
              aria-label="compare with"
              value={compareWith ? "__set" : ""}
              onChange={(e) => void chooseCompare((e.target as HTMLSelectElement).value)}
            >
              <option value="">nothing</option>
              {compareWith ? <option value="__set">{compareWith.label}</option> : null}
              <option value="pin">these settings (pin them, then change)</option>
              {scenarios.map((s) => (
                <option value={s.id} key={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          {compare && "diagnostics" in compare ? <p class="error">the compared scenario has errors</p> : null}
          {comparison ? (
            <table class="paired" data-testid="paired">
              <caption>Current − {compareWith?.label}, paired by path (same seed): difference ± 1.96 SE</caption>
              <thead>
                <tr>
                  <th>month</th>
                  <th>current</th>
                  <th>compared</th>
                  <th>difference</th>
                </tr>
              </thead>
              <tbody>
                {[12, 24, comparison.paired.length]
                  .filter((m, i, all) => m <= comparison.paired.length && all.indexOf(m) === i)
                  .map((m) => {
                    const d = comparison.paired[m - 1]!;
                    return (
                      <tr key={m}>
                        <td>{m}</td>
                        <td>{shown ? percent(shown.survival[m - 1]?.alive ?? NaN) : ""}</td>
                        <td>{percent(comparison.result.survival[m - 1]?.alive ?? NaN)}</td>
                        <td>
                          {(d.diff >= 0 ? "+" : "") + percent(d.diff)} ± {percent(1.96 * d.se)}
                        </td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          ) : null}
        </section>

        {shown ? (
          <>
            <Figure
              id="survival"
              title="Survival S(t) with its 95% band"
              deps={survivalDeps}
              build={(w) =>
                survivalChart(
                  comparison
                    ? [
                        { label: "current", result: shown },
                        { label: compareWith?.label ?? "compared", result: comparison.result },
                      ]
                    : [{ label: "current", result: shown }],
                  w,
                )
              }
            />
            <Figure
              id="fan"
              title={
                <>
                  Fan chart of{" "}
                  <select
                    aria-label="series"
                    value={fanSeries}
                    onChange={(e) => setSeriesName((e.target as HTMLSelectElement).value)}
                  >
                    {seriesChoices.map((s) => (
                      <option key={s}>{s}</option>
                    ))}
                  </select>{" "}
                  (5–95%, 25–75%, median)
                </>
              }
              deps={fanDeps}
              build={(w) =>
                fanSeries && shown.series[fanSeries]
                  ? fanChart(shown.series[fanSeries]!, {
                      name: fanSeries,
                      start: shown.start,
                      width: w,
                      ...(seriesInfo?.unit ? { unit: seriesInfo.unit } : {}),
                    })
                  : null
              }
            />
            <Figure
              id="runway"
              title="Runway: month of death"
              deps={[shown]}
              build={(w) => runwayHistogram(shown, w)}
            />
          </>
        ) : null}

        {analyses && analyses.tornado.length > 0 && live ? (
          <Figure
            id="tornado"
            title={`Tornado: S(${analyses.month}) with each param at its 10th and 90th percentile (${ANALYSIS_PATHS.toLocaleString("en")} paths)`}
            deps={[analyses]}
            build={(w) => tornadoChart(analyses.tornado, analysesBase(analyses, levers), analyses.month, w)}
          />
        ) : null}
        {analyses && analyses.tornado.length > 0 && live && tornadoGivenNote(analyses.tornado) ? (
          <p class="hint" data-note="tornado-given">
            {tornadoGivenNote(analyses.tornado)}
          </p>
        ) : null}

        {analyses && analyses.levers.length > 1 ? (
          <section class="lever-table">
            <h2>
              Levers: S({analyses.month}) for each combination ({ANALYSIS_PATHS.toLocaleString("en")} paths, same seed)
            </h2>
            <div class="scroll">
              <table data-testid="lever-table">
                <thead>
                  <tr>
                    {info?.levers.slice(0, 6).map((l) => (
                      <th key={l.name} title={l.label}>
                        {l.name}
                      </th>
                    ))}
                    <th>S({analyses.month})</th>
                  </tr>
                </thead>
                <tbody>
                  {[...analyses.levers]
                    .sort((a, b) => b.alive - a.alive)
                    .map((row) => {
                      const isCurrent =
                        row.levers.length === levers.length && row.levers.every((l) => levers.includes(l));
                      return (
                        <tr key={row.levers.join("+")} class={isCurrent ? "current" : ""}>
                          {info?.levers.slice(0, 6).map((l) => (
                            <td key={l.name}>{row.levers.includes(l.name) ? "●" : ""}</td>
                          ))}
                          <td>{shareWithError(row.alive, row.se)}</td>
                        </tr>
                      );
                    })}
                </tbody>
              </table>
            </div>
          </section>
        ) : null}

        {info ? (
          <section class="assumptions" aria-label="assumptions">
            <h2>Assumptions and their sources</h2>
            {info.params.map((p) => {
              const held = fixed[p.name];
              const hasSlider = p.lo !== undefined && p.hi !== undefined;
              const step = p.discrete ? 1 : (p.hi! - p.lo!) / 200;
              return (
                <div class="param" key={p.name}>
                  <div class="param-head">
                    <strong>{p.label ?? p.name}</strong> <code>{p.name}</code>{" "}
                    <span class="formula">= {p.formula}</span>
                  </div>
                  {hasSlider ? (
                    <div class="slider">
                      <input
                        type="range"
                        data-param={p.name}
                        aria-label={`${p.label ?? p.name}: hold at a value`}
                        min={p.lo}
                        max={p.hi}
                        step={step}
                        value={held ?? p.median}
                        onInput={(e) => setFixed({ ...fixed, [p.name]: Number((e.target as HTMLInputElement).value) })}
                      />
                      <span class="held">
                        {held !== undefined
                          ? `held at ${formatValue(held, p.unit)}`
                          : `drawn (5–95%: ${formatValue(p.lo!, p.unit)} – ${formatValue(p.hi!, p.unit)})`}
                      </span>
                      {held !== undefined ? (
                        <button
                          class="small"
                          onClick={() => {
                            const { [p.name]: _drop, ...rest } = fixed;
                            setFixed(rest);
                          }}
                        >
                          draw again
                        </button>
                      ) : null}
                    </div>
                  ) : null}
                  <small class="source">{p.source ? `source: ${p.source}` : "no source given"}</small>
                </div>
              );
            })}
            {info.sources.length > 0 ? (
              <>
                <h3>Sources</h3>
                <ul class="sources">
                  {info.sources.map((s) => (
                    <li key={s.id}>
                      <code>{s.id}</code>{" "}
                      {s.url && isWebLink(s.url) ? (
                        <a href={s.url} target="_blank" rel="noreferrer noopener">
                          {s.title}
                        </a>
                      ) : (
                        s.title
                      )}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        ) : null}

        <section class="exports" aria-label="export">
          <h2>Export</h2>
          <button data-testid="export-csv" disabled={!shown} onClick={() => void exportCsv()}>
            Results as CSV
          </button>{" "}
          <button data-testid="export-xlsx" disabled={!shown} onClick={() => void exportXlsx()}>
            Workbook (XLSX)
          </button>
        </section>
      </main>
    </div>
  );
}

function analysesBase(a: { levers: LeverRow[] }, levers: readonly string[]): number {
  const row = a.levers.find((r) => r.levers.length === levers.length && r.levers.every((l) => levers.includes(l)));
  return row?.alive ?? a.levers[0]?.alive ?? 0;
}

function Stat(props: { label: string; value: string; testid: string }) {
  return (
    <div class="stat">
      <div class="stat-label">{props.label}</div>
      <div class="stat-value" data-testid={props.testid}>
        {props.value}
      </div>
    </div>
  );
}

function Figure(props: {
  id: string;
  title: preact.ComponentChildren;
  deps: unknown[];
  build: (width: number) => Element | null;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = host.current!;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver((entries) => setWidth(Math.floor(entries[0]!.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    if (!host.current || width === 0) return;
    const chart = props.build(Math.max(280, width));
    host.current.replaceChildren(...(chart ? [chart] : []));
  }, [...props.deps, width]);
  return (
    <figure class="chart" data-chart={props.id}>
      <figcaption>
        <span>{props.title}</span>
        <span class="chart-actions">
          <button class="small" onClick={() => host.current && downloadSvg(host.current, `outlast-${props.id}.svg`)}>
            SVG
          </button>
          <button
            class="small"
            onClick={() => host.current && void downloadPng(host.current, `outlast-${props.id}.png`)}
          >
            PNG
          </button>
        </span>
      </figcaption>
      <div class="chart-body" ref={host} />
    </figure>
  );
}
