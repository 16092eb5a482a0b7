/**
 * The organisations the recall evaluation runs on, each with its facts,
 * distractors, labelled questions and what `--check` demands of it: Acme,
 * the set recall was developed against, and Meridian, the held-out set
 * written before any tuning (`meridian/`), which measures whether recall
 * generalises. The harness runs every organisation the same way, each in a
 * fresh node.
 *
 * @module
 */
import type { AssertBody } from "../lib/dataset.js";
import { distractorFacts } from "./distractors.js";
import { meridianDistractors } from "./meridian/distractors.js";
import { MERIDIAN, MERIDIAN_SCOPE, meridianFacts } from "./meridian/org.js";
import { MERIDIAN_CLASSES, MERIDIAN_OOD_CLASS, MERIDIAN_QUERIES } from "./meridian/queries.js";
import { EVAL_SCOPE, ORG, orgFacts } from "./org.js";
import { QUERIES, QUERY_CLASSES, type Label } from "./queries.js";

/** A labelled question of any organisation. */
export interface EvalQuery {
  id: string;
  cls: string;
  q: string;
  labels: readonly Label[];
}

/** One organisation of the evaluation. */
export interface EvalOrg {
  /** The `--org` name. */
  id: string;
  /** How the report names it. */
  title: string;
  /** Where its data and questions live, for the report. */
  folder: string;
  /** True for a set written before tuning, which must never be changed to fit the code. */
  heldOut: boolean;
  /** Entity and source URIs live under this authority; labels name entities relative to it. */
  authority: string;
  scope: string;
  facts(): { initial: AssertBody[]; updates: AssertBody[] };
  distractors(): AssertBody[];
  queries: readonly EvalQuery[];
  /** Report order of the question classes. */
  classes: readonly string[];
  /** The class of questions the store cannot answer (measured as "top score below the threshold"). */
  oodClass: string;
  /** What `--check` demands. */
  check: OrgCheckRules;
}

export interface OrgCheckRules {
  minFacts: number;
  minDistractors: number;
  minQueries: number;
  /** Fewest questions per class. */
  minPerClass: Readonly<Record<string, number>>;
  /** Id words every entity of the org has (scheme, authority, kinds, numbering schemes): they tell no entity apart. */
  sharedIdWords: ReadonlySet<string>;
  /** `kind/` prefixes distractor refs may point into (shared places such as offices or sites). */
  sharedRefKinds: readonly string[];
  /** Every relation an answer label names must also occur among the distractors (an error, not a warning). */
  sameRelationDistractors: boolean;
  /** Classes whose questions may name no labelled entity: no word of an entity id (other than shared words). */
  entityFreeClasses: readonly string[];
}

const ACME: EvalOrg = {
  id: "acme",
  title: "Acme",
  folder: "bench/recall-eval/",
  heldOut: false,
  authority: ORG,
  scope: EVAL_SCOPE,
  facts: orgFacts,
  distractors: () => distractorFacts(),
  queries: QUERIES,
  classes: QUERY_CLASSES,
  oodClass: "ood",
  check: {
    minFacts: 500,
    minDistractors: 3000,
    minQueries: 150,
    minPerClass: Object.fromEntries(QUERY_CLASSES.map((c) => [c, 20])),
    sharedIdWords: new Set(["stigmem", "acme", "person", "team", "service", "project", "decision", "office", "agent", "oncall", "dependency", "maintainership", "adr"]),
    sharedRefKinds: ["office/"],
    sameRelationDistractors: false,
    entityFreeClasses: [],
  },
};

const MERIDIAN_ORG: EvalOrg = {
  id: "meridian",
  title: "Meridian Health Network (held out)",
  folder: "bench/recall-eval/meridian/",
  heldOut: true,
  authority: MERIDIAN,
  scope: MERIDIAN_SCOPE,
  facts: meridianFacts,
  distractors: () => meridianDistractors(),
  queries: MERIDIAN_QUERIES,
  classes: MERIDIAN_CLASSES,
  oodClass: MERIDIAN_OOD_CLASS,
  check: {
    minFacts: 500,
    minDistractors: 3000,
    minQueries: 150,
    minPerClass: { direct: 20, relation: 40, relation_value: 10, paraphrase: 40, alias: 20, multi_hop: 20, out_of_domain: 20 },
    sharedIdWords: new Set(["stigmem", "mhn", "staff", "dept", "site", "ward", "svc", "iface", "vendor", "contract", "device", "chg", "inc", "cmte", "policy", "agent", "ext", "ct"]),
    sharedRefKinds: ["site/"],
    sameRelationDistractors: true,
    entityFreeClasses: ["relation"],
  },
};

/** Every organisation, in report order. */
export const EVAL_ORGS: readonly EvalOrg[] = [ACME, MERIDIAN_ORG];

/** The organisations `--org` names: one id, or `all`. */
export function selectOrgs(name: string): EvalOrg[] {
  if (name === "all") return [...EVAL_ORGS];
  const org = EVAL_ORGS.find((o) => o.id === name);
  if (org === undefined) throw new Error(`--org must be ${[...EVAL_ORGS.map((o) => o.id), "all"].join(", ")}; got "${name}"`);
  return [org];
}
