// Pass: draw sites and quasi-Monte Carlo dimensions. Random draws are counter-based (rng.ts):
// the k-th random call in the formula of an owner (a param, or a series) reads the stream of
// site (owner, k) at counters from t·1024, so evaluating a draw lazily inside an `if` does not
// move any other draw, and a lever that replaces an owner's formula keeps that owner's draws
// (common random numbers). In a qmc kernel each site also gets a dimension of the scrambled
// Sobol' point (QmcLayout), numbered once every site is known.

import type { Model } from "../../lang/model.js";
import { QMC_LAZY_Z, QMC_U, QMC_Z } from "../qmc/invert.js";
import { siteId, siteKey } from "../rng.js";

/**
 * The dimensions of a scrambled Sobol' point, one per draw site: first every site drawn once
 * per path (params in declaration order, then series' start values), then every site drawn each
 * month, month 1 first: dimension pathKinds.length + (t − 1)·monthKinds.length + m is month t's
 * draw of month site m. A kind (invert.ts) is QMC_Z when the site draws from the normal family
 * and always draws (the block stores z = Φ⁻¹(u)), QMC_LAZY_Z when it draws from the normal family
 * only on some paths (the block stores u, the kernel inverts it when taken), QMC_U when it reads u.
 */
export interface QmcLayout {
  readonly pathKinds: readonly number[];
  readonly monthKinds: readonly number[];
  /**
   * Each site's scramble key: from its site id (owner name and ordinal) and kind, so two
   * scenarios whose sites are named alike get the same coordinates (common random numbers) and
   * sites named differently independent ones, as the counter streams do.
   */
  readonly pathKeys: readonly number[];
  readonly monthKeys: readonly number[];
}

/** Whose draws a formula makes: a param, a series, a series' start, an edit; `ordinal` counts its draws. */
export type Owner = { name: string; ordinal: number; month: boolean };

/** A draw site's QMC dimension, before numbering: its placeholder in the generated code. */
interface QmcSite {
  /** Orders the sites: the owner's place in the model, then the draw's ordinal in its formula. */
  rank: number;
  month: boolean;
  z: boolean;
  /**
   * A normal-family draw inside a branch that may not run (`if`, `and`/`or`, an event's size):
   * its coordinate is stored as u and turned into Φ⁻¹(u) by the kernel only when the draw is
   * taken, the same function on the same u, so the same bits, without paying for an inversion
   * on every path (a rare shock's size is read about 2% of the time).
   */
  lazy: boolean;
  placeholder: string;
  /** The scramble key: the site id, and the kind. */
  key: number;
}

export const QMC_PATH_DIMS = "/* qmc path dims */";
export const QMC_MONTH_SITES = "/* qmc month sites */";

export class DrawSites {
  /** Stream variables by site id, in the order first drawn. */
  readonly streams = new Map<number, string>();
  /** Streams whose month words are made in bulk (words.ts), with the name of their word array. */
  readonly wordOf = new Map<string, string>();
  /** Draw sites with a QMC dimension, by site id and kind (qmc kernels only). */
  private readonly qsites = new Map<string, QmcSite>();
  /** The site of the last stream() call. */
  lastSite = { id: 0, ordinal: 0 };

  constructor(
    private readonly model: Model,
    private readonly paramIndex: ReadonlyMap<string, number>,
    private readonly seriesIndex: ReadonlyMap<string, number>,
  ) {}

  /** The stream variable of the owner's next draw (counts the draw). */
  stream(owner: Owner): string {
    const id = siteId(owner.name, owner.ordinal++);
    this.lastSite = { id, ordinal: owner.ordinal - 1 };
    let v = this.streams.get(id);
    if (v === undefined) {
      v = `s${this.streams.size}`;
      this.streams.set(id, v);
    }
    return v;
  }

  /**
   * The first word at a month counter ("1024", "tc", "tc + 1024") of a stream drawn every month
   * (`everyMonth`: in the month loop, outside any branch, counter streams), read from the
   * block's bulk words; undefined otherwise, and the draw then hashes its words as it goes.
   */
  monthWord(stream: string, counter: string, everyMonth: boolean): string | undefined {
    if (!everyMonth) return undefined;
    const month = { "1024": "1", tc: "t", "tc + 1024": "t + 1" }[counter];
    if (month === undefined) return undefined;
    let w = this.wordOf.get(stream);
    if (w === undefined) {
      w = `W${this.wordOf.size}`;
      this.wordOf.set(stream, w);
    }
    return `${w}[wb + ${month}]`;
  }

