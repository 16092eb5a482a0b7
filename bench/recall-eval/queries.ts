/**
 * The labelled queries of the recall evaluation, written by hand against the
 * facts of {@link ./org.ts}.
 *
 * Six classes:
 *
 * - `entity` — keyword lookups, "dana location";
 * - `relation` — find the subject from the object, "who maintains the billing service";
 * - `paraphrase` — synonyms and rewordings that share few words with the facts;
 * - `natural` — questions as people type them, with punctuation and filler;
 * - `multihop` — the answer sits one `ref` hop away from what the query names;
 * - `ood` — out of domain (recipes, sports, …): the top result must score
 *   below {@link OOD_THRESHOLDS} for the fusion method in use.
 *
 * A label names relevant facts by entity and relation (and, optionally, value)
 * with a graded relevance: 2 = the answer, 1 = useful context (the hop of a
 * multi-hop query, the title next to a rationale). A query is a hit at k when
 * one of its grade-2 facts is among the first k results.
 *
 * @module
 */

export type QueryClass = "entity" | "relation" | "paraphrase" | "natural" | "multihop" | "ood";

export const QUERY_CLASSES: readonly QueryClass[] = ["entity", "relation", "paraphrase", "natural", "multihop", "ood"];

/**
 * A relevant fact: `e` is `kind/id` under `stigmem://acme/`, or `kind/*` for
 * any entity of that kind; `v`, when given, must match the value too.
 */
export interface Label {
  e: string;
  r: string;
  /** Graded relevance: 2 = the answer, 1 = context. */
  g: 1 | 2;
  /** For a ref: the target as `kind/id`; otherwise a case-insensitive substring of the value. */
  v?: string;
}

export interface EvalQuery {
  id: string;
  cls: QueryClass;
  q: string;
  labels: Label[];
}

/**
 * The score the top result of an out-of-domain query must stay below, per
 * fusion method (`STIGMEM_RECALL_FUSION`); `--ood-threshold` overrides it.
 * Both methods score in [0, 1] with the §9 default weights:
 *
 * - `wsum`: trust (.7 × .10), recency (≈1 × .05) and a graph seed (1 × .15)
 *   give any top candidate about .27; a top result without a lexical match
 *   and with a semantic similarity of at most .5 stays below .27 + .35 × .5
 *   ≈ .45. So: below .45 = "nothing in memory matches".
 * - `rrf`: normalized reciprocal ranks, 1 = first on every signal. Trust and
 *   recency tie for every candidate (≈ .15); first on semantic and graph but
 *   without any lexical match gives ≈ .65. So: below .70 = "no lexical match
 *   and not a clear semantic winner".
 */
export const OOD_THRESHOLDS: Readonly<Record<string, number>> = {
  // = RELEVANCE_THRESHOLD in src/core/recall/scoring.ts (lexical scores are scaled by query coverage
  // and structured evidence, so an unrelated question's top answer stays below it).
  wsum: 0.5,
  rrf: 0.7,
  default: 0.5,
};

/** Shorthand for a label. */
function L(e: string, r: string, g: 1 | 2 = 2, v?: string): Label {
  return v === undefined ? { e, r, g } : { e, r, g, v };
}

