/**
 * Query understanding for recall (core/recall/query-intent.ts) as known
 * answers: stems, relation cues and synonyms, entity-name resolution and the
 * structured match of direct and multi-hop candidates.
 */
import { describe, expect, it } from "vitest";
import {
  entityKind,
  entityNameWords,
  kindAsked,
  queryIntent,
  relationAsked,
  relationWords,
  resolveEntities,
  stem,
  structuredMatch,
  STRUCTURED,
  walkAsked,
  type IntentEdge,
} from "../../src/core/recall/query-intent.js";

const P = "stigmem://acme";

describe("stem", () => {
  it("maps inflections of one word to one stem", () => {
    expect(stem("maintainer")).toBe("maintain");
    expect(stem("maintains")).toBe("maintain");
    expect(stem("maintain")).toBe("maintain");
    expect(stem("location")).toBe("locat");
    expect(stem("located")).toBe("locat");
    expect(stem("manager")).toBe("manag");
    expect(stem("manages")).toBe("manag");
  });
  it("leaves short words alone", () => {
    expect(stem("job")).toBe("job");
    expect(stem("is")).toBe("is");
  });
});

describe("relation words and cues", () => {
  it("drops the prefix and link words", () => {
    expect(relationWords("rel:owned_by")).toEqual(["own"]);
    expect(relationWords("memory:start_date")).toEqual(["start", "dat"]);
    expect(relationWords("memory:location")).toEqual(["locat"]);
    expect(relationWords("memory:budget_eur")).toEqual(["budget"]);
  });
  it("matches a relation by its own word, inflected", () => {
    expect(relationAsked(queryIntent("who maintains the billing service"), "rel:maintains")).toBe(true);
    expect(relationAsked(queryIntent("the maintainer of billing"), "rel:maintains")).toBe(true);
    expect(relationAsked(queryIntent("who maintains billing"), "memory:location")).toBe(false);
  });
  it("matches a relation through everyday synonyms", () => {
    expect(relationAsked(queryIntent("where is dana based these days?"), "memory:location")).toBe(true);
    expect(relationAsked(queryIntent("who is lena's boss"), "rel:manager")).toBe(true);
    expect(relationAsked(queryIntent("kenji job title"), "memory:role")).toBe(true);
    expect(relationAsked(queryIntent("when did ingrid join the company"), "memory:start_date")).toBe(true);
  });
  it("joins adjacent words", () => {
    expect(relationAsked(queryIntent("what time zone is kenji in"), "memory:timezone")).toBe(true);
  });
});

describe("entity names", () => {
  it("takes the last path segment's words and the kind", () => {
    expect(entityNameWords(`${P}/service/search-api`)).toEqual(["search", "api"]);
    expect(entityKind(`${P}/service/search-api`)).toBe("service");
    expect(entityNameWords("user:alice")).toEqual(["alice"]);
  });
  it("resolves names spelled out in the query, longest name first", () => {
    const cands = [`${P}/team/search`, `${P}/service/search-api`, `${P}/person/dana`, `${P}/dependency/billing--ledger`];
    expect(resolveEntities(queryIntent("who maintains the search api"), cands)).toEqual([`${P}/service/search-api`]);
    expect(resolveEntities(queryIntent("What's Dana's role?"), cands)).toEqual([`${P}/person/dana`]);
    expect(resolveEntities(queryIntent("billing depends on what"), cands)).toEqual([]);
  });
  it("asks for a kind named by a cue", () => {
    expect(kindAsked(queryIntent("the maintainer of billing"), `${P}/maintainership/dana-billing`)).toBe(true);
    expect(kindAsked(queryIntent("who is on call for billing"), `${P}/oncall/billing`)).toBe(true);
    expect(kindAsked(queryIntent("who is on call for billing"), `${P}/person/leo`)).toBe(false);
  });
});

describe("structuredMatch", () => {
  const dana = `${P}/person/dana`;
  it("scores a named entity's asked-for relation highest", () => {
    const i = queryIntent("where is dana based");
    expect(structuredMatch(i, { entity: dana, relation: "memory:location", named: true })).toBe(STRUCTURED.direct);
    expect(structuredMatch(i, { entity: dana, relation: "memory:email", named: true })).toBe(STRUCTURED.namedOther);
    expect(structuredMatch(i, { entity: dana, relation: "memory:location", named: false })).toBe(0);
  });
  it("scores the answer of a multi-hop question over an asked-for edge", () => {
    const i = queryIntent("where does the maintainer of billing sit?");
    const via = { relations: ["rel:maintains"], through: [] };
    expect(structuredMatch(i, { entity: dana, relation: "memory:location", named: false, via })).toBe(STRUCTURED.hop);
    expect(structuredMatch(i, { entity: dana, relation: "rel:maintains", named: false, via, beyond: true })).toBe(STRUCTURED.hopLinkBeyond);
    expect(structuredMatch(i, { entity: dana, relation: "rel:maintains", named: false, via })).toBe(STRUCTURED.hopLink);
    expect(structuredMatch(i, { entity: dana, relation: "memory:email", named: false, via })).toBe(0);
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
    expect(r.get(dana)).toEqual({ hops: 1, relations: ["rel:maintains"], through: [] });
    expect(r.get(oscar)).toEqual({ hops: 2, relations: ["rel:object", "rel:subject"], through: [m] });
  });
  it("chains asked-for relations", () => {
    const r = walkAsked(queryIntent("who is the manager of the billing maintainer"), [billing], 2, 50, edgesOf);
    expect(r.get(priya)).toEqual({ hops: 2, relations: ["rel:maintains", "rel:manager"], through: [dana] });
    expect(r.has(leo)).toBe(false);
  });
  it("reaches nothing when no edge is asked for", () => {
    expect(walkAsked(queryIntent("billing description"), [billing], 2, 50, edgesOf).size).toBe(0);
  });
});
