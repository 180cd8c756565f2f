// Scratch calibration calculator for the built-in scenarios (not part of the product).
// Reads a scenario YAML, parses every formula with src/lang's parser, and runs a small,
// independent Monte Carlo (its own RNG; correlations between params are IGNORED) so the
// scenario author can check calendar totals and survival before the engine exists.
//
//   node --import tsx scripts/calibrate.mjs scenarios/openai-2024.yaml [paths] [lever,lever]
//   node --import tsx scripts/calibrate.mjs scenarios/openai-2024.yaml 20000 all   # every lever alone
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { parseFormula } from "../src/lang/parser.ts";

const [file = "scenarios/openai-2024.yaml", pathArg = "20000", leverArg = ""] = process.argv.slice(2);
const paths = Number(pathArg);
const doc = parse(readFileSync(file, "utf8"));
const Z95 = 1.6448536269514722;

const formulaText = (v) => (v !== null && typeof v === "object" ? v.value : v);
const compile = (text) => {
  const r = parseFormula(String(text));
  if (!r.expr) throw new Error(`parse error in '${text}': ${r.diagnostics[0]?.message}`);
  return r.expr;
};

// xorshift-based uniform + Box-Muller normal; quality is fine for a scratch check.
let s = 123456789 >>> 0;
const unif = () => {
  s ^= s << 13;
  s >>>= 0;
  s ^= s >>> 17;
  s ^= s << 5;
  s >>>= 0;
  return (s + 0.5) / 4294967296;
};
const norm = () => Math.sqrt(-2 * Math.log(unif())) * Math.cos(2 * Math.PI * unif());

function names(e, out, underPrev = false) {
  switch (e.kind) {
    case "name":
      if (!underPrev) out.add(e.name);
      break;
    case "unary":
      names(e.arg, out, underPrev);
      break;
    case "binary":
      names(e.left, out, underPrev);
      names(e.right, out, underPrev);
      break;
    case "range":
      names(e.lo, out, underPrev);
      names(e.hi, out, underPrev);
      break;
    case "call":
      if (e.callee !== "prev") for (const a of e.args) names(a, out, underPrev);
      break;
  }
  return out;
}

function evaluate(e, env) {
  switch (e.kind) {
    case "number":
      return e.value;
    case "name":
      if (e.name === "t") return env.t;
      if (e.name === "pi") return Math.PI;
      if (e.name in env.v) return env.v[e.name];
      throw new Error(`unknown ${e.name}`);
    case "unary": {
      const a = evaluate(e.arg, env);
      return e.op === "-" ? -a : a ? 0 : 1;
    }
    case "binary": {
      const a = evaluate(e.left, env),
        b = evaluate(e.right, env);
      switch (e.op) {
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          return a / b;
        case "^":
          return a ** b;
        case "<":
          return +(a < b);
        case "<=":
          return +(a <= b);
        case ">":
          return +(a > b);
        case ">=":
          return +(a >= b);
        case "==":
          return +(a === b);
        case "!=":
          return +(a !== b);
        case "and":
          return +(a && b);
        case "or":
          return +(a || b);
      }
      throw new Error(e.op);
    }
    case "range": {
      const lo = evaluate(e.lo, env),
        hi = evaluate(e.hi, env);
      if (lo > 0 && hi > 0) {
        const mu = (Math.log(lo) + Math.log(hi)) / 2,
          sg = (Math.log(hi) - Math.log(lo)) / (2 * Z95);
        return Math.exp(mu + sg * norm());
      }
      return (lo + hi) / 2 + ((hi - lo) / (2 * Z95)) * norm();
    }
    case "call": {
      const c = e.callee;
      if (c === "if") return evaluate(e.args[0], env) ? evaluate(e.args[1], env) : evaluate(e.args[2], env);
      if (c === "prev") return env.prev[e.args[0].name];
      if (c === "event") {
        const p = evaluate(e.args[0], env);
        const size = evaluate(e.args[1], env);
        return unif() < p ? size : 0;
      }
      const a = e.args.map((x) => evaluate(x, env));
      switch (c) {
        case "min":
          return Math.min(...a);
        case "max":
          return Math.max(...a);
        case "abs":
          return Math.abs(a[0]);
        case "exp":
          return Math.exp(a[0]);
        case "log":
          return Math.log(a[0]);
        case "sqrt":
          return Math.sqrt(a[0]);
        case "floor":
          return Math.floor(a[0]);
        case "ceil":
          return Math.ceil(a[0]);
        case "round":
          return Math.round(a[0]);
        case "clamp":
          return Math.min(Math.max(a[0], a[1]), a[2]);
        case "scurve":
          return 1 / (1 + Math.exp(-a[2] * (a[0] - a[1])));
        case "decay":
          return (1 - a[0]) ** env.t;
        case "growth":
          return (1 + a[0]) ** env.t;
        case "normal":
          return a[0] + a[1] * norm();
        case "lognormal":
          return Math.exp(a[0] + a[1] * norm());
        case "uniform":
          return a[0] + (a[1] - a[0]) * unif();
        case "integer":
          return a[0] + Math.floor(unif() * (a[1] - a[0] + 1));
        case "bernoulli":
          return +(unif() < a[0]);
        case "triangular":
        case "pert":
          return (a[0] + a[1] + a[2]) / 3; // scratch: mean only
      }
      throw new Error(`unsupported ${c}`);
    }
  }
}

