/**
 * SQL behind recall, memory cards and the graph (protocol.md §9): the
 * caller's readable current view, full-text hits, and `ref` edges.
 *
 * Every method that returns facts applies the reader's view condition (the
 * read rules of node/access/read-rules.ts: access, live chain head,
 * unexpired, minimum confidence) in SQL, or through the same condition
 * compiled to JavaScript over recall's in-memory copy (view-row-cache.ts),
 * so nothing outside it is ever handed to scoring.
 *
 * @module
 */
import { renderSql } from "../core/access/condition-sql.js";
import { normalizeEntityUri } from "../core/normalize-uri.js";
import { VIEW_COLUMNS } from "./access-columns.js";
import type { Db } from "./database.js";
import { FACT_COLUMNS, FACT_JOINS, type FactRow } from "./fact-store.js";
import {
  CACHED_COLUMNS,
  cachedFact,
  FULL_COLUMNS,
  fullRow,
  SCORING_COLUMNS,
  scoringRow,
  type CachedFact,
  type ScoringRow,
} from "./recall-rows.js";
import { copyAnswers, inView, ViewRowCache } from "./view-row-cache.js";
import type { ViewFilter } from "./view-filter.js";
import { ViewSignal } from "./view-signal.js";


/** A full-text hit: a fact rowid and its FTS5 bm25 (negative; lower is better). */
export interface FtsHit {
  readonly rowid: number;
  readonly bm25: number;
}

/** A live `ref` edge of the current view. */
export interface EdgeRow {
  readonly src: string;
  readonly dst: string;
  readonly relation: string;
  readonly confidence: number;
  readonly source: string;
  /** Writer of a local edge fact, null when ingested. */
  readonly actor: string | null;
  /** The peer an ingested edge fact came from; null for a local write. */
  readonly received_from: string | null;
}

/** Every match of `@match` with its bm25. */
const FTS_SCORED = "SELECT rowid, bm25(facts_fts) FROM facts_fts WHERE facts_fts MATCH @match";

/** An {@link FtsHit} from a raw `rowid, bm25` row. */
const ftsHit = (r: unknown[]): FtsHit => ({ rowid: r[0] as number, bm25: r[1] as number });

const VIEW_FROM = `fact_heads hh JOIN facts f ON f.rowid = hh.head_rowid ${FACT_JOINS}`;

/** The view's tables for {@link ScoringRow}s: of fact-store.ts's joins only the triple is needed. */
const SCORING_VIEW_FROM = `fact_heads hh JOIN facts f ON f.rowid = hh.head_rowid
  LEFT JOIN fact_triples t ON t.entity = f.entity AND t.relation = f.relation AND t.scope = f.scope`;

/** Tables for {@link CACHED_COLUMNS}: any fact, with its chain head when it is one, and a live head's triple. */
const CACHED_FROM = `facts f LEFT JOIN fact_heads hh ON hh.head_rowid = f.rowid
  LEFT JOIN fact_triples t ON hh.live = 1 AND t.entity = f.entity AND t.relation = f.relation AND t.scope = f.scope`;

/**
 * Most live heads of one entity (all scopes) kept as a list in memory; an
 * entity with more is read through SQL each time.
 */
const MAX_CACHED_HEADS = 256;

/** Query tokens whose terms are kept. */
const MAX_TOKENS = 16_384;

/** Most facts pointing to one entity whose rowids are kept; an entity with more is read through SQL. */
const MAX_CACHED_IN_EDGES = 4096;
/** Most entities whose incoming facts are kept (all are dropped when full). */
const MAX_IN_EDGE_LISTS = 65_536;
/** Incoming facts read from the view copy at once. */
const IN_EDGE_CHUNK = 64;

/** Ref values already normalized (the same few targets recur). */
const TARGETS = new Map<string, string | null>();

/** The entity a ref value points to, as fact_edges stores it (normalized); undefined if it is no entity URI. */
function edgeTarget(value: string): string | undefined {
  let t = TARGETS.get(value);
  if (t === undefined) {
    try {
      t = normalizeEntityUri(value, "value.v");
    } catch {
      t = null;
    }
    if (TARGETS.size >= MAX_IN_EDGE_LISTS) TARGETS.clear();
    TARGETS.set(value, t);
  }
  return t ?? undefined;
}

/**
 * Most chain heads of one relation looked at when sampling it or reading it
 * for a question that names only the relation (newest first): bounds the
 * read whatever the relation's size in other scopes.
 */
const RELATION_SCAN = 4096;

/** Order of {@link RecallStore.entityRows}: confidence, then ≺ descending. */
const ENTITY_ORDER = `ORDER BY f.confidence DESC, f.origin_hlc_w DESC, f.origin_hlc_c DESC,
  COALESCE(f.origin_node_id, @own) DESC, f.cid DESC`;

export class RecallStore {
  private readonly cache = new Map<string, ReturnType<Db["prepare"]>>();
  private readonly rawCache = new Map<string, ReturnType<Db["prepare"]>>();

