/** Known answers of the supersession decision (protocol.md §6), one row per situation a writer meets. */
import { describe, expect, it } from "vitest";
import { decideSupersession, type ArrivingFact, type ChainHead } from "../../../src/core/supersession.js";

const NOW = 1_800_000_000_000;
const HERE = "stigmem:node:here";
const PEER = "stigmem:node:peer";

function head(id: string, over: Partial<ChainHead> = {}): ChainHead {
  return {
    id,
    source: "s:a",
    valueKey: "string:x",
    confidence: 1,
    origin_hlc: { wall: 100, counter: 0 },
    origin_node_id: HERE,
    cid: `sha256:${id}`,
    live: true,
    validUntilMs: null,
    supersedes: [],
    ...over,
  };
}

function local(id: string, over: Partial<ArrivingFact> = {}): ArrivingFact {
  return {
    id,
    source: "s:a",
    valueKey: "string:y",
    confidence: 1,
    origin_hlc: { wall: 200, counter: 0 },
    origin_node_id: HERE,
    cid: `sha256:${id}`,
    validUntilMs: null,
    origin: { kind: "local" },
    ...over,
  };
}

function ingested(id: string, supersedes: string[], over: Partial<ArrivingFact> = {}): ArrivingFact {
  return local(id, { origin_node_id: PEER, origin: { kind: "ingested", supersedes }, ...over });
}

interface Row {
  what: string;
  fact: ArrivingFact;
  heads: ChainHead[];
  becomesHead: boolean;
  supersedes: string[];
  conflicts: string[];
  contradicted: boolean | null;
  winner?: string | null;
}

const table: Row[] = [
  { what: "a first fact heads a new chain", fact: local("n"), heads: [], becomesHead: true, supersedes: [], conflicts: [], contradicted: false, winner: "string:y" },
  { what: "a same-source update supersedes, no conflict", fact: local("n"), heads: [head("h")], becomesHead: true, supersedes: ["h"], conflicts: [], contradicted: false, winner: "string:y" },
  {
    what: "another source's different value conflicts and contradicts",
    fact: local("n", { source: "s:b" }),
    heads: [head("h")],
    becomesHead: true,
    supersedes: [],
    conflicts: ["h"],
    contradicted: true,
    winner: "string:y",
  },
  { what: "another source's same value agrees", fact: local("n", { source: "s:b", valueKey: "string:x" }), heads: [head("h")], becomesHead: true, supersedes: [], conflicts: [], contradicted: false },
  {
    what: "a retraction supersedes and takes its chain out of the view, without conflict",
    fact: local("n", { confidence: 0 }),
    heads: [head("h"), head("o", { source: "s:b", valueKey: "string:z" })],
    becomesHead: true,
    supersedes: ["h"],
    conflicts: [],
    contradicted: false,
    winner: "string:z",
  },
  {
    what: "a retracted head is not in the view to conflict with",
    fact: local("n", { source: "s:b" }),
    heads: [head("h", { confidence: 0, live: false })],
    becomesHead: true,
    supersedes: [],
    conflicts: [],
    contradicted: false,
  },
  {
    what: "an expired head is not in the view to conflict with",
    fact: local("n", { source: "s:b" }),
    heads: [head("h", { validUntilMs: NOW })],
    becomesHead: true,
    supersedes: [],
    conflicts: [],
    contradicted: false,
  },
  {
    what: "a head expiring later still conflicts, and sets the next expiry",
    fact: local("n", { source: "s:b" }),
    heads: [head("h", { validUntilMs: NOW + 5 })],
    becomesHead: true,
    supersedes: [],
    conflicts: ["h"],
    contradicted: true,
  },
  {
    what: "an arriving fact that is already expired leaves the view as it was",
    fact: local("n", { source: "s:b", validUntilMs: NOW - 1 }),
    heads: [head("h")],
    becomesHead: true,
    supersedes: [],
    conflicts: ["h"],
    contradicted: false,
    winner: "string:x",
  },
  {
    what: "a late-arriving older fact of the same chain does not displace the head",
    fact: ingested("n", [], { origin_hlc: { wall: 50, counter: 0 } }),
    heads: [head("h", { supersedes: ["n"] })],
    becomesHead: false,
    supersedes: [],
    conflicts: [],
    contradicted: null,
  },
  {
    what: "a late older fact the head did not know of is a concurrent overwrite",
    fact: ingested("n", [], { origin_hlc: { wall: 50, counter: 0 } }),
    heads: [head("h")],
    becomesHead: false,
    supersedes: [],
    conflicts: ["h"],
    contradicted: null,
  },
  {
    what: "a newer ingested fact that declares the head superseded replaces it quietly",
    fact: ingested("n", ["h"]),
    heads: [head("h")],
    becomesHead: true,
    supersedes: ["h"],
    conflicts: [],
    contradicted: false,
  },
  {
    what: "a newer ingested fact unaware of the head is a concurrent overwrite: recorded, and it wins",
    fact: ingested("n", []),
    heads: [head("h")],
    becomesHead: true,
    supersedes: [],
    conflicts: ["h"],
    contradicted: false,
    winner: "string:y",
  },
  {
    what: "equal HLCs: the greater origin node id heads the chain",
    fact: ingested("n", [], { origin_hlc: { wall: 100, counter: 0 }, origin_node_id: "stigmem:node:zzz" }),
    heads: [head("h")],
    becomesHead: true,
    supersedes: [],
    conflicts: ["h"],
    contradicted: false,
  },
  {
    what: "equal HLCs: the smaller origin node id arrives too late",
    fact: ingested("n", [], { origin_hlc: { wall: 100, counter: 0 }, origin_node_id: "stigmem:node:aaa" }),
    heads: [head("h")],
    becomesHead: false,
    supersedes: [],
    conflicts: ["h"],
    contradicted: null,
  },
  {
    what: "equal HLC and node: the CID decides",
    fact: ingested("n", [], { origin_hlc: { wall: 100, counter: 0 }, origin_node_id: HERE, cid: "sha256:0" }),
    heads: [head("h", { cid: "sha256:f" })],
    becomesHead: false,
    supersedes: [],
    conflicts: [],
    contradicted: null,
  },
  {
    what: "the winner of a contradiction is the greatest (confidence, ≺)",
    fact: local("n", { source: "s:b", confidence: 0.5 }),
    heads: [head("h", { confidence: 0.9 })],
    becomesHead: true,
    supersedes: [],
    conflicts: ["h"],
    contradicted: true,
    winner: "string:x",
  },
];

describe("decideSupersession", () => {
  it.each(table)("$what", (row) => {
    const d = decideSupersession(row.fact, row.heads, NOW);
    expect(d.becomesHead).toBe(row.becomesHead);
    expect(d.supersedes).toEqual(row.supersedes);
    expect(d.conflictsWith.map((h) => h.id)).toEqual(row.conflicts);
    if (row.contradicted === null) expect(d.verdict).toBeNull();
    else expect(d.verdict?.contradicted).toBe(row.contradicted);
    if (row.winner !== undefined) expect(d.verdict?.winnerKey).toBe(row.winner);
  });

  it("tracks the first expiry among the heads in the view after the write", () => {
    const d = decideSupersession(local("n", { source: "s:b", validUntilMs: NOW + 9 }), [head("h", { validUntilMs: NOW + 5 })], NOW);
    expect(d.verdict?.nextExpiryMs).toBe(NOW + 5);
    const none = decideSupersession(local("n"), [head("h", { validUntilMs: NOW + 5 })], NOW);
    expect(none.verdict?.nextExpiryMs).toBeNull();
  });
});
