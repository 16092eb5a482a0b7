/**
 * Query understanding for recall (core/recall/query-intent.ts) as known
 * answers: asked relations (through the relation matcher, with no store
 * knowledge), the structured match of direct and multi-hop candidates, the
 * walk over asked-for edges, and settling outasked relations.
 */
import { describe, expect, it } from "vitest";
import {
  answerScore,
  ANSWER_FLOOR,
  askingWords,
  contentWordIndices,
  kindAsked,
  queryIntent,
  relationAsked,
  settleIntent,
  structuredMatch,
  structuredScores,
  STRUCTURED,
  UNEXPLAINED_WORD_PENALTY,
  walkAsked,
  type IntentEdge,
} from "../../src/core/recall/query-intent.js";
import type { RelationProfile } from "../../src/core/recall/relation-match.js";

const P = "stigmem://acme";

describe("relations asked", () => {
  it("matches a relation by its own word, inflected", () => {
    expect(relationAsked(queryIntent("who maintains the billing service"), "rel:maintains")).toBe(true);
    expect(relationAsked(queryIntent("the maintainer of billing"), "rel:maintains")).toBe(true);
    expect(relationAsked(queryIntent("who maintains billing"), "memory:location")).toBe(false);
  });
  it("matches a relation through the generic lexicon", () => {
    expect(relationAsked(queryIntent("where is dana based these days?"), "memory:location")).toBe(true);
    expect(relationAsked(queryIntent("who is lena's boss"), "rel:manager")).toBe(true);
    expect(relationAsked(queryIntent("kenji job title"), "memory:role")).toBe(true);
    expect(relationAsked(queryIntent("who looks after the billing system"), "rel:maintains")).toBe(true);
  });
  it("joins adjacent words, and reads a last 'do' as asking for a description", () => {
    expect(relationAsked(queryIntent("what time zone is kenji in"), "memory:timezone")).toBe(true);
    expect(relationAsked(queryIntent("who is on call?"), "has-oncall")).toBe(true);
    expect(relationAsked(queryIntent("what does the ledger do"), "memory:description")).toBe(true);
    expect(relationAsked(queryIntent("where do the servers live"), "memory:description")).toBe(false);
  });
  it("leaves out the skipped words (a named entity's name) when matching", () => {
    // "lead" of "the data platform team lead" names nothing when skipped.
    expect(relationAsked(queryIntent("lead email", new Set([0])), "rel:lead")).toBe(false);
  });
  it("asks for the kind of an entity named by a cue, on call included", () => {
    expect(kindAsked(queryIntent("the maintainer of billing"), `${P}/maintainership/dana-billing`)).toBe(true);
    expect(kindAsked(queryIntent("who is on call for billing"), `${P}/oncall/billing`)).toBe(true);
    expect(kindAsked(queryIntent("who is on call for billing"), `${P}/person/leo`)).toBe(false);
  });
  it("records every word that asks for a relation", () => {
    const i = queryIntent("where is leo's manager based");
    expect([...askingWords(i, "rel:manager")]).toEqual([4]);
    expect([...askingWords(i, "memory:location")].sort()).toEqual([0, 5]);
    expect(askingWords(i, "memory:email").size).toBe(0);
  });
  it("reads 'reports to X' as asking for the relation inversely, 'X reports to' forwards", () => {
    expect([...queryIntent("who reports to priya").inverse]).toEqual([1]);
    expect(queryIntent("whom does felix report to").inverse.size).toBe(0);
  });
  it("counts content words without stop words, filler or named words", () => {
    const i = queryIntent("does anyone go by a nickname", new Set());
    expect(contentWordIndices(i).map((k) => i.words[k])).toEqual(["go", "nickname"]);
  });
});

describe("answerScore", () => {
  it("maps every asked relation above the floor, an exact match to 1", () => {
    expect(answerScore(0.6)).toBeCloseTo(ANSWER_FLOOR, 10);
    expect(answerScore(1)).toBeCloseTo(1, 10);
    expect(answerScore(0.8)).toBeGreaterThan(ANSWER_FLOOR);
  });
});

describe("settleIntent", () => {
  it("leaves out a relation whose every asking word asks much more for another", () => {
    const i = queryIntent("who is on call?");
    expect(relationAsked(i, "contact:phone")).toBe(true);
    const settled = settleIntent(i, ["has-oncall", "contact:phone"]);
    expect(relationAsked(settled, "has-oncall")).toBe(true);
    expect(relationAsked(settled, "contact:phone")).toBe(false);
  });
  it("keeps relations asked by words nothing else asks for", () => {
    const i = queryIntent("where is dana based and what is her email");
    const settled = settleIntent(i, ["memory:location", "memory:email"]);
    expect(relationAsked(settled, "memory:location")).toBe(true);
    expect(relationAsked(settled, "memory:email")).toBe(true);
  });
});