  /**
   * A QMC dimension for the draw just taken from stream() (the last site), `month` when drawn
   * every month, `z` when it reads Φ⁻¹(u), `conditional` when the draw is inside a branch that
   * may not run (a normal-family site first seen there is lazy). Returns the code reading it and
   * the code that says whether the dimension exists (months past the table fall back to the
   * counter stream).
   */
  qdim(
    owner: Owner,
    month: boolean,
    z: boolean,
    conditional: boolean,
    at = this.lastSite,
  ): { ref: string; ok: string } {
    const key = `${at.id}:${z ? 1 : 0}`;
    let site = this.qsites.get(key);
    if (site === undefined) {
      site = {
        rank: this.ownerRank(owner.name) * 4096 + at.ordinal,
        month,
        z,
        lazy: z && conditional,
        placeholder: `@Q${this.qsites.size}@`,
        key: z ? at.id ^ 0x5851f42d : at.id,
      };
      this.qsites.set(key, site);
    }
    return { ref: site.placeholder, ok: month ? "t <= TQ" : "true" };
  }

  /** Where an owner stands in the model: params, then series' starts (path sites); series, alive, break-even (month sites). */
  ownerRank(name: string): number {
    const P = this.model.params.length;
    const S = this.model.series.length;
    const p = this.paramIndex.get(name);
    if (p !== undefined) return p;
    const s = this.seriesIndex.get(name);
    if (s !== undefined) return s;
    if (name.endsWith(".start")) return P + (this.seriesIndex.get(name.slice(0, -6)) ?? S);
    return name === "alive" ? S : name === "breakeven" ? S + 1 : P + S + 2;
  }

  /** Numbers the QMC sites (path sites first, each group by rank) and fills in their placeholders. */
  numberQmcSites(): { layout: QmcLayout; code: (template: string) => string } {
    const byRank = (a: QmcSite, b: QmcSite) => a.rank - b.rank;
    const path = [...this.qsites.values()].filter((q) => !q.month).sort(byRank);
    const month = [...this.qsites.values()].filter((q) => q.month).sort(byRank);
    const ref = new Map<string, string>();
    const read = (q: QmcSite, at: string) => (q.lazy ? `qz(${at})` : at);
    path.forEach((q, d) => ref.set(q.placeholder, read(q, `qu[qo + ${d}]`)));
    month.forEach((q, m) => ref.set(q.placeholder, read(q, `qu[qm + ${m}]`)));
    const kind = (q: QmcSite) => (q.lazy ? QMC_LAZY_Z : q.z ? QMC_Z : QMC_U);
    return {
      layout: {
        pathKinds: path.map(kind),
        monthKinds: month.map(kind),
        pathKeys: path.map((q) => q.key),
        monthKeys: month.map((q) => q.key),
      },
      code: (template) =>
        template
          .replaceAll(QMC_PATH_DIMS, String(path.length))
          .replaceAll(QMC_MONTH_SITES, String(month.length))
          .replace(/@Q\d+@/g, (ph) => ref.get(ph)!),
    };
  }

  /** The site ids of the streams whose month words are made in bulk, in word-array order. */
  wordSites(): number[] {
    return [...this.wordOf.keys()].map((v) => [...this.streams].find(([, name]) => name === v)![0]);
  }

  /** The kernel's declarations of the streams and their keys (before `run`). */
  declarations(): string[] {
    const out: string[] = [];
    for (const [id, v] of this.streams) out.push(`const ${v} = new Stream(); // site ${id}`);
    if (this.streams.size > 0) {
      out.push(`const STREAMS = [${[...this.streams.values()].join(", ")}];`);
      out.push(
        `const SKEYS = new Int32Array([${[...this.streams.keys()].map((id) => `${siteKey(id)}, ${Math.imul(id, 0x9e3779b9)}`).join(", ")}]);`,
      );
    }
    const wordSites = this.wordSites();
    if (wordSites.length > 0)
      out.push(`const WSITES = [${wordSites.map((id) => `${siteKey(id)}, ${Math.imul(id, 0x9e3779b9)}`).join(", ")}];`);
    return out;
  }
}
