/**
 * Offline checks of the evaluation set, no node needed
 * (`npm run bench:recall-eval -- --check`): sizes, every label names facts
 * that exist in the current view, no accidental supersession or conflict,
 * distractors that cannot be mistaken for labelled entities, and the words
 * out-of-domain queries share with the data.
 *
 * @module
 */
import type { AssertBody } from "../lib/dataset.js";
import { distractorFacts } from "./distractors.js";
import { currentView, labelMatches } from "./metrics.js";
import { ORG, orgFacts } from "./org.js";
import { QUERIES, QUERY_CLASSES } from "./queries.js";

export interface CheckReport {
  errors: string[];
  warnings: string[];
  info: string[];
}

/** Words that every entity URI has (scheme, authority, kinds) and so cannot tell entities apart. */
const SHARED_ID_WORDS = new Set(["stigmem", "acme", "person", "team", "service", "project", "decision", "office", "agent", "oncall", "dependency", "maintainership", "adr"]);

const words = (s: string): string[] => s.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** A small English stop list, only for the out-of-domain overlap report. */
const STOP = new Set("a an and are as at be by can do does for from how i in is it its me my of on or the this to was we what when where which who whom why with you your good best list many much like".split(" "));

export function checkEvalSet(): CheckReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  const info: string[] = [];
  const { initial, updates } = orgFacts();
  const distractors = distractorFacts();
  const evalLoaded = [...initial, ...updates];
  const evalView = currentView(evalLoaded);
  const fullView = currentView([...evalLoaded, ...distractors]);

  info.push(`facts: ${initial.length} initial + ${updates.length} updates = ${evalLoaded.length} written, ${evalView.length} in the current view; ${distractors.length} distractors`);
  info.push(`entities: ${new Set(evalView.map((f) => f.entity)).size} labelled-set, ${new Set(distractors.map((f) => f.entity)).size} distractor`);
  if (evalLoaded.length < 500) errors.push(`only ${evalLoaded.length} evaluation facts (want ≥ 500)`);
  if (distractors.length < 3000) errors.push(`only ${distractors.length} distractor facts (want ≥ 3,000)`);

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

  // Distractor ids share no distinguishing word with labelled ids; their refs stay among distractors (or offices).
  const evalEntities = new Set(evalView.map((f) => f.entity));
  const evalIdWords = new Set([...evalEntities].flatMap((e) => words(e)).filter((w) => !SHARED_ID_WORDS.has(w)));
  const distractorEntities = new Set(distractors.map((f) => f.entity));
  for (const e of distractorEntities) {
    if (evalEntities.has(e)) errors.push(`distractor entity is a labelled entity: ${e}`);
    const clash = words(e).filter((w) => evalIdWords.has(w) && !SHARED_ID_WORDS.has(w));
    if (clash.length > 0) errors.push(`distractor id ${e} shares ${clash.join(", ")} with labelled ids`);
  }
  for (const f of distractors) {
    if (f.value.type !== "ref") continue;
    const target = String(f.value.v);
    if (evalEntities.has(target) && !target.startsWith(`${ORG}/office/`)) errors.push(`distractor ref into the labelled set: ${f.entity} ${f.relation} → ${target}`);
  }

  // Queries.
  const ids = new Set<string>();
  const texts = new Set<string>();
  for (const q of QUERIES) {
    if (ids.has(q.id)) errors.push(`duplicate query id ${q.id}`);
    if (texts.has(q.q.toLowerCase())) errors.push(`duplicate query text "${q.q}"`);
    ids.add(q.id);
    texts.add(q.q.toLowerCase());
    if (q.cls === "ood") {
      if (q.labels.length > 0) errors.push(`${q.id}: out-of-domain query with labels`);
      continue;
    }
    if (!q.labels.some((l) => l.g === 2)) errors.push(`${q.id} "${q.q}": no grade-2 label`);
    for (const l of q.labels) {
      const inEval = evalView.filter((f) => labelMatches(l, f)).length;
      const inFull = fullView.filter((f) => labelMatches(l, f)).length;
      if (inEval === 0) errors.push(`${q.id} "${q.q}": label ${l.e} ${l.r}${l.v === undefined ? "" : ` = ${l.v}`} matches no current fact`);
      if (inFull !== inEval && !l.e.endsWith("/*")) errors.push(`${q.id}: distractors add facts to the non-wildcard label ${l.e} ${l.r}`);
      // A label on a superseded value would name a fact recall must not return.
      const superseded = evalLoaded.filter((f) => labelMatches(l, f)).length - inEval;
      if (superseded > 0 && l.v === undefined && updates.some((u) => labelMatches(l, u))) {
        warnings.push(`${q.id}: label ${l.e} ${l.r} also matches ${superseded} superseded fact(s); recall must return only the current one`);
      }
    }
  }
  const perClass = QUERY_CLASSES.map((c) => `${c} ${QUERIES.filter((q) => q.cls === c).length}`).join(", ");
  const labels = QUERIES.reduce((n, q) => n + q.labels.length, 0);
  info.push(`queries: ${QUERIES.length} (${perClass}); ${labels} labels`);
  if (QUERIES.length < 150) errors.push(`only ${QUERIES.length} queries (want ≥ 150)`);
  for (const c of QUERY_CLASSES) if (QUERIES.filter((q) => q.cls === c).length < 20) errors.push(`class ${c} has fewer than 20 queries`);

  // Out-of-domain queries: which of their words occur anywhere in the data (lexical recall will find those facts).
  const dataWords = new Set<string>();
  for (const f of fullView) for (const w of words(`${f.entity} ${f.relation} ${String(f.value.v)}`)) dataWords.add(w);
  for (const q of QUERIES.filter((x) => x.cls === "ood")) {
    const shared = words(q.q).filter((w) => !STOP.has(w) && dataWords.has(w));
    if (shared.length > 0) warnings.push(`${q.id} "${q.q}" shares ${shared.join(", ")} with the data (lexical matches expected; the score must still stay low)`);
  }
  return { errors, warnings, info };
}
