// Results as CSV (with the scenario, levers and held values on top) and the workbook as XLSX.

import type { RunResult } from "../../../src/engine/result.js";
import { postForBlob } from "../api.js";
import { download, resultCsv } from "../export.js";
import { slug, textHash } from "../format.js";
import { WorkerRunner } from "../runner.js";
import { LIVE_PATHS, SEED, shownResult, usePage, variantOf, type PageState } from "../state/store.js";

/** The shown run with every reported series: the server's, or a fresh one in a worker. */
function fullResult(s: PageState): Promise<RunResult | undefined> {
  const shown = shownResult(s);
  if (shown?.server) return Promise.resolve(shown.result);
  if (s.text === null) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const runner = new WorkerRunner<undefined>((reply) => {
      runner.terminate();
      resolve(reply.type === "result" ? reply.result : undefined);
    });
    runner.request({ type: "run", variant: variantOf(s), paths: LIVE_PATHS, seed: SEED }, undefined);
  });
}

export function Exports() {
  const { state, set, get } = usePage();
  const shown = shownResult(state);
  const base = () => `outlast-${slug(get().current.name || get().info?.name || "run")}`;

  async function exportCsv() {
    set({ status: "preparing the CSV…" });
    const s = get();
    const result = await fullResult(s);
    if (!result) return set({ status: "nothing to export: the scenario does not run" });
    const csv = resultCsv(result, {
      scenario: s.current.name || result.scenario,
      ...(s.current.text === s.text ? { version: s.current.builtin ? "built-in" : `v${s.current.version}` } : {}),
      textHash: textHash(s.text ?? ""),
      levers: s.levers,
      fixed: s.fixed,
    });
    download(new Blob([csv], { type: "text/csv" }), `${base()}.csv`);
    set({ status: "CSV downloaded" });
  }

  async function exportXlsx() {
    const s = get();
    if (s.text === null) return;
    try {
      set({ status: "preparing the workbook…" });
      const result = await fullResult(s);
      if (!result) return set({ status: "nothing to export: the scenario does not run" });
      download(await postForBlob("/api/export/xlsx", { text: s.text, result }), `${base()}.xlsx`);
      set({ status: "workbook downloaded" });
    } catch (err) {
      set({ status: `workbook not made: ${(err as Error).message}` });
    }
  }

  return (
    <div class="exports" aria-label="export">
      <button data-testid="export-csv" disabled={!shown} onClick={() => void exportCsv()}>
        CSV
      </button>
      <button data-testid="export-xlsx" disabled={!shown} onClick={() => void exportXlsx()}>
        XLSX
      </button>
    </div>
  );
}
