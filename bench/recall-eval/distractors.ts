/**
 * Distractor facts for the recall evaluation, generated deterministically:
 * more of Acme — 300 other people, 20 other teams, 40 other services with
 * their maintainers, dependencies and on-call, 30 other projects and 25
 * other decisions — written with the same relations and value vocabulary as
 * the labelled set (other people's locations in the same offices, other
 * projects "at risk", other services in Go), so that recall must tell the
 * asked-for entity from its look-alikes.
 *
 * Distractor entity ids share no word with the labelled entities' ids (the
 * check in `check.ts` verifies it), and distractor refs only point at
 * distractor entities or at offices, so every label in `queries.ts` keeps its
 * meaning; labels that are true of any entity (`person/*`) count distractors
 * that match as relevant.
 *
 * @module
 */
import { Rng, type AssertBody } from "../lib/dataset.js";
import { EVAL_SCOPE, OFFICES, uri } from "./org.js";

const FIRST = "olga bruno fatima hugo ines karim lotte mehmet nora pablo quentin rosa stefan tamara ugo vera wei ximena yara zeynep anton beatriz cyril dmitri esther farid greta hiro ilse jamal kofi lina mirko nils orla petra rafael sven thea umar".split(" ");
const LAST = "brennan costa dahl eriksen ferreira gallo hansen ito jovanovic kim lopez meyer nakamura oliveira popescu quinn reyes silva tanaka ueda varga weber xu yilmaz zimmer acosta bauer castillo duarte eklund".split(" ");
const TEAM_IDS = "logistics partnerships marketing growth localization procurement workplace compliance research devrel community enterprise-accounts disputes-desk trust-and-safety internal-it customer-success brand analytics-engineering revenue-operations training".split(" ");
const SERVICE_PREFIX = "inventory shipping tax geo label quote voucher loyalty report export archive thumbnail translation consent webhook sitemap coupon receipt refund payroll".split(" ");
const SERVICE_SUFFIX = "worker engine proxy cache store scheduler daemon hub".split(" ");
const STARS = "vega rigel altair lyra deneb antares polaris sirius capella castor pollux spica arcturus mira electra maia alcor mizar hadar acrux gacrux shaula bellatrix saiph alnilam mintaka regulus denebola algol achernar".split(" ");

