/**
 * Offline checks of an evaluation organisation, no node needed
 * (`npm run bench:recall-eval -- --check`): sizes, every label names facts
 * that exist in the current view, no accidental supersession or conflict,
 * distractors that cannot be mistaken for labelled entities and that use the
 * answers' relations, questions of entity-free classes that name no entity
 * (none holds every distinguishing word of a labelled entity's id), and the
 * words out-of-domain questions share with the data.
 *
 * @module
 */
import type { AssertBody } from "../lib/dataset.js";
import type { EvalOrg } from "./eval-org.js";
import { currentView, labelMatches } from "./metrics.js";

export interface CheckReport {
  errors: string[];
  warnings: string[];
  info: string[];
}

const words = (s: string): string[] => s.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** A small English stop list, only for the out-of-domain overlap report. */
const STOP = new Set("a an and are as at be by can do does for from how i in is it its me my of on or the this to was we what when where which who whom why with you your good best list many much like".split(" "));

/** Fewest distractor facts per answer relation for the distractors to count as "same-relation". */
const MIN_SAME_RELATION = 3;

export function checkEvalSet(org: EvalOrg): CheckReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  const info: string[] = [];
  const rules = org.check;
  const { initial, updates } = org.facts();
  const distractors = org.distractors();
  const evalLoaded = [...initial, ...updates];
  const evalView = currentView(evalLoaded);
  const fullView = currentView([...evalLoaded, ...distractors]);
  const matches = (l: Parameters<typeof labelMatches>[0], f: AssertBody) => labelMatches(l, f, org.authority);

  info.push(`facts: ${initial.length} initial + ${updates.length} updates = ${evalLoaded.length} written, ${evalView.length} in the current view; ${distractors.length} distractors`);
  info.push(`entities: ${new Set(evalView.map((f) => f.entity)).size} labelled-set, ${new Set(distractors.map((f) => f.entity)).size} distractor`);
  if (evalLoaded.length < rules.minFacts) errors.push(`only ${evalLoaded.length} evaluation facts (want ≥ ${rules.minFacts})`);
  if (distractors.length < rules.minDistractors) errors.push(`only ${distractors.length} distractor facts (want ≥ ${rules.minDistractors})`);
  for (const f of [...evalLoaded, ...distractors]) {
    if (!f.entity.startsWith(`${org.authority}/`) || !f.source.startsWith(`${org.authority}/`)) errors.push(`fact outside ${org.authority}: ${f.entity} (source ${f.source})`);
  }

  // Chains: one write each in the initial load; updates must hit an existing chain with a new value.
  const chain = (f: AssertBody) => `${f.entity} ${f.relation} ${f.scope} ${f.source}`;
  const initialChains = new Map<string, AssertBody>();
  for (const f of initial) {
    if (initialChains.has(chain(f))) errors.push(`two initial writes on one chain (the first is silently superseded): ${chain(f)}`);
    initialChains.set(chain(f), f);
  }
  for (const u of updates) {
    const old = initialChains.get(chain(u));
    if (old === undefined) errors.push(`update without an earlier fact: ${chain(u)}`);
    else if (JSON.stringify(old.value) === JSON.stringify(u.value)) errors.push(`update with the same value: ${chain(u)}`);
  }
  const distractorChains = new Set<string>();
  for (const f of distractors) {
    if (distractorChains.has(chain(f)) || initialChains.has(chain(f))) errors.push(`distractor rewrites a chain: ${chain(f)}`);
    distractorChains.add(chain(f));
  }
  // Conflicts: two sources on one triple would flag both facts as contradicted.
  const triples = new Map<string, string>();
  for (const f of fullView) {
    const t = `${f.entity} ${f.relation} ${f.scope}`;
    const seen = triples.get(t);
    if (seen !== undefined && seen !== f.source) errors.push(`two sources on one triple (a conflict): ${t}`);
    triples.set(t, f.source);
  }

  // Distractor ids share no distinguishing word with labelled ids; their refs stay among distractors (or shared places).
  const shared = rules.sharedIdWords;
  const evalEntities = new Set(evalView.map((f) => f.entity));
  const evalIdWords = new Set([...evalEntities].flatMap((e) => words(e)).filter((w) => !shared.has(w)));
  const distractorEntities = new Set(distractors.map((f) => f.entity));
  for (const e of distractorEntities) {
    if (evalEntities.has(e)) errors.push(`distractor entity is a labelled entity: ${e}`);
    const clash = words(e).filter((w) => evalIdWords.has(w) && !shared.has(w));
    if (clash.length > 0) errors.push(`distractor id ${e} shares ${clash.join(", ")} with labelled ids`);
  }
  const sharedTargets = rules.sharedRefKinds.map((k) => `${org.authority}/${k}`);
  for (const f of distractors) {
    if (f.value.type !== "ref") continue;
    const target = String(f.value.v);
    if (evalEntities.has(target) && !sharedTargets.some((p) => target.startsWith(p))) errors.push(`distractor ref into the labelled set: ${f.entity} ${f.relation} → ${target}`);
  }

  // Queries. A question names an entity when it holds every distinguishing word of the entity's id.
  const idWordsOf: [string, string[]][] = [...evalEntities].map((e) => [e, words(e.slice(org.authority.length)).filter((w) => !shared.has(w))]);
  const ids = new Set<string>();
  const texts = new Set<string>();
  const answerRelations = new Set<string>();
  for (const q of org.queries) {
    if (ids.has(q.id)) errors.push(`duplicate query id ${q.id}`);
    if (texts.has(q.q.toLowerCase())) errors.push(`duplicate query text "${q.q}"`);
    ids.add(q.id);
    texts.add(q.q.toLowerCase());
    if (!org.classes.includes(q.cls)) errors.push(`${q.id}: unknown class ${q.cls}`);
    if (q.cls === org.oodClass) {
      if (q.labels.length > 0) errors.push(`${q.id}: out-of-domain query with labels`);
      continue;
    }
    if (!q.labels.some((l) => l.g === 2)) errors.push(`${q.id} "${q.q}": no grade-2 label`);
    for (const l of q.labels) {
      if (l.g === 2) answerRelations.add(l.r);
      const inEval = evalView.filter((f) => matches(l, f)).length;
      const inFull = fullView.filter((f) => matches(l, f)).length;
      if (inEval === 0) errors.push(`${q.id} "${q.q}": label ${l.e} ${l.r}${l.v === undefined ? "" : ` = ${l.v}`} matches no current fact`);
      if (inFull !== inEval && !l.e.endsWith("/*")) errors.push(`${q.id}: distractors add facts to the non-wildcard label ${l.e} ${l.r}`);
      // A label on a superseded value would name a fact recall must not return.
      const superseded = evalLoaded.filter((f) => matches(l, f)).length - inEval;
      if (superseded > 0 && l.v === undefined && updates.some((u) => matches(l, u))) {
        warnings.push(`${q.id}: label ${l.e} ${l.r} also matches ${superseded} superseded fact(s); recall must return only the current one`);
      }
    }
    if (rules.entityFreeClasses.includes(q.cls)) {
      const qWords = new Set(words(q.q));
      const named = idWordsOf.filter(([, ws]) => ws.length > 0 && ws.every((w) => qWords.has(w))).map(([e]) => e);
      if (named.length > 0) errors.push(`${q.id} "${q.q}" (${q.cls}) names ${named.join(", ")}`);
    }
  }
  const perClass = org.classes.map((c) => `${c} ${org.queries.filter((q) => q.cls === c).length}`).join(", ");
  const labels = org.queries.reduce((n, q) => n + q.labels.length, 0);
  info.push(`queries: ${org.queries.length} (${perClass}); ${labels} labels`);
  if (org.queries.length < rules.minQueries) errors.push(`only ${org.queries.length} queries (want ≥ ${rules.minQueries})`);
  for (const c of org.classes) {
    const n = org.queries.filter((q) => q.cls === c).length;
    const min = rules.minPerClass[c] ?? 0;
    if (n < min) errors.push(`class ${c} has ${n} queries (want ≥ ${min})`);
  }

  // Same-relation distractors: the answers' relations must also be written on other entities.
  const distractorRelations = new Map<string, number>();
  for (const f of distractors) distractorRelations.set(f.relation, (distractorRelations.get(f.relation) ?? 0) + 1);
  const thin = [...answerRelations].filter((r) => (distractorRelations.get(r) ?? 0) < MIN_SAME_RELATION).sort();
  const covered = answerRelations.size - thin.length;
  info.push(`answer relations: ${answerRelations.size}, of which ${covered} also on ≥ ${MIN_SAME_RELATION} distractor facts`);
  if (thin.length > 0) (rules.sameRelationDistractors ? errors : warnings).push(`answer relations with fewer than ${MIN_SAME_RELATION} distractor facts: ${thin.join(", ")}`);

  // Out-of-domain queries: which of their words occur anywhere in the data (lexical recall will find those facts).
  const dataWords = new Set<string>();
  for (const f of fullView) for (const w of words(`${f.entity} ${f.relation} ${String(f.value.v)}`)) dataWords.add(w);
  for (const q of org.queries.filter((x) => x.cls === org.oodClass)) {
    const sharedWords = words(q.q).filter((w) => !STOP.has(w) && dataWords.has(w));
    if (sharedWords.length > 0) warnings.push(`${q.id} "${q.q}" shares ${sharedWords.join(", ")} with the data (lexical matches expected; the score must still stay low)`);
  }
  return { errors, warnings, info };
}