  private coverageReady = false;
  /** Rows read during the current synchronous run or a hold (see {@link readOnce}), by what was read; null between them. */
  private reads: { generation: number; rows: Map<string, { limit: number; rows: unknown[] }> } | null = null;
  /** Changes to the view heard so far (view-signal.ts): a memo of another generation is stale. */
  private generation = 0;
  /** SQLite's count of other connections' commits when last checked. */
  private dataVersion: number | undefined;
  /** Recalls holding {@link reads} across their awaits (see {@link holdReads}). */
  private holds = 0;

  /** rowid → the row's full-text terms as `\0term\0term\0` (a fact's text never changes; dropped with the view copy on another connection's commit). */
  private readonly rowTerms = new Map<number, string>();
  /** Query token → the one term FTS5 makes of it, or null when it makes none or several. */
  private readonly tokenTerms = new Map<string, string | null>();

  /** Every relation name stored (any scope or state), once read; kept up to date by commits. */
  private relations: Set<string> | null = null;
  /** Every entity stored (any scope or state), once read; kept up to date by commits. */
  private entities: Set<string> | null = null;
  /** Bumped whenever {@link relations} or {@link entities} gains a member or is dropped. */
  private namesVersion = 0;
  /** Relation → facts of it this connection committed since it opened (see {@link relationMark}). */
  private readonly relationWrites = new Map<string, number>();
  /** Commits of this connection that wrote facts (see {@link commitMark}). */
  private factCommits = 0;
  /** Entity → rowids of every fact pointing to it (any scope or state), for {@link edges} into it. */
  private readonly inEdgeRowids = new Map<string, number[]>();

  /**
   * @param cached recall's copy of the view, kept exact by `signal`'s listeners (storage.ts)
   * @param signal the view signal: every change to the view makes remembered reads stale,
   *   and this store reports another connection's commit on it
   */
  constructor(
    private readonly db: Db,
    private readonly cached = new ViewRowCache(),
    private readonly signal = new ViewSignal(),
  ) {
    signal.onChange((change) => {
      this.generation++;
      // Another connection may even have rewritten a fact's text (tampering): its terms go too.
      if (change === null) {
        this.rowTerms.clear();
        this.inEdgeRowids.clear();
        this.relations = null;
        this.entities = null;
        this.namesVersion++;
      }
    });
    signal.onCommit((rows) => {
      if (rows.length > 0) this.factCommits++;
      for (const r of rows) {
        this.relationWrites.set(r.relation, (this.relationWrites.get(r.relation) ?? 0) + 1);
        // A new fact pointing to an entity: its list of incoming facts is read again.
        if (r.value_type === "ref") {
          const dst = edgeTarget(r.value_v);
          if (dst !== undefined) this.inEdgeRowids.delete(dst);
        }
        if (this.relations !== null && !this.relations.has(r.relation)) {
          this.relations.add(r.relation);
          this.namesVersion++;
        }
        if (this.entities !== null && !this.entities.has(r.entity)) {
          this.entities.add(r.entity);
          this.namesVersion++;
        }
      }
    });
  }

  /**
   * A number that changes whenever {@link relationNames} or
   * {@link entityNames} gains a name (or they are read again after another
   * connection committed): what is derived from them is current while it stays.
   */
  namesMark(): number {
    return this.namesVersion;
  }

  /**
   * A mark that changes whenever a fact is committed (or another connection
   * committed anything): every {@link relationMark} is the same while it stays.
   */
  commitMark(): string {
    return `${this.namesVersion}/${this.factCommits}`;
  }

  /**
   * A number that changes whenever a fact of `relation` is committed (or
   * another connection committed anything): a sample of the relation taken
   * at the same mark is still what the store holds.
   */
  relationMark(relation: string): string {
    return `${this.namesVersion}/${this.relationWrites.get(relation) ?? 0}`;
  }

  /**
   * Every relation name stored, in any scope or state: the vocabulary recall
   * matches questions against (node/recall/store-vocabulary.ts), never shown
   * to a caller. Read once by skipping through the relation index (one seek
   * per distinct name), then kept up to date by this connection's commits.
   */
  relationNames(): ReadonlySet<string> {
    this.syncOutsideHolds();
    this.relations ??= new Set(this.distinct("relation", "fact_heads_relation_hlc"));
    return this.relations;
  }

  /**
   * Every entity stored, in any scope or state: the names recall links
   * question words to (abbreviations, initialisms), never shown to a caller.
   * Read once through the entity index (one seek per entity), then kept up
   * to date by this connection's commits.
   */
  entityNames(): ReadonlySet<string> {
    this.syncOutsideHolds();
    this.entities ??= new Set(this.distinct("entity", "fact_heads_entity_hlc"));
    return this.entities;
  }