const ROLES = [
  "Backend Engineer", "Senior Backend Engineer", "Frontend Engineer", "Site Reliability Engineer", "Data Engineer", "Data Scientist",
  "Product Manager", "Product Designer", "QA Engineer", "Security Engineer", "Support Engineer", "Solutions Engineer", "Account Executive",
  "Technical Writer", "Engineering Manager", "Staff Engineer", "Mobile Engineer", "Platform Engineer", "Recruiter", "Finance Analyst",
  "Marketing Manager", "Office Manager", "Customer Success Manager", "Localization Specialist",
];
const REMOTE: readonly [string, string][] = [
  ["Remote, Tokyo, Japan", "Asia/Tokyo"], ["Remote, Madrid, Spain", "Europe/Madrid"], ["Remote, Warsaw, Poland", "Europe/Warsaw"],
  ["Remote, Stockholm, Sweden", "Europe/Stockholm"], ["Remote, Milan, Italy", "Europe/Rome"], ["Remote, Copenhagen, Denmark", "Europe/Copenhagen"],
  ["Remote, Nairobi, Kenya", "Africa/Nairobi"], ["Remote, Dublin, Ireland", "Europe/Dublin"], ["Remote, São Paulo, Brazil", "America/Sao_Paulo"],
  ["Remote, Porto, Portugal", "Europe/Lisbon"], ["Remote, Toronto, Canada", "America/Toronto"], ["Remote, Lagos, Nigeria", "Africa/Lagos"],
  ["Remote, Seoul, South Korea", "Asia/Seoul"], ["Remote, Athens, Greece", "Europe/Athens"], ["Remote, Austin, USA", "America/Chicago"],
];
const FLOORS = ["", ", 1st floor", ", 2nd floor", ", 3rd floor", ", 4th floor"];
const SKILLS = [
  "Go", "Java", "Kotlin", "TypeScript", "Python", "Rust", "SQL", "Postgres performance tuning", "Kafka", "Kubernetes", "Terraform",
  "React", "accessibility audits", "incident command", "capacity planning", "threat modelling", "Figma", "user research", "dbt", "Spark",
  "customer demos", "contract negotiation", "technical writing", "load testing", "observability", "mentoring", "hiring loops",
];
const LANGS = ["Go", "Java", "Kotlin", "TypeScript", "Python", "Rust", "Elixir", "Ruby"];
const TIERS = ["tier-1", "tier-2", "tier-2", "tier-3"];
const SERVICE_STATUS = ["in production", "in production", "in production", "in beta", "deprecated"];
const PROJECT_STATUS = [
  "on track", "on track", "planned", "at risk: key hire still open", "blocked: waiting for legal review", "done", "at risk: scope grew by a third",
];
const KINDS = ["synchronous HTTP calls", "asynchronous events", "nightly batch export", "shared database tables", "synchronous gRPC calls"];
const CRITICALITY = ["hard: stops without it", "soft: degrades gracefully", "soft: retries later"];
const ROTATIONS = ["weekly", "weekly, follow-the-sun", "two weeks", "business hours only"];
const VERBS = ["Cut", "Raise", "Automate", "Replace", "Consolidate", "Speed up", "Harden", "Simplify"];
const OBJECTS = [
  "the month-end close for partner payouts", "label printing for the European warehouses", "consent records across regions",
  "quote generation for enterprise deals", "thumbnail rendering costs", "translation turnaround for new markets",
  "webhook delivery retries", "refund handling time", "loyalty point expiry rules", "the sitemap rebuild",
  "payroll exports to the accounting firm", "shipping-rate lookups", "tax calculation for new jurisdictions",
];
const DECISION_TOPICS = [
  ["Use Redis for", "because in-memory reads met the latency budget at a fraction of the cost"],
  ["Move to managed Postgres for", "because operating our own replicas took a day a week"],
  ["Adopt gRPC between", "because JSON parsing dominated CPU profiles"],
  ["Drop the nightly batch in", "because event-driven updates removed a day of lag"],
  ["Vendor a commercial solution for", "because building it in-house would take two quarters"],
  ["Split the database of", "because one noisy tenant slowed everyone down"],
  ["Write new code in Kotlin for", "because the team already maintains Kotlin services"],
] as const;

function slugName(first: string, last: string): string {
  return `${first}-${last}`;
}
function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The distractor facts, in load order (every fact a fresh triple: no
 * supersession, no conflicts). About 3,800 facts for the default seed.
 */
