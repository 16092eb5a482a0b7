/**
 * A deterministic, realistic fact workload: many entities of a few kinds,
 * about ten facts each, mixed value types and sizes, a handful of writing
 * agents, mostly `company` scope — and the things real memories do: an agent
 * updating its own earlier fact (same-source supersession), two agents
 * disagreeing (a conflict), an agent retracting a fact.
 *
 * @module
 */

/** The JSON body of one assert, as a REST client sends it. */
export interface AssertBody {
  entity: string;
  relation: string;
  value: { type: string; v?: string | number | boolean | null };
  source: string;
  confidence: number;
  scope: string;
}

/** Small fast PRNG (mulberry32) so every run writes the same data. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

const HOST = "stigmem://bench";
const KINDS = ["user", "user", "user", "project", "doc", "service"] as const;
const WORDS =
  "atlas roadmap migration latency customer billing invoice review launch owner incident postgres kafka cache budget quarter hiring design onboarding security audit release beta feedback contract renewal pipeline dashboard metrics oncall rollback schema index vendor pricing travel offsite standup retro planning deadline dependency api gateway token quota region europe berlin lisbon tokyo".split(
    " ",
  );
const ROLES = ["engineer", "designer", "product manager", "sales lead", "support", "data scientist", "sre", "recruiter", "cfo", "intern"];
const TEAMS = ["platform", "growth", "payments", "search", "infra", "mobile", "research", "ops"];
const STATUSES = ["planned", "in-flight", "blocked", "at-risk", "done", "cancelled"];

type Kind = "string" | "text" | "int" | "float" | "bool" | "datetime" | "ref" | "null";
const RELATIONS: readonly { relation: string; kind: Kind }[] = [
  { relation: "memory:role", kind: "string" },
  { relation: "memory:team", kind: "string" },
  { relation: "memory:email", kind: "string" },
  { relation: "memory:location", kind: "string" },
  { relation: "roadmap:status", kind: "string" },
  { relation: "intent:next_step", kind: "string" },
  { relation: "memory:bio", kind: "text" },
  { relation: "memory:notes", kind: "text" },
  { relation: "memory:age", kind: "int" },
  { relation: "memory:open_tickets", kind: "int" },
  { relation: "memory:score", kind: "float" },
  { relation: "memory:budget_eur", kind: "float" },
  { relation: "memory:active", kind: "bool" },
  { relation: "preference:dark_mode", kind: "bool" },
  { relation: "memory:joined_at", kind: "datetime" },
  { relation: "memory:last_seen", kind: "datetime" },
  { relation: "rel:manager", kind: "ref" },
  { relation: "rel:member_of", kind: "ref" },
  { relation: "rel:works_on", kind: "ref" },
  { relation: "memory:alias", kind: "null" },
];
const SCOPES = ["company", "company", "company", "company", "company", "company", "company", "team", "team", "local", "public"] as const;

/** Facts per entity in {@link entityFacts}. */
export const FACTS_PER_ENTITY = 10;

export function entityUri(i: number): string {
  const kind = KINDS[i % KINDS.length]!;
  return `${HOST}/${kind}/${kind}-${i}`;
}

function sourceUri(k: number): string {
  return `${HOST}/agent/ingest-${k}`;
}