const ENTITY: [string, Label[]][] = [
  ["dana location", [L("person/dana", "memory:location", 2, "Lisbon"), L("person/dana", "rel:office", 1, "office/lisbon")]],
  ["priya role", [L("person/priya", "memory:role")]],
  ["kenji email", [L("person/kenji", "memory:email")]],
  ["lena manager", [L("person/lena", "rel:manager")]],
  ["billing service owner", [L("service/billing", "rel:owned_by"), L("person/dana", "rel:maintains", 1)]],
  ["atlas status", [L("project/atlas", "memory:status", 2, "at risk")]],
  ["atlas deadline", [L("project/atlas", "memory:deadline")]],
  ["orion lead", [L("project/orion", "rel:lead")]],
  ["ledger language", [L("service/ledger", "memory:language")]],
  ["payments team mission", [L("team/payments", "memory:mission")]],
  ["search team slack channel", [L("team/search", "memory:slack_channel")]],
  ["adr-014 rationale", [L("decision/adr-014", "memory:rationale"), L("decision/adr-014", "memory:title", 1)]],
  ["lisbon office address", [L("office/lisbon", "memory:address")]],
  ["slack-scraper trust level", [L("agent/slack-scraper", "memory:trust_level")]],
  ["hr-sync trust_level", [L("agent/hr-sync", "memory:trust_level")]],
  ["felix timezone", [L("person/felix", "memory:timezone")]],
  ["omar role", [L("person/omar", "memory:role")]],
  ["helios deadline", [L("project/helios", "memory:deadline")]],
  ["nimbus budget", [L("project/nimbus", "memory:budget_eur")]],
  ["mateo team", [L("person/mateo", "rel:member_of")]],
  ["ingrid start date", [L("person/ingrid", "memory:start_date")]],
  ["checkout language", [L("service/checkout", "memory:language")]],
  ["identity runbook", [L("service/identity", "memory:runbook")]],
  ["event-bus tier", [L("service/event-bus", "memory:tier")]],
  ["carla location", [L("person/carla", "memory:location")]],
  ["yusuf manager", [L("person/yusuf", "rel:manager")]],
  ["web team lead", [L("team/web", "rel:lead")]],
  ["quill goal", [L("project/quill", "memory:goal")]],
  ["sentinel status", [L("project/sentinel", "memory:status", 2, "done")]],
  ["data-warehouse repo", [L("service/data-warehouse", "memory:repo")]],
  ["berlin office capacity", [L("office/berlin", "memory:capacity")]],
  ["noah skills", [L("person/noah", "memory:skills")]],
  ["compass sponsor", [L("project/compass", "rel:sponsor")]],
  ["fraud-scoring description", [L("service/fraud-scoring", "memory:description")]],
  ["tobias email", [L("person/tobias", "memory:email")]],
  ["kenji role", [L("person/kenji", "memory:role", 2, "Senior Backend Engineer")]],
];

const RELATION: [string, Label[]][] = [
  ["who maintains the billing service", [L("person/dana", "rel:maintains", 2, "service/billing")]],
  ["who maintains the search api", [L("person/kenji", "rel:maintains", 2, "service/search-api")]],
  ["which team owns the ledger", [L("service/ledger", "rel:owned_by")]],
  ["who reports to priya", [L("person/dana", "rel:manager"), L("person/leo", "rel:manager"), L("person/oscar", "rel:manager")]],
  ["who is on call for billing", [L("oncall/billing", "rel:subject", 2, "person/leo"), L("oncall/billing", "memory:role", 1), L("oncall/billing", "rel:object", 1)]],
  ["which services depend on the ledger", [L("dependency/billing--ledger", "rel:subject"), L("service/billing", "rel:depends_on"), L("dependency/billing--ledger", "rel:object", 1)]],
  ["who leads the infra team", [L("team/infra", "rel:lead")]],
  ["who decided to use postgres for the ledger", [L("decision/adr-007", "rel:decided_by"), L("decision/adr-007", "memory:title", 1)]],
  ["which team owns checkout", [L("service/checkout", "rel:owned_by")]],
  ["who maintains the event bus", [L("person/ben", "rel:maintains", 2, "service/event-bus")]],
  // True of anyone in Lisbon, so the labels are wildcards: distractor people in Lisbon count too.
  ["who works in the lisbon office", [L("person/*", "rel:office", 2, "office/lisbon"), L("person/*", "memory:location", 2, "Lisbon office")]],
  ["which projects are at risk", [L("project/*", "memory:status", 2, "at risk")]],
  ["who sponsors helios", [L("project/helios", "rel:sponsor")]],
  ["which decisions affect the identity service", [L("decision/adr-022", "rel:affects"), L("decision/adr-022", "memory:title", 1)]],
  ["who is on the security team", [L("person/mateo", "rel:member_of"), L("person/yusuf", "rel:member_of"), L("team/security", "rel:lead")]],
  ["who operates the pm-bot agent", [L("agent/pm-bot", "rel:operated_by")]],
  ["which service does noah maintain", [L("person/noah", "rel:maintains")]],
  [
    "what does billing depend on",
    [
      L("service/billing", "rel:depends_on"),
      ...["ledger", "payments-gateway", "notifications"].flatMap((s) => [L(`dependency/billing--${s}`, "rel:object"), L(`dependency/billing--${s}`, "rel:subject", 1)]),
    ],
  ],
  ["who is the primary on-call for the event bus", [L("oncall/event-bus", "rel:subject"), L("oncall/event-bus", "memory:role", 1)]],
  ["which projects touch the search api", [L("project/orion", "rel:touches")]],
  ["who leads the data platform team", [L("team/data", "rel:lead")]],
  ["which projects does tobias lead", [L("project/nimbus", "rel:lead")]],
  ["who are the members of the mobile team", [L("person/arjun", "rel:member_of"), L("person/carla", "rel:member_of"), L("team/mobile", "rel:lead")]],
  ["who maintains the mobile api", [L("person/arjun", "rel:maintains")]],
  ["who maintains feature flags", [L("person/jonas", "rel:maintains")]],
  ["which team owns the data warehouse", [L("service/data-warehouse", "rel:owned_by")]],
  ["who is responsible for fraud scoring", [L("person/noah", "rel:maintains"), L("service/fraud-scoring", "rel:owned_by", 1)]],
  ["who maintains the observability stack", [L("person/lena", "rel:maintains")]],
  ["which decision made kafka the event bus", [L("decision/adr-011", "memory:title"), L("decision/adr-011", "rel:affects", 1)]],
  [
    "who maintains the payments gateway",
    ["dana", "oscar"].flatMap((p) => [L(`maintainership/${p}-payments-gateway`, "rel:subject"), L(`maintainership/${p}-payments-gateway`, "rel:object", 1)]),
  ],
  ["who escalates identity incidents", [L("oncall/identity", "rel:escalates_to")]],
];