  /** The distinct values of an indexed fact_heads column, by one index seek each. */
  private distinct(column: "relation" | "entity", index: string): string[] {
    return this.all<{ v: string }>(
      `WITH RECURSIVE d(v) AS (
         SELECT (SELECT min(${column}) FROM fact_heads INDEXED BY ${index})
         UNION ALL
         SELECT (SELECT min(${column}) FROM fact_heads INDEXED BY ${index} WHERE ${column} > d.v) FROM d WHERE d.v IS NOT NULL
       ) SELECT v FROM d WHERE v IS NOT NULL`,
      {},
    ).map((r) => r.v);
  }

  /**
   * A sample of `v.relation`'s facts in the view `v` (newest first, at most
   * `limit`): each fact's entity, value type and value text. Looks at no more
   * than {@link RELATION_SCAN} of the relation's newest chain heads (any
   * scope), so a relation that is huge elsewhere costs no more here.
   */
  relationSample(v: ViewFilter & { relation: string }, limit: number): { entity: string; type: string; value: string }[] {
    const params: Record<string, unknown> = {};
    const where = viewWhere(v, params);
    return this.rows(
      `SELECT hh.entity, f.value_type, f.value_v FROM
         (SELECT head_rowid FROM fact_heads WHERE relation = @view_relation ORDER BY hlc_w DESC, hlc_c DESC LIMIT ${RELATION_SCAN}) r
       JOIN fact_heads hh ON hh.head_rowid = r.head_rowid JOIN facts f ON f.rowid = hh.head_rowid
       LEFT JOIN fact_triples t ON t.entity = f.entity AND t.relation = f.relation AND t.scope = f.scope
       WHERE ${where} ORDER BY hh.hlc_w DESC, hh.hlc_c DESC LIMIT ${limitAbove(limit)}`,
      params,
      (r) => ({ entity: r[0] as string, type: r[1] as string, value: r[2] as string }),
    ).slice(0, limit);
  }

  /**
   * View rows of `v.relation` (required) for scoring, newest first, at most
   * `limit`; like {@link relationSample}, looks at no more than
   * {@link RELATION_SCAN} of the relation's newest chain heads.
   */
  relationScoringRows(v: ViewFilter & { relation: string }, limit: number): ScoringRow[] {
    // Newest first, from recall's copy of the view, in growing windows of the relation's heads
    // until `limit` are in the view (at most RELATION_SCAN heads looked at).
    const out: ScoringRow[] = [];
    let seen = 0;
    for (let window = Math.min(RELATION_SCAN, limitAbove(2 * limit + 16)); ; window = Math.min(RELATION_SCAN, window * 4)) {
      const rowids = this.all<{ r: number }>(
        `SELECT head_rowid AS r FROM fact_heads WHERE relation = @relation ORDER BY hlc_w DESC, hlc_c DESC LIMIT ${window}`,
        { relation: v.relation },
      ).map((x) => x.r);
      const fresh = rowids.slice(seen);
      const rows = new Map(this.viewRows(fresh, v).map((r) => [r.rowid, r]));
      for (const rowid of fresh) {
        const r = rows.get(rowid);
        if (r !== undefined && out.length < limit) out.push(r);
      }
      seen = rowids.length;
      if (out.length >= limit || rowids.length < window || window >= RELATION_SCAN) return out;
    }
  }



  /**
   * The entity and value of every chain head of `relations` (any scope or
   * state): what recall indexes name-like facts by (node/recall/store-vocabulary.ts),
   * never shown to a caller.
   */
  headValues(relations: readonly string[]): { entity: string; value: string }[] {
    if (relations.length === 0) return [];
    return this.rows(
      `SELECT hh.entity, f.value_v FROM fact_heads hh INDEXED BY fact_heads_relation_hlc JOIN facts f ON f.rowid = hh.head_rowid
       WHERE hh.relation IN (SELECT value FROM json_each(@relations))`,
      { relations: JSON.stringify(relations) },
      (r) => ({ entity: r[0] as string, value: r[1] as string }),
    );
  }

  /**
   * Hears the facts of each commit of this connection, and (with null)
   * another connection's commit, after which anything may have changed.
   */
  onCommitted(listener: (rows: readonly FactRow[] | null) => void): void {
    this.signal.onCommit((rows) => listener(rows));
    this.signal.onChange((change) => {
      if (change === null) listener(null);
    });
  }

  /**
   * The best `k` full-text matches by bm25, ties newest first, over every
   * stored row (the caller narrows to the view). Ordered by `bm25()` rather
   * than FTS5's `rank` column (the same value, no rank is configured):
   * `ORDER BY rank` makes FTS5 sort every match with its phrase positions
   * before the LIMIT applies, while `bm25()` lets SQLite keep only the best
   * `k` as it goes (about a third less time on queries with ~20,000 matches).
   */
  ftsTop(match: string, k: number): FtsHit[] {
    return this.rows(
      `SELECT rowid, bm25(facts_fts) AS score FROM facts_fts WHERE facts_fts MATCH @match
       ORDER BY score, rowid DESC LIMIT ${limitAbove(k)}`,
      { match },
      ftsHit,
    ).slice(0, Math.max(0, k));
  }

