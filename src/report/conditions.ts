// The report's analysis sections, built from the analyses' results (src/analysis): the
// five-conditions table and its plain reading (from analyzeLevers), the funding goal-seek rows
// and the tornado's top bars. Pure functions, no Node imports; the report command runs the
// analyses, terminal.ts and html.ts draw what these return.

import type { GoalSeekResult, LeversResult, TornadoResult } from "../analysis/index.js";
import type { Model } from "../lang/model.js";
import { formatMoney, formatPercent, formatShare } from "./format.js";
import type {
  ConditionInteraction,
  ConditionsTable,
  FundingGoal,
  FundingGoalRow,
  TornadoBarRow,
  TornadoChart,
} from "./report-data.js";
import { formatAmount } from "../analysis/format.js";

/** How many interactions the table shows (the largest by |effect|). */
export const SHOWN_INTERACTIONS = 4;
/** How many params the tornado shows. */
export const SHOWN_TORNADO = 5;

/** The target's threshold when it is "alive@T >= x" (or >); undefined for anything else. */
function threshold(target: string): number | undefined {
  const m = /^alive@\d+\s*>=?\s*([0-9.eE+-]+)$/.exec(target.trim());
  return m ? Number(m[1]) : undefined;
}

/** A share with its 95% half-width (z standard errors), for prose: "21.1% ± 0.3%". */
const shareText = (p: number, se: number, z: number): string => {
  const digits = z * se < 0.001 ? 2 : 1;
  return `${formatPercent(p, digits)} ± ${formatPercent(z * se, digits)}`;
};
/** A signed difference in percentage points with its 95% half-width: "+32.2 pp ± 0.4". */
const ppText = (d: number, se: number, z: number): string =>
  `${d > 0 ? "+" : d < 0 ? "−" : "±"}${Math.abs(d * 100).toFixed(1)} pp ± ${(z * se * 100).toFixed(1)}`;
const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/** The five-conditions table from the lever analysis (whose target's output must be alive@month). */
export function conditionsFromLevers(r: LeversResult, model: Pick<Model, "levers">): ConditionsTable {
  const month = Number(/^alive@(\d+)/.exec(r.target)?.[1] ?? r.horizon);
  const at = (levers: readonly string[]) => {
    const c = r.combinations.find(
      (x) => x.levers.length === levers.length && levers.every((name) => x.levers.includes(name)),
    );
    if (!c) throw new Error(`internal: no combination {${levers.join(", ")}}`);
    return { alive: c.value, se: c.se };
  };
  const rows = model.levers.map((lever) => {
    const alone = at([lever.name]);
    const main = r.effects.find((e) => e.kind === "main" && e.levers[0] === lever.name);
    if (!main) throw new Error(`internal: no main effect for ${lever.name}`);
    return {
      lever: lever.name,
      label: lever.label,
      alive: alone.alive,
      se: alone.se,
      effect: main.effect,
      effectSe: main.se,
      clear: main.clear,
    };
  });
  const interactions: ConditionInteraction[] = r.effects
    .filter((e) => e.kind === "interaction")
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
    .slice(0, SHOWN_INTERACTIONS)
    .map((e) => ({ levers: [e.levers[0]!, e.levers[1]!], effect: e.effect, se: e.se, clear: e.clear }));
  const table: ConditionsTable = {
    month,
    paths: r.paths,
    seed: r.seed,
    combinations: r.combinations.length,
    target: r.target,
    none: at([]),
    all: at(model.levers.map((l) => l.name)),
    rows,
    interactions,
    reading: "",
    z95: r.z95,
  };
  table.reading = conditionsReading(table, r);
  return table;
}