function sentence(rng: Rng, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(rng.pick(WORDS));
  const s = out.join(" ");
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

function valueOf(rng: Rng, kind: Kind, entityCount: number, i: number): AssertBody["value"] {
  switch (kind) {
    case "string": {
      const r = rng.int(3);
      return { type: "string", v: r === 0 ? rng.pick(ROLES) : r === 1 ? rng.pick(TEAMS) : `${rng.pick(STATUSES)}-${rng.int(1000)}` };
    }
    case "text":
      // 10–60 words: a note, a summary, a bio.
      return { type: "text", v: sentence(rng, 10 + rng.int(50)) };
    case "int":
      return { type: "number", v: rng.int(5000) };
    case "float":
      return { type: "number", v: Math.round(rng.next() * 1e6) / 100 };
    case "bool":
      return { type: "boolean", v: rng.next() < 0.5 };
    case "datetime": {
      const ms = Date.UTC(2018, 0, 1) + rng.int(8 * 365 * 86_400) * 1000;
      return { type: "datetime", v: new Date(ms).toISOString() };
    }
    case "ref":
      return { type: "ref", v: entityUri((i + 1 + rng.int(entityCount - 1)) % entityCount) };
    case "null":
      return { type: "null", v: null };
  }
}

/**
 * The {@link FACTS_PER_ENTITY} facts of entity `i` of `entityCount`: nine
 * distinct relations from the entity's usual agent, then one of
 *
 * - 90 %: the same agent updates its first fact (supersession);
 * - 5 %: another agent asserts a different value for it (a conflict);
 * - 5 %: the same agent retracts its second fact (confidence 0).
 */
export function entityFacts(i: number, entityCount: number, seed = 1): AssertBody[] {
  const rng = new Rng((seed * 0x9e3779b1) ^ i);
  const entity = entityUri(i);
  const scope = SCOPES[i % SCOPES.length]!;
  const source = sourceUri(i % 16);
  const rels = [...RELATIONS];
  for (let k = rels.length - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    [rels[k], rels[j]] = [rels[j]!, rels[k]!];
  }
  const confidence = () => (rng.next() < 0.8 ? 1.0 : Math.round((0.5 + rng.next() * 0.5) * 100) / 100);
  const facts: AssertBody[] = rels.slice(0, FACTS_PER_ENTITY - 1).map((r) => ({
    entity,
    relation: r.relation,
    value: valueOf(rng, r.kind, entityCount, i),
    source,
    confidence: confidence(),
    scope,
  }));
  const roll = rng.next();
  const first = facts[0]!;
  const firstKind = rels[0]!.kind;
  if (roll < 0.9) {
    facts.push({ ...first, value: updatedValue(first.value, firstKind, rng, entityCount, i), confidence: 1.0 });
  } else if (roll < 0.95) {
    facts.push({ ...first, source: sourceUri((i + 7) % 16), value: { type: "string", v: `disputed-${i}` }, confidence: 0.9 });
  } else {
    facts.push({ ...facts[1]!, value: { type: "string", v: "retracted" }, confidence: 0 });
  }
  return facts;
}

/** A new value for an update: same type where it has one, never equal to the old one. */
function updatedValue(old: AssertBody["value"], kind: Kind, rng: Rng, entityCount: number, i: number): AssertBody["value"] {
  switch (kind) {
    case "null":
      return { type: "string", v: `alias-${i}` };
    case "bool":
      return { type: "boolean", v: !(old.v as boolean) };
    case "int":
    case "float":
      return { type: "number", v: (old.v as number) + 1 };
    case "datetime":
      return { type: "datetime", v: new Date(Date.parse(old.v as string) + 86_400_000).toISOString() };
    default: {
      const v = valueOf(rng, kind, entityCount, i);
      return v.v === old.v ? { ...v, v: `${String(v.v)} (updated)` } : v;
    }
  }
}

/**
 * One standalone assert for the latency and concurrency runs. Always a real
 * write (`n` makes the value unique); repeated (entity, relation) pairs come
 * from the entity's one agent, so they supersede rather than conflict.
 */
export function singleAssert(n: number, rng: Rng): AssertBody {
  const e = n % 5000;
  const r = RELATIONS[Math.floor(n / 5000 + n) % RELATIONS.length]!;
  let value: AssertBody["value"];
  switch (r.kind) {
    case "int":
    case "float":
      value = { type: "number", v: n + rng.int(100) / 100 };
      break;
    case "text":
      value = { type: "text", v: `${sentence(rng, 10 + rng.int(30))} #${n}` };
      break;
    case "ref":
      value = { type: "ref", v: entityUri(n) };
      break;
    case "datetime":
      value = { type: "datetime", v: new Date(Date.UTC(2020, 0, 1) + n * 1000).toISOString() };
      break;
    default:
      value = { type: "string", v: `${rng.pick(ROLES)}-${n}` };
  }
  return { entity: `${HOST}/session/session-${e}`, relation: r.relation, value, source: sourceUri(e % 16), confidence: 1.0, scope: "company" };
}
