// The server's JSON API, as the page uses it.

import type { RunResult } from "../../src/engine/result.js";
import type { PageDiagnostic } from "./protocol.js";

export interface ScenarioSummary {
  id: string;
  name: string;
  version: number;
  builtin: boolean;
  updatedAt: string;
}

export interface ScenarioFull extends ScenarioSummary {
  text: string;
}

export interface ScenarioVersion {
  scenarioId: string;
  version: number;
  name: string;
  text: string;
  createdAt: string;
}

/** A saved run as the runs list gives it (no summary). */
export interface SavedRun {
  id: string;
  scenarioId: string;
  scenarioVersion: number;
  seed: number;
  paths: number;
  levers: string[];
  fixed: Record<string, number>;
  status: "running" | "done" | "cancelled" | "failed";
  error: string | null;
  createdAt: string;
}

export interface ServerRun {
  id: string;
  status: "running" | "done" | "cancelled" | "failed";
  paths: number;
  summary: RunResult | null;
  error: string | null;
  progress: { pathsDone: number; pathsTotal: number } | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly diagnostics: PageDiagnostic[] = [],
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { "content-type": "application/json" };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
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
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError(response.status, (await response.text()) || response.statusText);
  return response.blob();
}