/** One paragraph from the numbers: which levers matter, and whether any one (or all) is enough. */
export function conditionsReading(t: ConditionsTable, r: Pick<LeversResult, "minimalSets" | "best">): string {
  const s = `S(${t.month})`;
  const k = t.rows.length;
  const out: string[] = [];
  const only = k === 1 ? t.rows[0]!.lever : undefined;
  out.push(
    `${only === undefined ? `With none of the ${k} conditions` : `Without ${only}`}, ${s} is ${shareText(t.none.alive, t.none.se, t.z95)}.`,
  );

  const helps = t.rows.filter((x) => x.clear && x.effect > 0).sort((a, b) => b.effect - a.effect);
  const hurts = t.rows.filter((x) => x.clear && x.effect < 0);
  const nothing = t.rows.filter((x) => !x.clear);
  const named = (x: { lever: string; effect: number; effectSe: number }) =>
    `${x.lever} (${ppText(x.effect, x.effectSe, t.z95)})`;
  if (helps.length > 0) {
    const top = helps[0]!.effect;
    const major = helps.filter((x) => x.effect >= top / 2);
    const minor = helps.filter((x) => x.effect < top / 2);
    out.push(
      `Averaged over every setting of the others, ${list(major.map(named))} ${major.length === 1 ? "matters most" : "matter most"}` +
        (minor.length
          ? `; ${list(minor.map(named))} ${minor.length === 1 ? "helps" : "help"} less than half as much as ${helps[0]!.lever}`
          : "") +
        ".",
    );
  }
  if (hurts.length) out.push(`${list(hurts.map(named))} ${hurts.length === 1 ? "lowers" : "lower"} ${s}.`);
  if (nothing.length)
    out.push(
      `${list(nothing.map((x) => x.lever))} ${nothing.length === 1 ? "has" : "have"} no effect distinguishable from zero.`,
    );
  const pair = t.interactions.find((e) => e.clear);
  if (pair)
    out.push(
      `The largest interaction, ${pair.levers.join(" × ")} (${ppText(pair.effect, pair.se, t.z95)}), means the pair does ` +
        (pair.effect > 0
          ? "more together than the sum of its separate effects."
          : "less together than the sum of its separate effects (they overlap)."),
    );

  const goal = threshold(t.target);
  const goalText =
    goal === undefined
      ? t.target
      : `a ${formatPercent(goal, goal * 100 === Math.round(goal * 100) ? 0 : 1)} chance of lasting ${t.month} months`;
  const bestAlone = [...t.rows].sort((a, b) => b.alive - a.alive)[0];
  const singles = r.minimalSets.filter((m) => m.levers.length === 1);
  if (r.minimalSets.some((m) => m.levers.length === 0)) out.push(`${goalText} holds with no condition met.`);
  else if (singles.length > 0)
    out.push(
      `One condition is enough for ${goalText}: ` +
        list(
          singles.map(
            (m) => `${m.levers[0]} alone (${shareText(m.value, m.se, t.z95)}${m.clear ? "" : ", within the error"})`,
          ),
        ) +
        ".",
    );
  else if (only !== undefined) out.push(`Neither with nor without ${only} does ${s} reach ${goalText}.`);
  else {
    if (bestAlone)
      out.push(
        `No one condition is enough for ${goalText}: the best alone, ${bestAlone.lever}, gives ${shareText(bestAlone.alive, bestAlone.se, t.z95)}.`,
      );
    if (r.minimalSets.length > 0) {
      const smallest = r.minimalSets[0]!;
      out.push(
        `It takes at least ${smallest.levers.length} together, e.g. ${list(smallest.levers)} (${shareText(smallest.value, smallest.se, t.z95)}${smallest.clear ? "" : ", within the error"}).`,
      );
    } else
      out.push(
        `Even all ${k} together give ${shareText(t.all.alive, t.all.se, t.z95)}; no combination of them reaches ${goalText}` +
          (r.best.levers.length < k
            ? ` (the best is ${r.best.levers.length ? list(r.best.levers) : "none of them"}: ${shareText(r.best.value, r.best.se, t.z95)})`
            : "") +
          ".",
      );
  }
  return out.join(" ");
}

