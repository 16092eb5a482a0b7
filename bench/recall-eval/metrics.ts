/**
 * Relevance judgements and ranking metrics for the recall evaluation:
 * matching returned facts against a query's labels, the current view of the
 * loaded set (to know how many relevant facts exist), hit@k and nDCG@k.
 *
 * @module
 */
import type { AssertBody } from "../lib/dataset.js";
import type { Label } from "./queries.js";

/** What grading needs of a question: its labels. */
export interface Labelled {
  labels: readonly Label[];
}

/** The parts of a fact that relevance looks at (a loaded AssertBody or a returned FactRecord). */
export interface FactLike {
  entity: string;
  relation: string;
  value: { type: string; v?: unknown };
}

/** Whether `f` is a fact the label names; the label's entities are relative to `authority` (`stigmem://acme`). */
export function labelMatches(label: Label, f: FactLike, authority: string): boolean {
  const uri = (p: string) => `${authority}/${p}`;
  if (f.relation !== label.r) return false;
  if (label.e.endsWith("/*")) {
    if (!f.entity.startsWith(uri(label.e.slice(0, -1)))) return false;
  } else if (f.entity !== uri(label.e)) {
    return false;
  }
  if (label.v === undefined) return true;
  if (f.value.type === "ref") return f.value.v === uri(label.v) || f.value.v === label.v;
  return String(f.value.v).toLowerCase().includes(label.v.toLowerCase());
}

/** The relevance grade of `f` for `query`: the highest grade of a label it matches, else 0. */
export function gradeOf(query: Labelled, f: FactLike, authority: string): number {
  let g = 0;
  for (const l of query.labels) if (l.g > g && labelMatches(l, f, authority)) g = l.g;
  return g;
}

/**
 * The current view of facts loaded in order (protocol.md §6): per chain
 * (entity, relation, scope, source) the last write wins, and a head with
 * confidence 0 leaves the view.
 */
export function currentView(loaded: readonly AssertBody[]): AssertBody[] {
  const heads = new Map<string, AssertBody>();
  for (const f of loaded) heads.set(`${f.entity}\u0000${f.relation}\u0000${f.scope}\u0000${f.source}`, f);
  return [...heads.values()].filter((f) => f.confidence > 0);
}

/** Grades of every relevant fact in `view`, best first: the ideal ranking for nDCG. */
export function idealGrades(query: Labelled, view: readonly FactLike[], authority: string): number[] {
  const grades: number[] = [];
  for (const f of view) {
    const g = gradeOf(query, f, authority);
    if (g > 0) grades.push(g);
  }
  return grades.sort((a, b) => b - a);
}

const gain = (g: number) => 2 ** g - 1;

/** DCG of the first `k` grades. */
export function dcg(grades: readonly number[], k: number): number {
  let s = 0;
  for (let i = 0; i < Math.min(k, grades.length); i++) s += gain(grades[i]!) / Math.log2(i + 2);
  return s;
}

/** nDCG@k of a ranking's grades against the ideal grades (1 when nothing is relevant and nothing is returned is not defined: 0). */
export function ndcg(grades: readonly number[], ideal: readonly number[], k: number): number {
  const best = dcg(ideal, k);
  return best === 0 ? 0 : dcg(grades, k) / best;
}

/** Whether a fact of the query's top grade is among the first `k`. */
export function hitAt(grades: readonly number[], k: number, topGrade = 2): boolean {
  for (let i = 0; i < Math.min(k, grades.length); i++) if (grades[i]! >= topGrade) return true;
  return false;
}

/** 1-based rank of the first fact of the top grade, or undefined. */
export function firstHitRank(grades: readonly number[], topGrade = 2): number | undefined {
  const i = grades.findIndex((g) => g >= topGrade);
  return i < 0 ? undefined : i + 1;
}