describe("structuredMatch", () => {
  const dana = `${P}/person/dana`;
  it("scores a named entity's asked-for relation highest", () => {
    const i = queryIntent("dana location");
    expect(structuredMatch(i, { entity: dana, relation: "memory:location", named: true })).toBe(1);
    expect(structuredMatch(i, { entity: dana, relation: "memory:email", named: true })).toBe(STRUCTURED.namedOther);
    expect(structuredMatch(i, { entity: dana, relation: "memory:location", named: false })).toBe(0);
  });
  it("gives a value seed's other facts nothing (it is not named, only found)", () => {
    const i = queryIntent("dana location");
    expect(structuredMatch(i, { entity: dana, relation: "memory:email", named: true, seed: true })).toBe(0);
  });
  it("scores the answer of a multi-hop question over an asked-for edge", () => {
    const i = queryIntent("where does the maintainer of billing sit?");
    const via = { relations: ["rel:maintains"], through: [], from: `${P}/service/billing` };
    const location = structuredMatch(i, { entity: dana, relation: "memory:location", named: false, via });
    expect(location).toBeGreaterThanOrEqual(ANSWER_FLOOR);
    const edge = { entity: dana, relation: "rel:maintains", named: false, via, ref: `${P}/service/billing` };
    expect(structuredMatch(i, { ...edge, beyond: true })).toBeCloseTo(STRUCTURED.hopLinkBeyond, 10);
    expect(structuredMatch(i, edge)).toBeCloseTo(STRUCTURED.hopLink, 10);
    expect(structuredMatch(i, { entity: dana, relation: "memory:email", named: false, via })).toBe(0);
  });
  it("does not take another fact of the path's relation for the edge it took ('the boss of the boss')", () => {
    const i = queryIntent("who is dana's boss");
    const priya = `${P}/person/priya`;
    const via = { relations: ["rel:manager"], through: [], from: dana };
    expect(structuredMatch(i, { entity: priya, relation: "rel:manager", named: false, via, ref: `${P}/person/omar` })).toBe(0);
  });
  it("follows a reified relationship through an asked-for kind", () => {
    const i = queryIntent("who maintains the payments gateway");
    const via = { relations: ["rel:object"], through: [] };
    const m = `${P}/maintainership/oscar-payments-gateway`;
    expect(structuredMatch(i, { entity: m, relation: "rel:subject", named: false, via })).toBe(STRUCTURED.hop);
  });
  it("gives nothing to a question that names no entity and no path", () => {
    const i = queryIntent("best sourdough bread recipe");
    expect(structuredMatch(i, { entity: dana, relation: "memory:location", named: false })).toBe(0);
  });
});

describe("walkAsked", () => {
  const billing = `${P}/service/billing`;
  const dana = `${P}/person/dana`;
  const leo = `${P}/person/leo`;
  const priya = `${P}/person/priya`;
  const oncall = `${P}/oncall/billing`;
  const m = `${P}/maintainership/oscar-billing`;
  const oscar = `${P}/person/oscar`;
  const graph: Record<string, IntentEdge[]> = {
    [billing]: [
      { to: dana, relation: "rel:maintains" },
      { to: oncall, relation: "rel:object" },
      { to: m, relation: "rel:object" },
    ],
    [oncall]: [{ to: leo, relation: "rel:subject" }, { to: dana, relation: "rel:escalates_to" }],
    [m]: [{ to: oscar, relation: "rel:subject" }],
    [dana]: [{ to: priya, relation: "rel:manager" }],
  };
  const edgesOf = (e: string): IntentEdge[] => graph[e] ?? [];
  it("follows only asked-for edges and reification links of asked-for kinds", () => {
    const r = walkAsked(queryIntent("where does the maintainer of billing sit"), [billing], 2, 50, edgesOf);
    expect([...r.keys()].sort()).toEqual([m, dana, oscar].sort());
    expect(r.get(dana)).toEqual({ hops: 1, relations: ["rel:maintains"], through: [], from: billing });
    expect(r.get(oscar)).toEqual({ hops: 2, relations: ["rel:object", "rel:subject"], through: [m], from: billing });
  });
  it("chains asked-for relations", () => {
    const r = walkAsked(queryIntent("who is the manager of the billing maintainer"), [billing], 2, 50, edgesOf);
    expect(r.get(priya)).toEqual({ hops: 2, relations: ["rel:maintains", "rel:manager"], through: [dana], from: billing });
    expect(r.has(leo)).toBe(false);
  });
  it("reaches nothing when no edge is asked for", () => {
    expect(walkAsked(queryIntent("billing description"), [billing], 2, 50, edgesOf).size).toBe(0);
  });
  it("takes no step asked only by the words of the step before (someone's site, then every ward at that site)", () => {
    const site = `${P}/site/nbh`;
    const ward = `${P}/ward/a1`;
    const g: Record<string, IntentEdge[]> = { [dana]: [{ to: site, relation: "hr:site" }], [site]: [{ to: ward, relation: "org:located_at" }] };
    const r = walkAsked(queryIntent("where is dana based"), [dana], 2, 50, (e) => g[e] ?? []);
    expect([...r.keys()]).toEqual([site]);
  });
  it("does not fan out to siblings through a shared office", () => {
    const lisbon = `${P}/office/lisbon`;
    const victor = `${P}/person/victor`;
    const g: Record<string, IntentEdge[]> = { [leo]: [{ to: lisbon, relation: "rel:office" }], [lisbon]: [{ to: victor, relation: "rel:office" }] };
    const r = walkAsked(queryIntent("where is leo based"), [leo], 2, 50, (e) => g[e] ?? []);
    expect([...r.keys()]).toEqual([lisbon]);
  });
  it("walks only edges asked by name: the answer's kind ('which team') opens no way there", () => {
    const team = `${P}/team/web`;
    const profile = (r: string): RelationProfile | undefined =>
      r === "rel:sponsor" ? { kinds: new Map([["service", 1]]), refKinds: new Map([["team", 1]]), timeShare: 0, numberShare: 0, valueWords: [] } : undefined;
    const i = queryIntent("which team does the billing maintainer belong to", new Set([4]), { profile });
    expect(relationAsked(i, "rel:sponsor")).toBe(true);
    const r = walkAsked(i, [billing], 1, 50, () => [{ to: team, relation: "rel:sponsor" }]);
    expect(r.has(team)).toBe(false);
  });
});