const PARAPHRASE: [string, Label[]][] = [
  ["where is dana based these days?", [L("person/dana", "memory:location", 2, "Lisbon"), L("person/dana", "rel:office", 1, "office/lisbon")]],
  ["what city does priya work from", [L("person/priya", "memory:location"), L("person/priya", "rel:office", 1)]],
  ["kenji job title", [L("person/kenji", "memory:role", 2, "Senior Backend Engineer")]],
  ["how do I reach tobias by mail", [L("person/tobias", "memory:email")]],
  ["who is lena's boss", [L("person/lena", "rel:manager")]],
  ["when is atlas due", [L("project/atlas", "memory:deadline")]],
  ["is orion on schedule", [L("project/orion", "memory:status")]],
  ["who is in charge of helios", [L("project/helios", "rel:lead")]],
  ["who looks after the billing system", [L("person/dana", "rel:maintains"), L("oncall/billing", "rel:subject", 1)]],
  ["what is the purpose of the payments squad", [L("team/payments", "memory:mission")]],
  ["why did we pick postgres for the ledger", [L("decision/adr-007", "memory:rationale"), L("decision/adr-007", "memory:title", 1)]],
  ["reasoning behind leaving elasticsearch", [L("decision/adr-014", "memory:rationale"), L("decision/adr-014", "memory:title", 1)]],
  ["how much money is allocated to nimbus", [L("project/nimbus", "memory:budget_eur")]],
  ["which group does mateo belong to", [L("person/mateo", "rel:member_of")]],
  ["when did ingrid join the company", [L("person/ingrid", "memory:start_date")]],
  ["what programming language is checkout written in", [L("service/checkout", "memory:language")]],
  ["how far can we rely on the slack scraper", [L("agent/slack-scraper", "memory:trust_level")]],
  ["whom does felix report to", [L("person/felix", "rel:manager")]],
  ["what time zone is kenji in", [L("person/kenji", "memory:timezone")]],
  ["who heads the web squad", [L("team/web", "rel:lead")]],
  ["what is quill trying to achieve", [L("project/quill", "memory:goal")]],
  ["when was the single sign-on decision taken", [L("decision/adr-022", "memory:decided_at"), L("decision/adr-022", "memory:title", 1)]],
  ["what does the fraud service do", [L("service/fraud-scoring", "memory:description")]],
  ["who gets paged when checkout breaks", [L("oncall/checkout", "rel:subject"), L("oncall/checkout", "rel:escalates_to", 1)]],
  ["where exactly is the berlin office", [L("office/berlin", "memory:address")]],
  ["what is carla's home base", [L("person/carla", "memory:location")]],
  ["who is the chief executive", [L("person/omar", "memory:role")]],
  ["how many people work in infra", [L("team/infra", "memory:headcount")]],
  ["what is noah good at", [L("person/noah", "memory:skills")]],
  ["how critical is the event bus", [L("service/event-bus", "memory:tier"), L("dependency/indexer--event-bus", "memory:criticality", 1), L("dependency/data-warehouse--event-bus", "memory:criticality", 1)]],
];

