/**
 * Query understanding for recall (core/recall/query-intent.ts) as known
 * answers: stems, relation cues and synonyms, entity-name resolution and the
 * structured match of direct and multi-hop candidates.
 */
import { describe, expect, it } from "vitest";
import {
  askingWords,
  entityKind,
  entityNameWords,
  kindAsked,
  kindWordsOfNamed,
  nameWords,
  queryIntent,
  relationAsked,
  relationWords,
  resolveEntities,
  stem,
  structuredMatch,
  structuredScores,
  STRUCTURED,
  UNEXPLAINED_WORD_PENALTY,
  walkAsked,
  withoutWords,
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
});

describe("asking words, names and kinds", () => {
  it("records which query words ask for a relation", () => {
    const i = queryIntent("where is leo's manager based");
    expect([...askingWords(i, "rel:manager")]).toEqual([4]);
    expect([...askingWords(i, "memory:location")].sort()).toEqual([0, 5]);
    expect(askingWords(i, "memory:email").size).toBe(0);
  });
  it("reads 'reports to X' as asking for the relation inversely, 'X reports to' forwards", () => {
    expect([...queryIntent("who reports to priya").inverse]).toEqual([1]);
    expect(queryIntent("whom does felix report to").inverse.size).toBe(0);
  });
  it("knows led, leader and do", () => {
    expect(relationAsked(queryIntent("status of the project led by tobias"), "rel:lead")).toBe(true);
    expect(relationAsked(queryIntent("what does the ledger do"), "memory:description")).toBe(true);
  });
  it("resolves entities by display name, the longest spelling winning", () => {
    const data = `${P}/team/data`;
    const platform = `${P}/team/platform`;
    const names = new Map([
      [data, ["Data Platform"]],
      [platform, ["Developer Platform"]],
    ]);
    expect(resolveEntities(queryIntent("who leads the data platform team"), [data, platform], names)).toEqual([data]);
    expect(resolveEntities(queryIntent("who leads the platform team"), [data, platform], names)).toEqual([platform]);
    expect(nameWords("Project Helios")).toEqual(["project", "helios"]);
  });
  it("drops the kind word next to a named entity's name", () => {
    const i = queryIntent("email of the lead of the infra team");
    const kind = kindWordsOfNamed(i, [`${P}/team/infra`]);
    expect([...kind]).toEqual([7]);
    expect(relationAsked(i, "rel:member_of")).toBe(true);
    expect(relationAsked(withoutWords(i, kind), "rel:member_of")).toBe(false);
    expect(relationAsked(withoutWords(i, kind), "rel:lead")).toBe(true);
    // "which team does the event bus maintainer belong to": the team is asked for, not named.
    const j = queryIntent("which team does the event bus maintainer belong to");
    expect(kindWordsOfNamed(j, [`${P}/service/event-bus`]).size).toBe(0);
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
      { entity: priya, relation: "memory:location", named: false, via: { relations: ["rel:manager"], through: [] } },
      { entity: leo, relation: "rel:manager", named: true },
      { entity: leo, relation: "memory:email", named: true },
    ]);
    expect(s[1]).toBe(STRUCTURED.hop);
    expect(s[0]).toBeCloseTo(STRUCTURED.direct - UNEXPLAINED_WORD_PENALTY, 10);
    expect(s[2]).toBeCloseTo(STRUCTURED.direct - 2 * UNEXPLAINED_WORD_PENALTY, 10);
    expect(s[3]).toBe(STRUCTURED.namedOther);
  });
  it("marks a last step asked only by the path's own words as redundant", () => {
    const i = queryIntent("where is leo's manager based");
    const via = { relations: ["rel:manager", "rel:office"], through: [priya] };
    const [address, location] = structuredScores(i, [
      { entity: lisbon, relation: "memory:address", named: false, via },
      { entity: priya, relation: "memory:location", named: false, via: { relations: ["rel:manager"], through: [] } },
    ]);
    expect(location).toBe(1);
    expect(address!).toBeLessThan(location!);
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
      { entity: dana, relation: "rel:manager", named: false, via: { relations: ["rel:manager"], through: [] } },
    ]);
    expect(own).toBe(STRUCTURED.namedOther);
    expect(report).toBe(STRUCTURED.hop);
  });
  it("scales by the weight of the walk's start", () => {
    const i = queryIntent("who decided to use postgres for the ledger");
    const [s] = structuredScores(i, [{ entity: `${P}/decision/adr-007`, relation: "rel:decided_by", named: true, weight: 0.85 }]);
    expect(s).toBeCloseTo(0.85, 10);
  });
});

describe("walkAsked never takes the same relation twice in a row", () => {
  it("does not fan out to siblings through a shared office", () => {
    const leo = `${P}/person/leo`;
    const lisbon = `${P}/office/lisbon`;
    const victor = `${P}/person/victor`;
    const graph: Record<string, IntentEdge[]> = {
      [leo]: [{ to: lisbon, relation: "rel:office" }],
      [lisbon]: [{ to: victor, relation: "rel:office" }],
    };
    const r = walkAsked(queryIntent("where is leo based"), [leo], 2, 50, (e) => graph[e] ?? []);
    expect([...r.keys()]).toEqual([lisbon]);
  });
});
