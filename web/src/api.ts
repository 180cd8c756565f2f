// The server's JSON API, as the page uses it. The record types are the server's own
// (src/server/records.ts, types only).

import type { RunResult } from "../../src/engine/result.js";
import type {
  RunRecord,
  RunView,
  ScenarioListItem,
  ScenarioRecord,
  ScenarioVersion,
} from "../../src/server/records.js";
import type { PageDiagnostic } from "./protocol.js";

/** What the scenario list gives: each scenario without its text. */
export type ScenarioSummary = ScenarioListItem;
/** One scenario with its text. */
export type ScenarioFull = ScenarioRecord;
export type { ScenarioVersion };
/** A saved run as the runs list gives it (its summary is null there). */
export type SavedRun = RunRecord;
/** One run as the server sends it, with its summary read as a RunResult. */
export type ServerRun = Omit<RunView, "summary"> & { summary: RunResult | null };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly diagnostics: PageDiagnostic[] = [],
  ) {
    super(message);
  }
}

const TOKEN_KEY = "outlast-token";

/**
 * A server reachable from other machines asks for its access token (401): the page asks for it
 * once, keeps it in this browser's local storage, and sends it with every request.
 */
async function authorizedFetch(path: string, init: RequestInit): Promise<Response> {
  const send = () => {
    const token = localStorage.getItem(TOKEN_KEY);
    const headers = new Headers(init.headers);
    if (token) headers.set("authorization", `Bearer ${token}`);
    return fetch(path, { ...init, headers });
  };
  let response = await send();
  if (response.status === 401) {
    const token = window.prompt("This outlast server needs its access token:");
    if (token) {
      localStorage.setItem(TOKEN_KEY, token.trim());
      response = await send();
    }
  }
  return response;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { "content-type": "application/json" };
    init.body = JSON.stringify(body);
  }
  const response = await authorizedFetch(path, init);
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!response.ok) {
    const err = (json ?? {}) as { error?: string; diagnostics?: PageDiagnostic[] };
    throw new ApiError(response.status, err.error ?? response.statusText, err.diagnostics ?? []);
  }
  return json as T;
}

export const api = {
  listScenarios: (q?: string) =>
    call<ScenarioSummary[]>("GET", `/api/scenarios${q ? `?q=${encodeURIComponent(q)}` : ""}`),
  getScenario: (id: string) => call<ScenarioFull>("GET", `/api/scenarios/${encodeURIComponent(id)}`),
  createScenario: (name: string, text: string) => call<ScenarioFull>("POST", "/api/scenarios", { name, text }),
  updateScenario: (id: string, name: string, text: string) =>
    call<ScenarioFull>("PUT", `/api/scenarios/${encodeURIComponent(id)}`, { name, text }),
  deleteScenario: (id: string) => call<null>("DELETE", `/api/scenarios/${encodeURIComponent(id)}`),
  listVersions: (id: string) => call<ScenarioVersion[]>("GET", `/api/scenarios/${encodeURIComponent(id)}/versions`),
  listRuns: (scenarioId: string) => call<SavedRun[]>("GET", `/api/runs?scenario=${encodeURIComponent(scenarioId)}`),
  startRun: (body: {
    text?: string;
    version?: number;
    levers: string[];
    fixed: Record<string, number>;
    paths: number;
    seed: number;
    scenarioId?: string;
  }) => call<ServerRun>("POST", "/api/runs", body),
  getRun: (id: string) => call<ServerRun>("GET", `/api/runs/${encodeURIComponent(id)}`),
  cancelRun: (id: string) => call<ServerRun>("DELETE", `/api/runs/${encodeURIComponent(id)}`),
};

/** POSTs JSON and returns the response as a Blob (exports made on the server). */
export async function postForBlob(path: string, body: unknown): Promise<Blob> {
  const response = await authorizedFetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError(response.status, (await response.text()) || response.statusText);
  return response.blob();
}