/** One row of the funding table from a goal-seek result (and, optionally, S(T) with the close uncertain). */
export function fundingRow(
  month: number,
  g: GoalSeekResult,
  uncertain?: { alive: number; se: number },
): FundingGoalRow {
  return {
    month,
    reached: g.reached,
    value: g.value,
    low: g.low,
    high: g.high,
    achieved: g.achieved,
    achievedSe: g.achievedSe,
    ...(uncertain === undefined ? {} : { uncertain }),
  };
}

/** The top bars of a tornado, labelled from the scenario. */
export function tornadoChart(r: TornadoResult, model: Pick<Model, "params">, month: number): TornadoChart {
  const bars: TornadoBarRow[] = r.tornado.slice(0, SHOWN_TORNADO).map((b) => {
    const p = model.params.find((q) => q.name === b.param);
    return {
      param: b.param,
      ...(p?.label === undefined ? {} : { label: p.label }),
      ...(p?.unit === undefined ? {} : { unit: p.unit }),
      low: b.low,
      high: b.high,
      lowValue: b.lowValue,
      highValue: b.highValue,
      swing: b.swing,
      swingSe: b.swingSe,
      given: b.given,
    };
  });
  return {
    output: r.output,
    month,
    base: r.base,
    baseSe: r.baseSe,
    paths: r.paths,
    seed: r.seed,
    varied: r.tornado.length,
    bars,
    z95: r.z95,
  };
}

/**
 * Which params a tornado moved with the one it held (they are correlated with it and were drawn
 * given its value), for a sentence under the bars; undefined when none was.
 */
export function tornadoGivenNote(bars: readonly { param: string; given: readonly string[] }[]): string | undefined {
  const moved = bars.filter((b) => b.given.length > 0);
  if (moved.length === 0) return undefined;
  return (
    "Correlated params are drawn given the one held: " +
    moved.map((b) => `${b.param} (with ${b.given.join(", ")})`).join("; ") +
    "."
  );
}

/** The conditions table's opening words: "The 5 conditions: all 32 combinations of the levers", or one lever off and on. */
export function conditionsHeading(c: Pick<ConditionsTable, "rows" | "combinations">): string {
  return c.rows.length === 1
    ? "The 1 condition: its lever off and on"
    : `The ${c.rows.length} conditions: all ${c.combinations} combinations of the levers`;
}

/** The plain statement of what the amounts assume (the round closes for certain). */
export function fundingNote(g: FundingGoal, stat: string): string {
  if (!g.closesParam) return `The amounts assume the round closes in the month shown.`;
  const reached = g.rows.filter((r) => r.reached && r.uncertain);
  const goal = threshold(g.target);
  const scenario = g.closesDistribution ? ` (${g.closesDistribution} in the scenario)` : "";
  return (
    `These amounts assume the round closes for certain (${g.closesParam} held at 1). If it closes only as the scenario says${scenario}, ` +
    (reached.length
      ? `the same amounts give ${stat} = ${reached.map((r) => `${formatShare(r.uncertain!.alive, r.uncertain!.se, g.z95)} (month ${r.month})`).join(", ")}` +
        (goal !== undefined && reached.every((r) => r.uncertain!.alive < goal)
          ? `, short of ${formatPercent(goal, 0)}: the money alone does not reach the target unless the round is sure to close.`
          : ".")
      : "no amount in the range reaches the target, so there is nothing to compare.")
  );
}

/** A param value in its unit: money for USD, percent for per-month rates and shares, else 3 significant digits. */
export function formatValue(v: number, unit: string | undefined): string {
  if (unit !== undefined && /usd|\$/i.test(unit) && !/mwh|per usd/i.test(unit)) return formatMoney(v);
  if (unit !== undefined && /^(per month|share|ratio of)/i.test(unit)) return formatPercent(v, 2);
  return formatAmount(v, 3);
}