  /**
   * {@link ftsTop} for `sparse` OR `dense` (lists of quoted tokens) without
   * ranking every match of the common `dense` tokens: every match of
   * `sparse` gets its exact bm25 for the whole query, and the rest of the
   * `k` are the newest matches of `dense` alone, with theirs (the same value
   * the whole query gives them). FTS5's bm25 sums one term per phrase of the
   * expression, each with the phrase's IDF over the whole table, and a
   * phrase a row lacks adds nothing: so a `sparse` match's whole-query bm25
   * is that of `sparse` alone unless it also matches `dense`, and then that
   * of `(sparse) AND (dense)`. The AND visits only the sparse matches,
   * seeking in the dense doclists instead of walking them, and ranks just
   * the rows in both, so each sparse match is ranked about once; likewise
   * `(dense) NOT (sparse)` finds the newest dense-only matches.
   */
  ftsTopSplit(sparse: string, dense: string, k: number): FtsHit[] {
    const scored = (match: string) => this.rows(FTS_SCORED, { match }, ftsHit);
    const whole = new Map(scored(sparse).map((h) => [h.rowid, h.bm25]));
    for (const h of scored(`(${sparse}) AND (${dense})`)) whole.set(h.rowid, h.bm25);
    const hits = [...whole].map(([rowid, bm25]): FtsHit => ({ rowid, bm25 }));
    // The sparse phrases of the NOT add nothing to the bm25 of a row they do not match.
    const newest = this.rows(
      `SELECT rowid, bm25(facts_fts) FROM facts_fts WHERE facts_fts MATCH @match ORDER BY rowid DESC LIMIT ${limitAbove(k)}`,
      { match: `(${dense}) NOT (${sparse})` },
      ftsHit,
    );
    hits.push(...newest.slice(0, Math.max(0, k)));
    hits.sort((a, b) => a.bm25 - b.bm25 || b.rowid - a.rowid);
    return hits.slice(0, Math.max(0, k));
  }

  /**
   * The newest `k` rows matching `match`, without ranking: for terms so
   * common that BM25 cannot tell documents apart. FTS5 walks its doclists
   * backwards and stops after `k`.
   */
  ftsNewest(match: string, k: number): number[] {
    return this.all<{ rowid: number }>(
      `SELECT rowid FROM facts_fts WHERE facts_fts MATCH @match ORDER BY rowid DESC LIMIT ${limitAbove(k)}`,
      { match },
    )
      .slice(0, Math.max(0, k))
      .map((r) => r.rowid);
  }

  /**
   * The rows among `rowids` that match `match`. No ranking function here on
   * purpose: FTS5 recomputes bm25's document frequencies for every rowid of
   * an IN list, which costs a full doclist scan per row.
   */
  ftsMatching(match: string, rowids: readonly number[]): number[] {
    if (rowids.length === 0) return [];
    return this.all<{ rowid: number }>(
      "SELECT rowid FROM facts_fts WHERE facts_fts MATCH @match AND rowid IN (SELECT value FROM json_each(@ids))",
      { match, ids: JSON.stringify(rowids) },
    ).map((r) => r.rowid);
  }

  /**
   * For each of `tokens`, the rows among `rows` whose entity, relation or
   * value contain it (as the phrase `"token"`), in rowid order: the same
   * answers as {@link ftsMatching} per token, since a match depends only on
   * the row's own text and facts_fts indexes exactly these three columns
   * with this tokenizer.
   *
   * FTS5 itself turns the text into terms: rows not seen before, and the
   * tokens, go into a small temporary FTS5 table with facts_fts's tokenizer,
   * and their terms are read back through an fts5vocab table. A row's terms
   * are then kept (its text never changes), so a row is tokenized once and
   * each token costs a string search per row. A token that FTS5 makes no
   * term or several terms of (a phrase) is matched by FTS5 itself.
   */
  tokensMatching(tokens: readonly string[], rows: readonly Pick<FactRow, "rowid" | "entity" | "relation" | "value_v">[]): number[][] {
    if (tokens.length === 0) return [];
    const unique = [...new Map(rows.map((r) => [r.rowid, r])).values()].sort((a, b) => a.rowid - b.rowid);
    if (unique.length === 0) return tokens.map(() => []);
    const termsOf = this.termsOf(tokens, unique);
    const terms = tokens.map((t) => this.tokenTerms.get(t));
    if (terms.some((t) => typeof t !== "string")) return this.tokensMatchingInFts(tokens, unique);
    return terms.map((term) => {
      const needle = `\u0000${term}\u0000`;
      return unique.filter((r) => termsOf.get(r.rowid)!.includes(needle)).map((r) => r.rowid);
    });
  }

