/**
 * Entity linking for recall (core/recall/entity-link.ts): which stored
 * entities a question names through their id words and stated names,
 * abbreviations and initialisms included, and the guards against false links.
 */
import { describe, expect, it } from "vitest";
import { entityIdWords, entityKind, linkEntities, type EntitySpellings } from "../../src/core/recall/entity-link.js";
import { STOPWORDS_V1 } from "../../src/core/recall/query-text.js";

const M = "stigmem://mhn";
const isStop = (w: string): boolean => STOPWORDS_V1.has(w);
const words = (q: string): string[] => q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
const link = (q: string, cands: EntitySpellings[], reserved?: (w: string) => boolean) =>
  linkEntities(words(q), isStop, cands, reserved).map((l) => `${l.entity.slice(M.length + 1)}@${[...l.words].join(",")}:${l.strength}`);

describe("entity id words and kinds", () => {
  it("splits the last path segment and names the kind", () => {
    expect(entityIdWords(`${M}/svc/pay-gw`)).toEqual(["pay", "gw"]);
    expect(entityIdWords("user:alice")).toEqual(["alice"]);
    expect(entityKind(`${M}/svc/pay-gw`)).toBe("svc");
  });
});

describe("linkEntities", () => {
  it("links ids spelled out, abbreviated and as initialisms", () => {
    expect(link("who owns the payment gateway", [{ entity: `${M}/svc/pay-gw` }])).toEqual(["svc/pay-gw@3,4:0.9"]);
    expect(link("who is on call for the laboratory information system", [{ entity: `${M}/svc/lis` }])).toEqual(["svc/lis@6,7,8:0.9"]);
    expect(link("kwame asante pager", [{ entity: `${M}/staff/kwame-asante` }])).toEqual(["staff/kwame-asante@0,1:1"]);
  });

  it("links stated names and aliases, numbers spelled out included", () => {
    expect(link("when did Bea join", [{ entity: `${M}/staff/beatrice-nwosu`, names: ["Bea", "Beatrice Nwosu"] }])).toEqual([
      "staff/beatrice-nwosu@2:1",
    ]);
    expect(link("how many beds in icu level one", [{ entity: `${M}/ward/icu1`, names: ["ICU Level 1"] }])).toEqual(["ward/icu1@4,5,6:1"]);
  });

  it("keeps the longer name when one named entity's words contain another's", () => {
    const cands = [{ entity: `${M}/team/search` }, { entity: `${M}/service/search-api` }];
    expect(link("who maintains the search api", cands)).toEqual(["service/search-api@3,4:1"]);
  });

  it("does not let an initialism hide a spelling of more words", () => {
    const cands = [{ entity: `${M}/svc/bms` }, { entity: `${M}/svc/bed-mgmt` }];
    expect(link("who owns the bed management system", cands).sort()).toEqual(["svc/bed-mgmt@3,4:0.9", "svc/bms@3,4,5:0.9"]);
  });

  it("never links two-letter words alone or to stop words", () => {
    expect(link("who is it", [{ entity: `${M}/dept/it`, names: ["IT"] }])).toEqual([]);
    expect(link("the gateway", [{ entity: `${M}/svc/gw` }])).toEqual([]);
    expect(link("what is Jo's job title", [{ entity: `${M}/staff/joanne-pike`, names: ["Jo"] }])).toEqual(["staff/joanne-pike@2:1"]);
  });

  it("links a lone abbreviation less surely, and not when the word names a relation or the names disagree", () => {
    expect(link("who is in charge of radiology", [{ entity: `${M}/dept/rad`, names: ["Radiology Department"] }])).toEqual(["dept/rad@5:0.8"]);
    expect(link("who led the incident response", [{ entity: `${M}/dept/resp`, names: ["Respiratory Medicine"] }])).toEqual([]);
    expect(link("how risky are the changes", [{ entity: `${M}/svc/ris` }], (w) => w === "risky")).toEqual([]);
  });

  it("never reads a question word as a short form of a longer id word", () => {
    expect(link("email of the lead of the infra team", [{ entity: `${M}/team/leadership` }])).toEqual([]);
  });
});
