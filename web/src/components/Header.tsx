// The page's top line: the saved scenario's name and version, what it covers, and the status
// of the last action; a clear message when the server cannot be reached.

import { isDirty, usePage } from "../state/store.js";

export function Header() {
  const { state } = usePage();
  const { current, info } = state;
  let subtitle: string;
  if (state.api === "loading") subtitle = "connecting to the outlast server…";
  else if (state.api === "down") subtitle = "";
  else if (!current.id && !info) subtitle = "loading the scenario…";
  else {
    const version = current.builtin ? "built-in" : current.version !== undefined ? `v${current.version}` : "unsaved";
    subtitle = [
      `${current.name || info?.name || "untitled"} (${version}${isDirty(state) ? ", edited" : ""})`,
      info ? `from ${info.start} · ${info.horizon} months` : "",
    ]
      .filter(Boolean)
      .join(" · ");
  }
  return (
    <header class="top">
      <h1>outlast</h1>
      <span class="subtitle" data-testid="subtitle">
        {subtitle}
      </span>
      {state.api === "down" ? (
        <p class="error" role="alert" data-testid="api-down">
          Cannot reach the outlast server ({state.apiError}). Start it with <code>outlast serve</code> and reload this
          page.
        </p>
      ) : null}
      <span class="status" role="status" data-testid="status">
        {state.status}
      </span>
    </header>
  );
}
