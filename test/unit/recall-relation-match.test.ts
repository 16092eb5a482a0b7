/**
 * How strongly a question asks for a relation (core/recall/relation-match.ts):
 * relation names split the ways stores write them, met by the question's
 * words, abbreviations, the generic lexicon and the embedder's word
 * similarity; evidence from what the store holds under a relation.
 */
import { describe, expect, it } from "vitest";
import {
  ASKED_MIN,
  kindHit,
  lexiconPair,
  relationName,
  RelationMatcher,
  type RelationProfile,
  type WordSimilarity,
} from "../../src/core/recall/relation-match.js";
import { STOPWORDS_V1 } from "../../src/core/recall/query-text.js";
import { stem } from "../../src/core/recall/words.js";

function matcher(q: string, profiles: Record<string, Partial<RelationProfile>> = {}, similarity?: WordSimilarity, skip: number[] = []) {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const profile = (r: string): RelationProfile | undefined =>
    profiles[r] === undefined
      ? undefined
      : { kinds: new Map(), refKinds: new Map(), timeShare: 0, numberShare: 0, valueWords: [], ...profiles[r] };
  return new RelationMatcher({ words, stop: words.map((w) => STOPWORDS_V1.has(w)), skip: new Set(skip) }, profile, similarity);
}

describe("relationName", () => {
  it.each([
    ["contract:renewal_date", ["renewal", "date"], ["contract"]],
    ["languagesSpoken", ["languages", "spoken"], []],
    ["has-oncall", ["oncall"], []],
    ["rel:owned_by", ["owned"], ["rel"]],
    ["hr:reports_to", ["reports"], ["hr"]],
  ])("%s → %j", (relation, words, namespace) => {
    const n = relationName(relation);
    expect(n.words).toEqual(words);
    expect(n.namespace).toEqual(namespace);
  });
  it("joins adjacent words (time_zone → timezone)", () => {
    expect(relationName("memory:time_zone").joined).toEqual(["timezone"]);
  });
});

describe("RelationMatcher", () => {
  it("scores the relation's own word 1, an abbreviation, the lexicon and a joined pair", () => {
    const m = matcher("who is on call and what is kwame's extension");
    expect(m.match("has-oncall").score).toBe(1);
    expect(m.match("contact:ext").score).toBeGreaterThanOrEqual(0.85);
    expect(m.match("hr:reports_to").score).toBe(0);
  });

  it("matches the lexicon's two-word entries", () => {
    expect(matcher("who looks after billing").match("rel:maintains").score).toBeGreaterThanOrEqual(ASKED_MIN);
    expect(matcher("is orion on track").match("memory:status").score).toBeGreaterThanOrEqual(ASKED_MIN);
  });

  it("reads a short relation word as the lexicon word it abbreviates, and only as that", () => {
    expect(lexiconPair(stem("phone"), stem("ext"))).toBe(true);
    expect(matcher("what number do i ring").match("contact:ext").score).toBeGreaterThanOrEqual(ASKED_MIN);
    expect(matcher("how to descale a kettle").match("svc:desc").score).toBe(0);
    expect(matcher("what is she an expert in").match("contact:ext").score).toBe(0);
  });

  it("reads no short word as a lexicon word only a little longer (repo is no report)", () => {
    expect(lexiconPair(stem("boss"), stem("repo"))).toBe(false);
    expect(matcher("who looks after billing").match("memory:repo").score).toBe(0);
  });

  it("lets an initialism stand for its words (rto: recovery time objective)", () => {
    expect(matcher("what are the recovery time objectives").match("dr:rto").score).toBeGreaterThanOrEqual(0.85);
  });

  it("takes value questions from what the relation holds", () => {
    const profiles = { "hr:hire_date": { timeShare: 1 }, beds: { numberShare: 1 }, "hr:site": { refKinds: new Map([["site", 1]]) } };
    expect(matcher("when did she start", profiles).match("inc:opened_at").score).toBe(0);
    expect(matcher("when was it opened", { "inc:opened_at": { timeShare: 1 } }).match("inc:opened_at").score).toBe(1);
    expect(matcher("how many are there", profiles).match("beds").score).toBeGreaterThanOrEqual(ASKED_MIN);
    expect(matcher("where does she work", profiles).match("hr:site").score).toBeGreaterThanOrEqual(ASKED_MIN);
  });

  it("asks 'how long' for durations and 'how serious' for levels", () => {
    const profiles = { "dr:rto": { durationShare: 1 }, "ops:tier": { levelShare: 1 }, beds: { numberShare: 1 } };
    expect(matcher("how quickly must it be back", profiles).match("dr:rto").score).toBeGreaterThanOrEqual(ASKED_MIN);
    expect(matcher("how quickly must it be back", profiles).match("ops:tier").score).toBe(0);
    expect(matcher("how serious is the outage", profiles).match("ops:tier").score).toBeGreaterThanOrEqual(ASKED_MIN);
    expect(matcher("how serious is the outage", profiles).match("beds").score).toBe(0);
  });

  it("takes a word the names of what it references share ('hospital' for sites named … Hospital)", () => {
    const m = matcher("which hospital is cardiology at", { "org:located_at": { refKinds: new Map([["site", 1]]), refNameWords: ["hospital"] } });
    expect(m.match("org:located_at").score).toBeGreaterThanOrEqual(ASKED_MIN);
  });

  it("takes a word most values share as the relation's ('bleep' for Bleep 4410)", () => {
    const m = matcher("bleep of the ward manager", { "contact:pager": { valueWords: ["bleep"] } });
    expect(m.match("contact:pager").score).toBeGreaterThanOrEqual(ASKED_MIN);
    expect(m.match("contact:pager").nameScore).toBe(0);
  });

  it("takes a word naming the kind its references point to ('which team')", () => {
    const m = matcher("which team is dana on", { "rel:member_of": { refKinds: new Map([["team", 1]]) } });
    expect(m.match("rel:member_of").score).toBeGreaterThanOrEqual(ASKED_MIN);
  });

  it("raises a match by the kind holding it ('changes' for chg:status over inc:status)", () => {
    const profiles = { "chg:status": { kinds: new Map([["chg", 1]]) }, "inc:status": { kinds: new Map([["inc", 1]]) } };
    const m = matcher("what state are the changes in", profiles);
    expect(m.match("chg:status").score).toBeGreaterThan(m.match("inc:status").score);
    expect(m.match("inc:status").score).toBeGreaterThanOrEqual(ASKED_MIN);
  });

  it("uses the embedder's word similarity above its floor, below the lexicon", () => {
    const similarity: WordSimilarity = (a, b) => (a === "release" && b === "sw" ? 0.7 : a === "unrelated" ? 0.3 : undefined);
    expect(matcher("release", {}, similarity).match("sw").score).toBeCloseTo(0.7 * (0.7 + 0.3 * 0.7), 10);
    expect(matcher("unrelated", {}, similarity).match("sw").score).toBe(0);
  });

  it("names a kind through the lexicon too ('paged' for oncall), never through a name's words", () => {
    expect(kindHit("oncall", ["who", "gets", "paged"], ["who", "get", "pag"], [true, false, false]).strength).toBeGreaterThan(0);
    const m = matcher("who is on call for the nurse call system", { "contact:ext": { kinds: new Map([["staff", 1]]) } }, undefined, [7, 8]);
    expect([...m.match("contact:ext").words]).not.toContain(7);
  });

  it("never matches the skipped words (a named entity's)", () => {
    expect(matcher("lead email", {}, undefined, [0]).match("rel:lead").score).toBe(0);
  });
});