  /**
   * The terms of `rows` (rowid → `\0term\0…`), with the rows and tokens not
   * seen before tokenized in one pass through the temporary table.
   */
  private termsOf(tokens: readonly string[], rows: readonly Pick<FactRow, "rowid" | "entity" | "relation" | "value_v">[]): Map<number, string> {
    const out = new Map<number, string>();
    const docs: unknown[][] = [];
    for (const r of rows) {
      const known = this.rowTerms.get(r.rowid);
      if (known !== undefined) out.set(r.rowid, known);
      else docs.push([r.rowid, r.entity, r.relation, r.value_v]);
    }
    // Tokens are documents too, under rowids below 1 (facts start at 1).
    const newTokens = [...new Set(tokens.filter((t) => !this.tokenTerms.has(t)))];
    newTokens.forEach((t, i) => docs.push([-i, t, "", ""]));
    if (docs.length === 0) return out;
    const termsByDoc = new Map<number, string[]>();
    this.withCoverage(docs, () => {
      for (const [term, doc] of this.rows("SELECT term, doc FROM temp.recall_coverage_terms", {}, (r) => r as [string, number])) {
        const list = termsByDoc.get(doc);
        if (list === undefined) termsByDoc.set(doc, [term]);
        else list.push(term);
      }
    });
    if (this.tokenTerms.size + newTokens.length > MAX_TOKENS) this.tokenTerms.clear();
    newTokens.forEach((t, i) => {
      const terms = termsByDoc.get(-i) ?? [];
      this.tokenTerms.set(t, terms.length === 1 ? terms[0]! : null);
    });
    // As many rows' terms (~100 bytes each) as the view copy may hold rows.
    const keep = this.cached.maxRows;
    for (const d of docs) {
      const rowid = d[0] as number;
      if (rowid < 1) continue;
      const terms = `\u0000${(termsByDoc.get(rowid) ?? []).join("\u0000")}\u0000`;
      out.set(rowid, terms);
      if (keep > 0) this.rowTerms.set(rowid, terms);
    }
    // Oldest first: drop an eighth when full.
    if (this.rowTerms.size > keep) {
      let drop = this.rowTerms.size - (keep - (keep >> 3));
      for (const rowid of this.rowTerms.keys()) {
        if (drop-- <= 0) break;
        this.rowTerms.delete(rowid);
      }
    }
    return out;
  }

  /** {@link tokensMatching} by one FTS5 query per token over the rows in the temporary table. */
  private tokensMatchingInFts(tokens: readonly string[], rows: readonly Pick<FactRow, "rowid" | "entity" | "relation" | "value_v">[]): number[][] {
    return this.withCoverage(
      rows.map((r) => [r.rowid, r.entity, r.relation, r.value_v]),
      () =>
        tokens.map((t) =>
          this.all<{ rowid: number }>("SELECT rowid FROM temp.recall_coverage WHERE recall_coverage MATCH @match ORDER BY rowid", {
            match: `"${t}"`,
          }).map((r) => r.rowid),
        ),
    );
  }

  /** Runs `read` with `docs` (`[rowid, entity, relation, value_v]`) in the temporary table, which is empty again afterwards. */
  private withCoverage<T>(docs: readonly unknown[][], read: () => T): T {
    this.prepareCoverage();
    this.run(
      `INSERT INTO temp.recall_coverage (rowid, entity, relation, value_v)
       SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')
       FROM json_each(@rows)`,
      { rows: JSON.stringify(docs) },
    );
    try {
      return read();
    } finally {
      this.run("INSERT INTO temp.recall_coverage (recall_coverage) VALUES ('delete-all')", {});
    }
  }