const NATURAL: [string, Label[]][] = [
  ["What's Dana's role?", [L("person/dana", "memory:role")]],
  ["I need to know: who leads Atlas?", [L("project/atlas", "rel:lead")]],
  ["Where's Priya located?", [L("person/priya", "memory:location"), L("person/priya", "rel:office", 1)]],
  ["Who's Kenji's manager?!", [L("person/kenji", "rel:manager")]],
  ["Can you tell me the deadline for Helios?", [L("project/helios", "memory:deadline")]],
  ["Status of Orion — is it blocked?", [L("project/orion", "memory:status")]],
  ["Quick q: what's the email for Lena?", [L("person/lena", "memory:email")]],
  ["Hey, who maintains billing??", [L("person/dana", "rel:maintains", 2, "service/billing")]],
  [
    "What does checkout depend on?",
    [
      L("service/checkout", "rel:depends_on"),
      ...["billing", "payments-gateway", "fraud-scoring"].flatMap((s) => [L(`dependency/checkout--${s}`, "rel:object"), L(`dependency/checkout--${s}`, "rel:subject", 1)]),
    ],
  ],
  ["Who's on-call for billing this week?", [L("oncall/billing", "rel:subject", 2, "person/leo"), L("oncall/billing", "memory:rotation", 1)]],
  ["Why did we choose Kafka (ADR-011)?", [L("decision/adr-011", "memory:rationale"), L("decision/adr-011", "memory:title", 1)]],
  ["What's the Lisbon office's address?", [L("office/lisbon", "memory:address")]],
  ["How much do we trust hr-sync?", [L("agent/hr-sync", "memory:trust_level")]],
  ["Is Sentinel done yet?", [L("project/sentinel", "memory:status", 2, "done")]],
  ["Which team does Felix belong to?", [L("person/felix", "rel:member_of")]],
  ["Which Slack channel should I use to ask the search team something?", [L("team/search", "memory:slack_channel")]],
  ["Tobias's timezone?", [L("person/tobias", "memory:timezone")]],
  ["Who owns checkout, and who maintains it?", [L("service/checkout", "rel:owned_by"), L("person/oscar", "rel:maintains"), L("maintainership/leo-checkout", "rel:subject", 1)]],
  ["When did Raj start?", [L("person/raj", "memory:start_date")]],
  ["What is Compass's budget (in EUR)?", [L("project/compass", "memory:budget_eur")]],
  ["Who's the PM for payments?", [L("person/amara", "memory:role")]],
  ["What's the goal of project Nimbus?", [L("project/nimbus", "memory:goal")]],
  ["Who decided on React Native for Helios?", [L("decision/adr-027", "rel:decided_by"), L("decision/adr-027", "memory:title", 1)]],
  ["Where does Ben work from?", [L("person/ben", "memory:location"), L("person/ben", "rel:office", 1)]],
  ["What are Noah's skills?", [L("person/noah", "memory:skills")]],
  ["Who is Mia's manager?", [L("person/mia", "rel:manager")]],
  ["Is the identity service tier-1?", [L("service/identity", "memory:tier")]],
  ["What's the runbook URL for the event-bus?", [L("service/event-bus", "memory:runbook")]],
  ["Who leads the design team?", [L("team/design", "rel:lead")]],
  ["What's Omar's email address?", [L("person/omar", "memory:email")]],
];

