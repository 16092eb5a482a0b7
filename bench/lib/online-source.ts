/**
 * The import benchmark's source: a data folder written through the online
 * write path — the batch use case (node/facts/batch-assert.ts) and conflict
 * resolutions (node/conflicts/resolve-conflict.ts), in process, without
 * HTTP — holding the fact-core data set (dataset.ts: supersession, conflicts
 * between agents, retractions, refs) with some of its conflicts resolved.
 * Kept between runs: writing a million facts this way takes minutes.
 *
 * @module
 */
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/server/logger.js";
import { listConflicts } from "../../src/node/conflicts/list-conflicts.js";
import { resolveConflict } from "../../src/node/conflicts/resolve-conflict.js";
import { batchAssert } from "../../src/node/facts/batch-assert.js";
import { ANON_TRUSTED, type Principal } from "../../src/node/principal.js";
import { StigmemNode } from "../../src/node/stigmem-node.js";
import { entityFacts, FACTS_PER_ENTITY, type AssertBody } from "./dataset.js";

/** Bump when what the source holds changes, so cached sources are rebuilt. */
const SOURCE_VERSION = 1;

export interface Source {
  readonly dataDir: string;
  readonly dbPath: string;
  /** Built by this run (false: reused from an earlier one). */
  readonly built: boolean;
  /** Facts per second of the online write path while building it (undefined when reused). */
  readonly onlineRate: number | undefined;
}

/**
 * The source folder for `facts` facts of seed `seed` under `cacheDir`,
 * built (through the online path) when missing or when `fresh`.
 */
export async function onlineSource(cacheDir: string, facts: number, seed: number, fresh: boolean, log: (line: string) => void): Promise<Source> {
  const dataDir = path.join(cacheDir, `source-${facts}-${seed}-v${SOURCE_VERSION}`);
  const dbPath = path.join(dataDir, "stigmem.db");
  if (existsSync(dbPath) && !fresh) return { dataDir, dbPath, built: false, onlineRate: undefined };
  rmSync(dataDir, { recursive: true, force: true });
  const building = `${dataDir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const config = loadConfig({ STIGMEM_DATA_DIR: building, STIGMEM_AUTH_REQUIRED: "false", STIGMEM_EMBEDDER: "none", STIGMEM_LOG_LEVEL: "silent" });
  const node = StigmemNode.open(config, createLogger("silent"));
  const writer: Principal = { ...ANON_TRUSTED, entityUri: "agent:bench" };
  const entities = Math.ceil(facts / FACTS_PER_ENTITY);
  const t0 = performance.now();
  try {
    let batch: AssertBody[] = [];
    let written = 0;
    let lastLog = 0;
    const inFlight: Promise<unknown>[] = [];
    const flush = async (): Promise<void> => {
      inFlight.push(batchAssert(node, writer, { facts: batch }));
      written += batch.length;
      batch = [];
      if (inFlight.length >= 2) await inFlight.shift();
      if (written - lastLog >= 100_000) {
        lastLog = written;
        log(`  source: ${written.toLocaleString("en-US")} facts written online (${Math.round(written / ((performance.now() - t0) / 1000)).toLocaleString("en-US")} facts/s)`);
      }
    };
    for (let e = 0; e < entities && written + batch.length < facts; e++) {
      for (const f of entityFacts(e, entities, seed)) {
        if (written + batch.length >= facts) break;
        batch.push(f);
        if (batch.length === 500) await flush();
      }
    }
    if (batch.length > 0) await flush();
    await Promise.all(inFlight);
    const seconds = (performance.now() - t0) / 1000;
    // Resolve every tenth conflict, alternately by a winner and by a new value: overruled facts at scale.
    const resolver: Principal = { ...ANON_TRUSTED, entityUri: "agent:resolver" };
    let resolved = 0;
    for (let cursor: string | null = null, i = 0; ; ) {
      const page = listConflicts(node, resolver, { status: "unresolved", limit: 500, ...(cursor === null ? {} : { cursor }) });
      for (const c of page.conflicts) {
        if (i++ % 10 !== 0) continue;
        await resolveConflict(node, resolver, c.conflictId, resolved % 2 === 0 ? { winningFactId: c.factB.id } : { newValue: { type: "string", v: `settled-${resolved}` } });
        resolved++;
      }
      if (!page.hasMore) break;
      cursor = page.cursor;
    }
    log(`  source: ${node.factCount().toLocaleString("en-US")} facts, ${resolved} conflicts resolved, in ${seconds.toFixed(0)} s`);
    await node.close();
    renameSync(building, dataDir);
    return { dataDir, dbPath, built: true, onlineRate: written / seconds };
  } catch (e) {
    await node.close();
    throw e;
  }
}