  /** Creates the temporary table of {@link tokensMatching} (contentless, facts_fts's columns and tokenizer) once per connection. */
  private prepareCoverage(): void {
    if (this.coverageReady) return;
    this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.recall_coverage USING fts5 (
      entity, relation, value_v,
      content = '',
      tokenize = 'porter unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.recall_coverage_terms USING fts5vocab(temp, recall_coverage, instance)`);
    this.coverageReady = true;
  }

  /**
   * The values of `entities`' facts of one of `relations` (name-like
   * relations) in the view `v`, in one statement: entity → names.
   */
  namesOf(entities: readonly string[], relations: readonly string[], v: ViewFilter): Map<string, string[]> {
    const out = new Map<string, string[]>();
    if (entities.length === 0 || relations.length === 0) return out;
    const params: Record<string, unknown> = { names_of: JSON.stringify(entities), name_relations: JSON.stringify(relations) };
    const where = viewWhere({ ...v, entity: undefined, relation: undefined }, params);
    const rows = this.all<{ entity: string; value_v: string }>(
      `SELECT hh.entity AS entity, f.value_v AS value_v FROM ${SCORING_VIEW_FROM}
       WHERE hh.entity IN (SELECT value FROM json_each(@names_of))
         AND hh.relation IN (SELECT value FROM json_each(@name_relations)) AND ${where}`,
      params,
    );
    for (const r of rows) out.set(r.entity, [...(out.get(r.entity) ?? []), r.value_v]);
    return out;
  }

  /** How many stored rows (any state) match `match`: a term's document frequency. */
  ftsCount(match: string): number {
    return this.all<{ n: number }>("SELECT count(*) AS n FROM facts_fts WHERE facts_fts MATCH @match", { match })[0]!.n;
  }

  /** Rows in the full-text index: every stored fact (facts are never deleted, so the highest rowid). */
  ftsDocuments(): number {
    return this.all<{ n: number | null }>("SELECT max(rowid) AS n FROM facts", {})[0]!.n ?? 0;
  }

  /**
   * The rows among `rowids` that are in the view `v`, for scoring, in no
   * particular order. Served from recall's copy of the view; the rows it
   * lacks are read (in any state) and kept.
   */
  viewRows(rowids: readonly number[], v: ViewFilter): ScoringRow[] {
    this.syncOutsideHolds();
    const out: ScoringRow[] = [];
    const missing: number[] = [];
    for (const rowid of rowids) {
      const fact = this.cached.get(rowid);
      if (fact === undefined) missing.push(rowid);
      else if (inView(fact, v)) out.push(fact.row);
    }
    if (missing.length > 0) {
      const read = this.rows(`SELECT ${CACHED_COLUMNS} FROM ${CACHED_FROM} WHERE f.rowid IN (SELECT value FROM json_each(@ids))`, { ids: JSON.stringify(missing) }, cachedFact);
      for (const fact of read) {
        this.cached.put(fact);
        if (inView(fact, v)) out.push(fact.row);
      }
    }
    return out;
  }

  /**
   * Every column of the facts `rowids` (any state), in no particular order:
   * what recall serves for the rows it scored from {@link ScoringRow}s.
   */
  factRows(rowids: readonly number[]): FactRow[] {
    if (rowids.length === 0) return [];
    return this.rows(
      `SELECT ${FULL_COLUMNS} FROM facts f ${FACT_JOINS} WHERE f.rowid IN (SELECT value FROM json_each(@ids))`,
      { ids: JSON.stringify(rowids) },
      fullRow,
    );
  }

  /** `cid` of each of the facts `rowids`. */
  cidsOf(rowids: readonly number[]): Map<number, string> {
    if (rowids.length === 0) return new Map();
    const rows = this.all<{ rowid: number; cid: string }>(
      "SELECT rowid, cid FROM facts WHERE rowid IN (SELECT value FROM json_each(@ids))",
      { ids: JSON.stringify(rowids) },
    );
    return new Map(rows.map((r) => [r.rowid, r.cid]));
  }

  /**
   * View rows of `v.entity` (required), best first: confidence, then the fact
   * order ≺ descending (origin HLC, origin node — `ownNodeId` for local
   * facts — then CID; SQLite compares TEXT bytewise, which for UTF-8 is code
   * point order). At most `limit`.
   */
  entityRows(v: ViewFilter & { entity: string }, ownNodeId: string, limit: number): FactRow[] {
    const params: Record<string, unknown> = { own: ownNodeId };
    const where = viewWhere(v, params);
    return this.readOnce(`entityRows ${where} ${JSON.stringify(params)}`, limit, (n) =>
      this.all<FactRow>(`SELECT ${FACT_COLUMNS} FROM ${VIEW_FROM} WHERE ${where} ${ENTITY_ORDER} LIMIT ${n}`, params),
    );
  }

  /**
   * {@link entityRows} for scoring: the same rows in the same order, as
   * {@link ScoringRow}s. Served from the entity's live heads in recall's
   * copy of the view, read and kept when missing (unless the entity has
   * more than {@link MAX_CACHED_HEADS}).
   */
  entityScoringRows(v: ViewFilter & { entity: string }, ownNodeId: string, limit: number): ScoringRow[] {
    this.syncOutsideHolds();
    const heads = this.cached.heads(v.entity) ?? this.readHeads(v.entity, ownNodeId);
    if (heads === undefined) {
      const params: Record<string, unknown> = { own: ownNodeId };
      const where = viewWhere(v, params);
      return this.readOnce(`entityScoringRows ${where} ${JSON.stringify(params)}`, limit, (n) =>
        this.rows(`SELECT ${SCORING_COLUMNS} FROM ${SCORING_VIEW_FROM} WHERE ${where} ${ENTITY_ORDER} LIMIT ${n}`, params, scoringRow),
      );
    }
    const out: ScoringRow[] = [];
    for (const fact of heads) {
      if (out.length >= limit) break;
      if (inView(fact, v)) out.push(fact.row);
    }
    return out;
  }

  /** Every live head of `entity` (any scope) in entity order, kept; undefined for an entity with too many. */
  private readHeads(entity: string, ownNodeId: string): readonly CachedFact[] | undefined {
    const heads = this.rows(
      `SELECT ${CACHED_COLUMNS} FROM ${CACHED_FROM} WHERE f.rowid IN
         (SELECT head_rowid FROM fact_heads WHERE entity = @entity AND live = 1)
       ${ENTITY_ORDER} LIMIT ${MAX_CACHED_HEADS + 1}`,
      { entity, own: ownNodeId },
      cachedFact,
    );
    if (heads.length > MAX_CACHED_HEADS) return undefined;
    this.cached.putHeads(entity, heads);
    return heads;
  }

  /**
   * Live edges touching `entity` in `scope`: `out` where it is the source,
   * `in` where it is the target. At most `cap`, in storage order.
   */
  edges(entity: string, direction: "out" | "in", v: ViewFilter, cap: number, ownNodeId: string): EdgeRow[] {
    // From recall's copy of the view when it can answer the view's condition.
    if (this.cached.maxRows > 0 && copyAnswers(v.readable)) {
      this.syncOutsideHolds();
      const fromCopy = direction === "out" ? this.outEdges(entity, v, cap, ownNodeId) : this.inEdges(entity, v, cap);
      if (fromCopy !== undefined) return fromCopy;
    }
    const column = direction === "out" ? "src" : "dst";
    const params: Record<string, unknown> = { entity };
    const where = viewWhere(v, params);
    return this.readOnce(`edges ${column} ${where} ${JSON.stringify(params)}`, cap, (n) =>
      this.all<EdgeRow>(
        `SELECT e.src, e.dst, e.relation, f.confidence, f.source, f.actor, f.received_from
         FROM fact_edges e
         JOIN fact_heads hh ON hh.head_rowid = e.fact_rowid
         JOIN facts f ON f.rowid = e.fact_rowid
         WHERE e.${column} = @entity AND e.scope = @scope AND ${where}
         ORDER BY e.fact_rowid LIMIT ${n}`,
        params,
      ),
    );
  }

  /**
   * {@link edges} out of `entity` from its live heads in recall's copy of the
   * view (its ref facts are its edges); undefined for an entity with too many
   * heads to keep as a list.
   */
  private outEdges(entity: string, v: ViewFilter, cap: number, ownNodeId: string): EdgeRow[] | undefined {
    const heads = this.cached.heads(entity) ?? this.readHeads(entity, ownNodeId);
    if (heads === undefined) return undefined;
    const view = { scope: v.scope, readable: v.readable };
    const out: { rowid: number; edge: EdgeRow }[] = [];
    for (const h of heads) {
      if (h.row === null || h.row.value_type !== "ref" || !inView(h, view)) continue;
      const dst = edgeTarget(h.row.value_v);
      if (dst === undefined) continue;
      out.push({ rowid: h.rowid, edge: { src: entity, dst, relation: h.row.relation, confidence: h.row.confidence, source: h.row.source, actor: h.row.actor, received_from: h.row.received_from } });
    }
    return out.sort((a, b) => a.rowid - b.rowid).slice(0, Math.max(0, cap)).map((e) => e.edge);
  }

  /**
   * {@link edges} into `entity`: the rowids of every fact pointing to it are
   * kept (until a commit writes another one, or another connection commits),
   * the facts come from recall's copy of the view. Undefined for an entity
   * with more than {@link MAX_CACHED_IN_EDGES} such facts.
   */
  private inEdges(entity: string, v: ViewFilter, cap: number): EdgeRow[] | undefined {
    let rowids = this.inEdgeRowids.get(entity);
    if (rowids === undefined) {
      const found = this.all<{ r: number }>(
        `SELECT fact_rowid AS r FROM fact_edges WHERE dst = @entity ORDER BY fact_rowid LIMIT ${MAX_CACHED_IN_EDGES + 1}`,
        { entity },
      );
      if (found.length > MAX_CACHED_IN_EDGES) return undefined;
      rowids = found.map((x) => x.r);
      if (this.inEdgeRowids.size >= MAX_IN_EDGE_LISTS) this.inEdgeRowids.clear();
      this.inEdgeRowids.set(entity, rowids);
    }
    const view = { scope: v.scope, readable: v.readable };
    const out: EdgeRow[] = [];
    for (let at = 0; at < rowids.length && out.length < cap; at += IN_EDGE_CHUNK) {
      const chunk = rowids.slice(at, at + IN_EDGE_CHUNK);
      const rows = new Map(this.viewRows(chunk, view).map((r) => [r.rowid, r]));
      for (const rowid of chunk) {
        const r = rows.get(rowid);
        if (r === undefined || r.value_type !== "ref") continue;
        out.push({ src: r.entity, dst: entity, relation: r.relation, confidence: r.confidence, source: r.source, actor: r.actor, received_from: r.received_from });
        if (out.length >= cap) break;
      }
    }
    return out;
  }

  /**
   * Keeps what {@link readOnce} remembers across awaits until the returned
   * function is called (still forgotten at once when the view changes):
   * a recall reads the same entities' rows and edges before and after
   * waiting for its semantic search.
   */
  holdReads(): () => void {
    this.syncCache();
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds === 0) this.reads = null;
    };
  }

  /**
   * A mark of the store's state: rows this connection changed since it
   * opened, and SQLite's count of commits by other connections (a CLI beside
   * the node). Equal before and after an await: nothing was written meanwhile.
   * Costs ~4 µs (the data_version pragma), so remembered reads follow the
   * view signal instead; a caller that sees the mark move calls
   * {@link forgetReads}.
   */
  stateMark(): string {
    const r = this.all<{ n: number; v: number }>("SELECT total_changes() AS n, (SELECT data_version FROM pragma_data_version()) AS v", {})[0]!;
    return `${r.n}/${r.v}`;
  }

  /** Drops what {@link readOnce} remembers, held or not. */
  forgetReads(): void {
    this.reads = null;
    this.syncCache();
  }

  /**
   * Drops recall's copy of the view if another connection committed since it
   * was last checked (~4 µs: the data_version pragma). This connection's own
   * writes drop what they change as they happen (FactStore).
   */
  private syncCache(): void {
    const version = this.all<{ v: number }>("SELECT data_version AS v FROM pragma_data_version()", {})[0]!.v;
    if (version === this.dataVersion) return;
    const first = this.dataVersion === undefined;
    this.dataVersion = version;
    if (!first) this.signal.everything();
  }

  /** {@link syncCache} for a read outside a recall's hold (a hold checks when it begins). */
  private syncOutsideHolds(): void {
    if (this.holds === 0) this.syncCache();
  }

  /**
   * `read(limit)`'s rows, remembered until the current synchronous run of
   * JavaScript ends or the view changes (view-signal.ts): one recall reads the
   * facts and edges of the same entities from several channels and walks.
   * `read(n)` must return the first `n` rows (see {@link limitAbove}; −1:
   * all) of one fixed order (ORDER BY … LIMIT n), so a shorter read is a
   * prefix of a longer one. Callers get their own arrays of at most `limit`.
   */
  private readOnce<T>(key: string, limit: number, read: (n: number) => T[]): T[] {
    if (!(limit >= 0)) return read(-1); // LIMIT −1: no limit
    const generation = this.generation;
    if (this.reads === null || this.reads.generation !== generation) {
      const reads = { generation, rows: new Map<string, { limit: number; rows: unknown[] }>() };
      if (this.reads === null) queueMicrotask(() => this.holds === 0 && (this.reads = null));
      this.reads = reads;
    }
    const known = this.reads.rows.get(key);
    if (known !== undefined && (limit <= known.limit || known.rows.length < known.limit)) {
      return known.rows.slice(0, Math.max(0, limit)) as T[];
    }
    const n = limitAbove(limit);
    const rows = read(n);
    this.reads.rows.set(key, { limit: n, rows });
    return rows.slice(0, limit);
  }

  private all<T>(sql: string, params: Record<string, unknown>): T[] {
    let stmt = this.cache.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt.all(params) as T[];
  }

  /** Rows of `sql` read as arrays and built by `build` (see recall-rows.ts). */
  private rows<T>(sql: string, params: Record<string, unknown>, build: (r: unknown[]) => T): T[] {
    let stmt = this.rawCache.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql).raw(true);
      this.rawCache.set(sql, stmt);
    }
    return (stmt.all(params) as unknown[][]).map(build);
  }

  private run(sql: string, params: Record<string, unknown>): void {
    let stmt = this.cache.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    stmt.run(params);
  }
}