describe("structuredScores", () => {
  const leo = `${P}/person/leo`;
  const priya = `${P}/person/priya`;
  const lisbon = `${P}/office/lisbon`;
  it("prefers the end of the chain that explains every asking word", () => {
    const i = queryIntent("where is leo's manager based");
    const s = structuredScores(i, [
      { entity: leo, relation: "memory:location", named: true },
      { entity: priya, relation: "memory:location", named: false, via: { relations: ["rel:manager"], through: [], from: leo } },
      { entity: leo, relation: "rel:manager", named: true },
      { entity: leo, relation: "memory:email", named: true },
    ]);
    expect(s[1]!).toBeGreaterThan(s[0]!);
    expect(s[1]!).toBeGreaterThan(s[2]!);
    expect(s[0]!).toBeCloseTo(s[1]! - UNEXPLAINED_WORD_PENALTY, 10);
    expect(s[3]).toBe(STRUCTURED.namedOther);
  });
  it("gives a last step asked only by the path's own words nothing", () => {
    const i = queryIntent("where is leo's manager based");
    const via = { relations: ["rel:manager", "rel:office"], through: [priya], from: leo };
    const [address, location] = structuredScores(i, [
      { entity: lisbon, relation: "memory:address", named: false, via },
      { entity: priya, relation: "memory:location", named: false, via: { relations: ["rel:manager"], through: [], from: leo } },
    ]);
    expect(location!).toBeGreaterThan(address!);
  });
  it("prefers the two-hop on-call answer over the first hop", () => {
    const i = queryIntent("who is on call for the service checkout depends on");
    const checkout = `${P}/service/checkout`;
    const gw = `${P}/service/payments-gateway`;
    const [first, answer, nearOncall] = structuredScores(i, [
      { entity: checkout, relation: "rel:depends_on", named: true },
      { entity: `${P}/oncall/payments-gateway`, relation: "rel:subject", named: false, via: { relations: ["rel:depends_on", "rel:object"], through: [gw] } },
      { entity: `${P}/oncall/checkout`, relation: "rel:subject", named: false, via: { relations: ["rel:object"], through: [] } },
    ]);
    expect(answer!).toBeGreaterThan(first!);
    expect(answer!).toBeGreaterThan(nearOncall!);
  });
  it("answers 'who reports to X' with the edges into X, not X's own manager", () => {
    const i = queryIntent("who reports to priya");
    const dana = `${P}/person/dana`;
    const [own, report] = structuredScores(i, [
      { entity: priya, relation: "rel:manager", named: true },
      { entity: dana, relation: "rel:manager", named: false, via: { relations: ["rel:manager"], through: [], from: priya }, ref: priya },
    ]);
    expect(own).toBe(STRUCTURED.namedOther);
    expect(report!).toBeGreaterThanOrEqual(ANSWER_FLOOR);
  });
  it("scales by the weight of the walk's start", () => {
    const i = queryIntent("who decided to use postgres for the ledger");
    const [s] = structuredScores(i, [{ entity: `${P}/decision/adr-007`, relation: "rel:decided_by", named: true, weight: 0.85 }]);
    expect(s).toBeCloseTo(0.85, 10);
  });
});