function run(levers) {
  const params = Object.entries(doc.params ?? {}).map(([n, v]) => [n, compile(formulaText(v))]);
  const series = new Map(Object.entries(doc.series).map(([n, v]) => [n, v]));
  for (const l of levers)
    for (const [n, v] of Object.entries(doc.levers[l].set)) {
      const i = params.findIndex(([p]) => p === n);
      if (i >= 0) params[i] = [n, compile(formulaText(v))];
      else series.set(n, v);
    }
  const bodies = new Map();
  for (const [n, v] of series) {
    if (v !== null && typeof v === "object" && "start" in v)
      bodies.set(n, { start: compile(v.start), step: compile(v.next ?? v.change), stock: "change" in v });
    else bodies.set(n, { f: compile(formulaText(v)) });
  }
  // order series by same-month dependencies
  const order = [],
    seen = new Set();
  const visit = (n) => {
    if (seen.has(n) || !bodies.has(n)) return;
    seen.add(n);
    const b = bodies.get(n);
    for (const d of names(b.f ?? b.step, new Set())) visit(d);
    order.push(n);
  };
  for (const n of bodies.keys()) visit(n);
  const alive = compile(doc.alive);
  const H = doc.horizon;
  const sums = Object.fromEntries(order.map((n) => [n, new Float64Array(H)]));
  const aliveCount = new Float64Array(H);
  for (let i = 0; i < paths; i++) {
    const v = {};
    for (const [n, e] of params) v[n] = evaluate(e, { v, t: 0, prev: {} });
    const prev = {};
    for (const n of order) {
      const b = bodies.get(n);
      if (b.start) prev[n] = evaluate(b.start, { v, t: 0, prev });
    }
    let dead = false;
    for (let t = 1; t <= H; t++) {
      const env = { v, t, prev };
      for (const n of order) {
        const b = bodies.get(n);
        v[n] = b.f ? evaluate(b.f, env) : b.stock ? prev[n] + evaluate(b.step, env) : evaluate(b.step, env);
      }
      for (const n of order) {
        prev[n] = v[n];
        sums[n][t - 1] += v[n];
      }
      if (!dead && !evaluate(alive, env)) dead = true;
      if (!dead) aliveCount[t - 1]++;
    }
  }
  const mean = (n, t) => sums[n][t - 1] / paths;
  return { mean, S: (t) => aliveCount[t - 1] / paths };
}

const fmt = (x) => (Math.abs(x) >= 1e9 ? (x / 1e9).toFixed(2) + "B" : (x / 1e6).toFixed(0) + "M");
const leverSets =
  leverArg === "all"
    ? [[], ...Object.keys(doc.levers ?? {}).map((l) => [l]), Object.keys(doc.levers ?? {})]
    : [leverArg ? leverArg.split(",") : []];
for (const set of leverSets) {
  const r = run(set);
  const line = [
    `levers=[${set.join(",")}]`,
    `S12=${r.S(12).toFixed(3)} S24=${r.S(24).toFixed(3)} S36=${r.S(Math.min(36, doc.horizon)).toFixed(3)}`,
  ];
  if (r.mean.length && doc.series.revenue_cy2024) {
    let rev = 0,
      cost = 0,
      burn = 0;
    for (let t = 1; t <= 6; t++) {
      rev += r.mean("revenue", t);
      cost += r.mean("costs", t);
      burn += r.mean("burn", t);
    }
    line.push(
      `H2rev=${fmt(rev)} H2costs=${fmt(cost)} H2burn=${fmt(burn)}`,
      `CY24 rev=${fmt(r.mean("revenue_cy2024", 6))} costs=${fmt(r.mean("costs_cy2024", 6))} loss=${fmt(r.mean("loss_cy2024", 6))}`,
      `rev@1=${fmt(r.mean("revenue", 1))} rev@2=${fmt(r.mean("revenue", 2))} rev@6=${fmt(r.mean("revenue", 6))} rev@12=${fmt(r.mean("revenue", 12))} burn@1=${fmt(r.mean("burn", 1))} burn@12=${fmt(r.mean("burn", 12))} burn@24=${fmt(r.mean("burn", 24))} carbon@1=${(r.mean("carbon", 1) / 1e3).toFixed(0)}kt energyshare=${r.mean("energy_share", 1).toFixed(3)}`,
    );
  }
  console.log(line.join("\n  "));
}