/**
 * A literal for `LIMIT` of at least `n` rows (−1, no limit, for a negative
 * or non-finite `n`): `n` rounded up to one of four steps per power of two,
 * for the caller to cut the rows back to `n`. SQLite runs `ORDER BY … LIMIT`
 * markedly slower with a bound limit than with a literal one (measured here:
 * ~25 µs more per indexed entity or edge read, ~30 % more for an FTS5 rank
 * window), and the rounding keeps the prepared statements few.
 */
export function limitAbove(n: number): number {
  if (!(n >= 0) || !Number.isFinite(n)) return -1;
  const k = Math.ceil(n);
  if (k <= 8) return k;
  const step = 2 ** Math.floor(Math.log2(k)) / 4;
  return Math.ceil(k / step) * step;
}

/** The view conditions as SQL over `hh` (fact_heads) and `f` (facts); fills `params`. */
function viewWhere(v: ViewFilter, params: Record<string, unknown>): string {
  const where = ["hh.scope = @scope", renderSql(v.readable, VIEW_COLUMNS, params)];
  params.scope = v.scope;
  if (v.entity !== undefined) {
    where.push("hh.entity = @view_entity");
    params.view_entity = v.entity;
  }
  if (v.relation !== undefined) {
    where.push("hh.relation = @view_relation");
    params.view_relation = v.relation;
  }
  return where.join(" AND ");
}
