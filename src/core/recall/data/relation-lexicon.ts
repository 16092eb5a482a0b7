/**
 * @module core/recall/data/relation-lexicon
 *
 * The small generic lexicon recall's relation understanding starts from
 * (core/recall/relation-match.ts): groups of everyday English words that
 * ask for the same kind of relation, whatever a store names it. A question
 * word and a relation-name word in one group match at
 * {@link LEXICON_SIMILARITY}. Everything else recall knows about relation
 * names is learned from the store itself (the names, the kinds of entity
 * holding them, their value types and typical value words) and from the
 * embedder's similarity between words.
 *
 * Written as general vocabulary of owning, operating, access,
 * responsibility, management, place, time, contact, naming, role, reason
 * and state (a name and an alias are told apart), supply, version,
 * description ("what does it do"), decisions, expertise and size; it must not grow words because an evaluation set uses them.
 * Words are compared as stems (core/recall/words.ts), so one inflection of
 * each is enough; an entry of two words ("look after") matches two adjacent
 * question words; a relation-name word that abbreviates a word of a group
 * (`ext` → extension) belongs to that group too; "do" asks only as the
 * question's last word ("what does it do"). Changing a group changes rankings.
 */

/** How much a lexicon pair counts, against 1 for the same word. */
export const LEXICON_SIMILARITY = 0.8;

export const RELATION_LEXICON: Readonly<Record<string, readonly string[]>> = Object.freeze({
  ownership: ["own", "owner", "owned", "ownership", "belongs", "property", "responsible", "responsibility", "accountable"],
  operation: ["operate", "operator", "operated", "run", "runs", "running", "host", "hosted", "hosting", "platform"],
  access: ["access", "admin", "administrator", "administer", "rights", "permission", "privilege", "login", "account", "credential"],
  responsibility: [
    "responsible", "responsibility", "accountable", "charge", "in charge", "maintain", "maintainer", "look after", "take care",
    "steward", "custodian", "support", "oversee", "care",
  ],
  leadership: ["lead", "leader", "led", "head", "chair", "command", "commander", "director", "direct", "charge", "run", "runs"],
  management: ["manage", "manager", "managed", "boss", "supervisor", "supervise", "report", "reports", "superior", "look after"],
  membership: ["member", "membership", "belong", "join", "joined"],
  place: ["where", "location", "located", "locate", "based", "base", "site", "office", "address", "place", "situated", "city", "town", "country"],
  time: ["when", "date", "time", "day", "since", "scheduled", "schedule", "due", "deadline", "start", "started", "join", "joined", "hired"],
  contact: ["contact", "reach", "email", "mail", "phone", "telephone", "ring", "call", "number", "extension", "mobile", "pager", "dial"],
  naming: ["name", "called", "label"],
  alias: ["alias", "aka", "nickname", "known as", "go by", "goes by"],
  role: ["role", "title", "job", "position", "occupation"],
  reason: ["why", "reason", "rationale", "cause", "because", "motivation", "justification"],
  state: ["status", "state", "progress", "stage", "phase", "condition", "on track", "on schedule", "behind", "blocked", "done", "finished"],
  oncall: ["oncall", "on call", "on duty", "duty", "rota", "paged"],
  criticality: ["critical", "criticality", "tier", "priority", "severity", "important", "importance"],
  supply: ["supplier", "supply", "supplies", "vendor", "provider", "provide", "maker", "make", "makes", "manufacturer", "sells"],
  version: ["version", "release", "build", "edition"],
  description: ["description", "describe", "about", "summary", "overview", "do"],
  purpose: ["purpose", "mission", "goal", "aim", "objective"],
  decision: ["decide", "decided", "decision", "choose", "chose", "chosen", "choice", "pick", "picked", "select", "selected"],
  expertise: ["skill", "expertise", "expert", "specialty", "speciality", "specialism", "specialist", "good at"],
  size: ["size", "count", "capacity", "total", "amount", "quantity"],
});

/** The kinds of value a question can ask for, whatever the relation's name (core/recall/relation-match.ts). */
export type ValueKind = "time" | "quantity" | "place" | "duration" | "level";

/** Question words that ask for a kind of value rather than a relation name: matched against what relations hold. */
export const VALUE_QUESTIONS: Readonly<Record<string, ValueKind>> = Object.freeze({
  when: "time",
  where: "place",
});

/** "how" followed by one of these asks for a kind of value ("how many", "how long", "how serious"). */
export const HOW_QUESTIONS: Readonly<Record<string, ValueKind>> = Object.freeze({
  many: "quantity",
  much: "quantity",
  long: "duration",
  quickly: "duration",
  soon: "duration",
  fast: "duration",
  serious: "level",
  severe: "level",
  critical: "level",
  important: "level",
  urgent: "level",
  bad: "level",
});

/**
 * Kinds of entity that are places: a relation whose references mostly point
 * to entities of such a kind ("site", "office") answers "where".
 */
export const PLACE_KINDS: readonly string[] = ["site", "office", "location", "building", "room", "campus", "city", "country", "region", "place", "address"];

/**
 * Relation-name words that carry no meaning of their own (`owned_by`,
 * `reports_to`, `has-oncall`): left out when matching relation names.
 */
export const LINK_WORDS: readonly string[] = ["by", "of", "to", "on", "at", "in", "for", "is", "has", "have", "the", "a", "an", "and", "with", "from", "v"];

/**
 * Words that count nobody and ask nothing ("does anyone go by a nickname",
 * "each department"): left out when judging how much of a question a
 * relation explains.
 */
export const FILLER_WORDS: readonly string[] = [
  "anyone", "anybody", "someone", "somebody", "everyone", "everybody", "each", "every", "still", "currently", "now",
  "today", "here", "our", "we", "us", "ever", "please", "exactly", "actually", "really", "yet",
];