const MULTIHOP: [string, Label[]][] = [
  ["where does the maintainer of billing sit?", [L("person/dana", "memory:location", 2, "Lisbon"), L("person/dana", "rel:office", 2, "office/lisbon"), L("person/dana", "rel:maintains", 1)]],
  ["what is the role of the person who leads atlas", [L("person/priya", "memory:role"), L("project/atlas", "rel:lead", 1)]],
  ["who is the manager of the billing maintainer", [L("person/dana", "rel:manager"), L("person/dana", "rel:maintains", 1)]],
  ["what timezone is the search api maintainer in", [L("person/kenji", "memory:timezone"), L("person/kenji", "rel:maintains", 1)]],
  ["email of whoever is on call for checkout", [L("person/oscar", "memory:email"), L("oncall/checkout", "rel:subject", 1)]],
  ["where is the lead of project orion located", [L("person/sofia", "memory:location"), L("project/orion", "rel:lead", 1)]],
  ["which team does the event bus maintainer belong to", [L("person/ben", "rel:member_of"), L("person/ben", "rel:maintains", 1)]],
  ["what is the mission of the team that owns the ledger", [L("team/payments", "memory:mission"), L("service/ledger", "rel:owned_by", 1)]],
  ["who leads the team that owns the search api", [L("team/search", "rel:lead"), L("service/search-api", "rel:owned_by", 1)]],
  ["status of the project led by tobias", [L("project/nimbus", "memory:status"), L("project/nimbus", "rel:lead", 1)]],
  ["deadline of the project that touches the mobile api", [L("project/helios", "memory:deadline"), L("project/helios", "rel:touches", 1)]],
  ["who made the decision that affects the ledger", [L("decision/adr-007", "rel:decided_by"), L("decision/adr-007", "rel:affects", 1)]],
  ["where is leo's manager based", [L("person/priya", "memory:location"), L("person/priya", "rel:office"), L("person/leo", "rel:manager", 1)]],
  ["role of the person who maintains observability", [L("person/lena", "memory:role"), L("person/lena", "rel:maintains", 1)]],
  ["what does the service that billing depends on do", [L("service/ledger", "memory:description"), L("service/billing", "rel:depends_on", 1)]],
  ["who is on call for the service checkout depends on", [L("oncall/payments-gateway", "rel:subject"), L("service/checkout", "rel:depends_on", 1)]],
  ["email of the lead of the infra team", [L("person/tobias", "memory:email"), L("team/infra", "rel:lead", 1)]],
  ["which office does the fraud scoring maintainer work in", [L("person/noah", "memory:location"), L("person/noah", "rel:maintains", 1)]],
  ["who manages the person who leads helios", [L("person/carla", "rel:manager"), L("project/helios", "rel:lead", 1)]],
  ["trust level of the agent operated by the data team", [L("agent/slack-scraper", "memory:trust_level"), L("agent/slack-scraper", "rel:operated_by", 1)]],
  ["skills of the data warehouse maintainer", [L("person/raj", "memory:skills"), L("person/raj", "rel:maintains", 1)]],
  ["where is the sponsor of compass located", [L("person/omar", "memory:location"), L("person/omar", "rel:office"), L("project/compass", "rel:sponsor", 1)]],
  ["timezone of the person on call for the event bus", [L("person/ben", "memory:timezone"), L("oncall/event-bus", "rel:subject", 1)]],
  ["which team is the person who decided to adopt kafka on", [L("person/tobias", "rel:member_of"), L("decision/adr-011", "rel:decided_by", 1)]],
  ["when did the maintainer of the indexer join", [L("person/ivan", "memory:start_date"), L("person/ivan", "rel:maintains", 1)]],
];

const OOD: string[] = [
  "best sourdough bread recipe",
  "who won the 2018 football world cup final",
  "how to train for a marathon in twelve weeks",
  "how long to boil a soft egg",
  "capital city of australia",
  "lyrics of bohemian rhapsody",
  "how many calories are in an avocado",
  "explain the lbw rule in cricket",
  "best hiking trails in patagonia",
  "how to fix a flat bicycle tyre",
  "plot summary of hamlet",
  "nba finals mvp 2016",
  "oven temperature for chocolate chip cookies",
  "growing tomatoes on a balcony",
  "distance from earth to mars",
  "offside rule in soccer explained",
  "vegan lasagna with spinach and ricotta",
  "how to tie a bowline knot",
  "wimbledon champions list",
  "what do cats like to eat",
  "cold brew coffee ratio",
  "symptoms of the common flu",
  "origami crane folding steps",
  "good chess openings for beginners",
  "formula one drivers championship standings",
];

function build(cls: QueryClass, prefix: string, rows: [string, Label[]][]): EvalQuery[] {
  return rows.map(([q, labels], i) => ({ id: `${prefix}${String(i + 1).padStart(2, "0")}`, cls, q, labels }));
}

/** Every labelled query, in a fixed order. */
export const QUERIES: readonly EvalQuery[] = [
  ...build("entity", "e", ENTITY),
  ...build("relation", "r", RELATION),
  ...build("paraphrase", "p", PARAPHRASE),
  ...build("natural", "n", NATURAL),
  ...build("multihop", "m", MULTIHOP),
  ...OOD.map((q, i) => ({ id: `o${String(i + 1).padStart(2, "0")}`, cls: "ood" as const, q, labels: [] })),
];
