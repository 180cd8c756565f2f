// A saved scenario's history: its versions (load one back, or see what changed between two)
// and the server runs filed under it (show one again, with the settings it ran with).

import { diffLines } from "diff";
import type { ScenarioActions } from "../hooks/useScenarios.js";
import { usePage } from "../state/store.js";

/** The lines that differ between two texts, with a few lines of context around each change. */
function VersionDiff(props: { from: string; to: string; labels: [string, string] }) {
  const parts = diffLines(props.from, props.to);
  const lines: { kind: " " | "+" | "-"; text: string }[] = [];
  for (const p of parts) {
    const kind = p.added ? "+" : p.removed ? "-" : " ";
    for (const text of p.value.replace(/\n$/, "").split("\n")) lines.push({ kind, text });
  }
  const near = new Set<number>();
  lines.forEach((l, i) => {
    if (l.kind !== " ") for (let j = i - 2; j <= i + 2; j++) near.add(j);
  });
  const removed = lines.filter((l) => l.kind === "-").length;
  const added = lines.filter((l) => l.kind === "+").length;
  return (
    <div class="diff-view" data-testid="version-diff">
      <p class="meta">
        {props.labels[0]} → {props.labels[1]}:{" "}
        {removed + added === 0 ? "the same text" : `${removed} line(s) removed, ${added} added`}
      </p>
      <pre>
        {lines.map((l, i) =>
          near.has(i) ? (
            <div key={i} class={l.kind === "+" ? "add" : l.kind === "-" ? "del" : "ctx"}>
              {l.kind} {l.text}
            </div>
          ) : near.has(i - 1) ? (
            <div key={i} class="gap">
              ⋯
            </div>
          ) : null,
        )}
      </pre>
    </div>
  );
}

export function History(props: { actions: ScenarioActions }) {
  const { state, set } = usePage();
  const { current, versions, savedRuns } = state;
  if (!current.id) return <p class="meta">an unsaved scenario has no history</p>;
  const diff = state.diff;
  const from = diff ? versions.find((v) => v.version === diff.from) : undefined;
  const to = diff ? versions.find((v) => v.version === diff.to) : undefined;
  return (
    <section class="history" aria-label="history">
      {versions.length > 0 ? (
        <>
          <h3>Saved versions</h3>
          <ul data-testid="versions">
            {versions.map((v, i) => (
              <li key={v.version}>
                v{v.version} · {new Date(v.createdAt).toLocaleString("en-GB")}
                {v.name !== current.name ? ` · ${v.name}` : ""}
                {current.version === v.version && state.text === v.text ? " · in the editor" : ""}{" "}
                <button class="small" onClick={() => props.actions.loadVersion(v)} data-version={v.version}>
                  Load
                </button>{" "}
                {versions[i + 1] ? (
                  <button
                    class="small"
                    data-diff={v.version}
                    onClick={() => set({ diff: { from: versions[i + 1]!.version, to: v.version } })}
                  >
                    Diff with v{versions[i + 1]!.version}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          {versions.length > 1 ? (
            <label>
              Compare versions:{" "}
              <select
                aria-label="diff from version"
                value={diff?.from ?? ""}
                onChange={(e) =>
                  set({
                    diff: { from: Number((e.target as HTMLSelectElement).value), to: diff?.to ?? versions[0]!.version },
                  })
                }
              >
                <option value="">—</option>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </select>{" "}
              →{" "}
              <select
                aria-label="diff to version"
                value={diff?.to ?? ""}
                onChange={(e) =>
                  set({
                    diff: {
                      from: diff?.from ?? versions[versions.length - 1]!.version,
                      to: Number((e.target as HTMLSelectElement).value),
                    },
                  })
                }
              >
                <option value="">—</option>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {from && to ? (
            <VersionDiff from={from.text} to={to.text} labels={[`v${from.version}`, `v${to.version}`]} />
          ) : null}
        </>
      ) : null}
      <h3>Server runs of this scenario</h3>
      {savedRuns.length === 0 ? (
        <p class="meta">none yet: “Run” under “More paths” files one here while the editor holds a saved version</p>
      ) : (
        <ul data-testid="saved-runs">
          {savedRuns.slice(0, 20).map((r) => (
            <li key={r.id} data-status={r.status}>
              {new Date(r.createdAt).toLocaleString("en-GB")} · {r.paths.toLocaleString("en")} paths
              {current.builtin ? "" : ` · v${r.scenarioVersion}`}
              {r.levers.length ? ` · ${r.levers.join(" + ")}` : ""}
              {Object.keys(r.fixed).length ? ` · ${Object.keys(r.fixed).length} held` : ""} · {r.status}{" "}
              {r.status === "done" || r.status === "cancelled" ? (
                <button class="small" onClick={() => void props.actions.showRun(r)} data-run={r.id}>
                  Show
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