export function distractorFacts(seed = 7): AssertBody[] {
  const rng = new Rng(seed);
  const out: AssertBody[] = [];
  const src = (a: string) => uri(`agent/${a}`);
  const add = (entity: string, relation: string, value: AssertBody["value"], source: string, confidence = 1.0) =>
    out.push({ entity: uri(entity), relation, value, source, confidence, scope: EVAL_SCOPE });
  const str = (v: string): AssertBody["value"] => ({ type: "string", v });
  const text = (v: string): AssertBody["value"] => ({ type: "text", v });
  const ref = (p: string): AssertBody["value"] => ({ type: "ref", v: uri(p) });
  const day = (): AssertBody["value"] => ({ type: "datetime", v: new Date(Date.UTC(2015, 0, 1) + rng.int(11 * 365) * 86_400_000).toISOString().replace(".000", "") });

  // People: 300 distinct first-last pairs.
  const pairs: [string, string][] = [];
  for (const f of FIRST) for (const l of LAST) pairs.push([f, l]);
  for (let k = pairs.length - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    [pairs[k], pairs[j]] = [pairs[j]!, pairs[k]!];
  }
  const people = pairs.slice(0, 300);
  const personId = (i: number) => `person/${slugName(...people[i]!)}`;
  const teamOf = (i: number) => TEAM_IDS[i % TEAM_IDS.length]!;

  for (let i = 0; i < people.length; i++) {
    const [first, last] = people[i]!;
    const e = personId(i);
    add(e, "memory:name", str(`${cap(first)} ${cap(last)}`), src("hr-sync"));
    add(e, "memory:role", str(rng.pick(ROLES)), src("hr-sync"));
    if (rng.next() < 0.55) {
      const office = rng.pick(OFFICES);
      add(e, "memory:location", str(`${office.name}${rng.pick(FLOORS)}`), src("hr-sync"));
      add(e, "rel:office", ref(`office/${office.id}`), src("hr-sync"));
      add(e, "memory:timezone", str(office.tz), src("hr-sync"));
    } else {
      const [where, tz] = rng.pick(REMOTE);
      add(e, "memory:location", str(where), src("hr-sync"));
      add(e, "memory:timezone", str(tz), src("hr-sync"));
    }
    add(e, "memory:email", str(`${first}.${last}@acme.example`), src("hr-sync"));
    add(e, "memory:start_date", day(), src("hr-sync"));
    add(e, "rel:member_of", ref(`team/${teamOf(i)}`), src("hr-sync"));
    // Managers: the first 20 people lead the 20 teams; everyone else reports to their team's lead.
    if (i >= TEAM_IDS.length) add(e, "rel:manager", ref(personId(i % TEAM_IDS.length)), src("hr-sync"));
    if (rng.next() < 0.5) {
      const n = 2 + rng.int(3);
      const s = new Set<string>();
      while (s.size < n) s.add(rng.pick(SKILLS));
      add(e, "memory:skills", text([...s].join(", ")), src("hr-sync"));
    }
  }

  for (let t = 0; t < TEAM_IDS.length; t++) {
    const id = TEAM_IDS[t]!;
    const e = `team/${id}`;
    const name = id.split("-").map(cap).join(" ");
    add(e, "memory:name", str(name), src("hr-sync"));
    add(e, "memory:mission", text(`${rng.pick(VERBS)} ${rng.pick(OBJECTS)} and support the rest of Acme with ${name.toLowerCase()} work.`), src("hr-sync"));
    add(e, "rel:lead", ref(personId(t)), src("hr-sync"));
    add(e, "memory:slack_channel", str(`#team-${id}`), src("hr-sync"));
    add(e, "memory:headcount", { type: "number", v: people.filter((_, i) => teamOf(i) === id).length }, src("hr-sync"));
  }

  // Services: 40 distinct prefix-suffix pairs, owned by distractor teams.
  const services: string[] = [];
  for (let k = 0; services.length < 40; k++) {
    const id = `${SERVICE_PREFIX[k % SERVICE_PREFIX.length]}-${SERVICE_SUFFIX[(k * 3 + Math.floor(k / SERVICE_PREFIX.length)) % SERVICE_SUFFIX.length]}`;
    if (!services.includes(id)) services.push(id);
  }
  services.forEach((id, k) => {
    const e = `service/${id}`;
    const owner = TEAM_IDS[k % TEAM_IDS.length]!;
    const [what, role] = id.split("-") as [string, string];
    add(e, "memory:name", str(id.split("-").map(cap).join(" ")), src("service-catalog"));
    add(e, "memory:description", text(`${cap(role)} that handles ${what} requests for the ${owner.replace(/-/g, " ")} team; ${rng.pick(["stateless", "stateful", "batch-oriented", "latency-sensitive"])}, written in ${rng.pick(LANGS)}.`), src("service-catalog"));
    add(e, "rel:owned_by", ref(`team/${owner}`), src("service-catalog"));
    add(e, "memory:language", str(rng.pick(LANGS)), src("service-catalog"));
    add(e, "memory:tier", str(rng.pick(TIERS)), src("service-catalog"));
    add(e, "memory:repo", str(`https://git.acme.example/${owner}/${id}`), src("service-catalog"));
    add(e, "memory:runbook", str(`https://handbook.acme.example/runbooks/${id}`), src("service-catalog"));
    add(e, "memory:status", str(rng.pick(SERVICE_STATUS)), src("service-catalog"));
    add(e, "rel:depends_on", ref(`service/${services[(k + 1 + rng.int(services.length - 1)) % services.length]}`), src("service-catalog"));
    // One maintainer each, from people 20.. (never a team lead), one service per person.
    add(personId(20 + k), "rel:maintains", ref(e), src("service-catalog"));
  });
  for (let d = 0; d < 30; d++) {
    const a = services[d % services.length]!;
    const b = services[(d * 7 + 3) % services.length]!;
    if (a === b) continue;
    const e = `dependency/${a}--${b}`;
    add(e, "rel:subject", ref(`service/${a}`), src("service-catalog"));
    add(e, "rel:object", ref(`service/${b}`), src("service-catalog"));
    add(e, "memory:kind", str(rng.pick(KINDS)), src("service-catalog"));
    add(e, "memory:criticality", str(rng.pick(CRITICALITY)), src("service-catalog"));
  }
  for (let o = 0; o < 20; o++) {
    const s = services[o * 2]!;
    const e = `oncall/${s}`;
    add(e, "rel:subject", ref(personId(20 + o * 2)), src("service-catalog"));
    add(e, "rel:object", ref(`service/${s}`), src("service-catalog"));
    add(e, "memory:role", str("primary on-call"), src("service-catalog"));
    add(e, "memory:rotation", str(rng.pick(ROTATIONS)), src("service-catalog"));
    add(e, "rel:escalates_to", ref(personId(o % TEAM_IDS.length)), src("service-catalog"));
  }

  STARS.forEach((star, k) => {
    const e = `project/${star}`;
    add(e, "memory:name", str(`Project ${cap(star)}`), src("pm-bot"));
    add(e, "memory:goal", text(`${rng.pick(VERBS)} ${rng.pick(OBJECTS)}.`), src("pm-bot"));
    add(e, "rel:lead", ref(personId(60 + k)), src("pm-bot"));
    add(e, "rel:sponsor", ref(personId(k % TEAM_IDS.length)), src("pm-bot"));
    add(e, "memory:status", str(rng.pick(PROJECT_STATUS)), src("pm-bot"), 0.9);
    add(e, "memory:deadline", { type: "datetime", v: new Date(Date.UTC(2026, 6, 1) + rng.int(700) * 86_400_000).toISOString().replace(".000", "") }, src("pm-bot"));
    add(e, "rel:touches", ref(`service/${rng.pick(services)}`), src("pm-bot"));
    add(e, "memory:budget_eur", { type: "number", v: (20 + rng.int(80)) * 5_000 }, src("pm-bot"));
  });

  for (let d = 0; d < 25; d++) {
    const e = `decision/adr-${101 + d}`;
    const [title, why] = rng.pick(DECISION_TOPICS);
    const svc = rng.pick(services);
    add(e, "memory:title", str(`${title} the ${svc.replace(/-/g, " ")}`), src("adr-importer"));
    add(e, "memory:rationale", text(`We decided this ${why}; the ${svc.replace(/-/g, " ")} owners reviewed it.`), src("adr-importer"));
    add(e, "memory:decided_at", day(), src("adr-importer"));
    add(e, "rel:decided_by", ref(personId(rng.int(people.length))), src("adr-importer"));
    add(e, "rel:affects", ref(`service/${svc}`), src("adr-importer"));
    add(e, "memory:status", str(rng.pick(["accepted", "accepted", "proposed", "superseded"])), src("adr-importer"));
  }
  return out;
}
