/**
 * Checks one HTTP response against a vector's expectations, following the
 * published format exactly. Returns the list of failures (empty = pass).
 *
 * @module
 */
import type { Vector } from "./vector.js";

/** Statuses the vector accepts. */
export function expectedStatuses(v: Vector): number[] {
  if (v.expected_status !== undefined) return [v.expected_status];
  return v.expected_status_in ?? [];
}

export function checkVector(v: Vector, status: number, body: unknown): string[] {
  const failures: string[] = [];
  const statuses = expectedStatuses(v);
  if (!statuses.includes(status)) {
    failures.push(`status ${status}, expected ${statuses.join(" or ")}; body ${JSON.stringify(body).slice(0, 400)}`);
    return failures;
  }
  // Body checks apply only to successful responses (format README).
  if (status >= 400) return failures;
  const obj = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;

  for (const key of v.expected_body_has_keys ?? []) {
    if (!(key in obj)) failures.push(`missing key "${key}"`);
  }
  if (v.expected_body_contains !== undefined && !containsSubset(obj, v.expected_body_contains)) {
    failures.push(`body does not contain ${JSON.stringify(v.expected_body_contains)}`);
  }
  for (const [dotted, want] of Object.entries(v.expected_nested ?? {})) {
    const got = dotted.split(".").reduce<unknown>((o, k) => (isRecord(o) ? o[k] : undefined), obj);
    if (!deepEqual(got, want)) failures.push(`${dotted} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
  for (const [key, item] of Object.entries(v.expected_body_list_contains ?? {})) {
    const list = obj[key];
    if (!Array.isArray(list) || !list.some((x) => deepEqual(x, item))) {
      failures.push(`${key} does not contain ${JSON.stringify(item)}`);
    }
  }
  for (const [key, options] of Object.entries(v.expected_body_value_in ?? {})) {
    if (!options.some((o) => deepEqual(obj[key], o))) {
      failures.push(`${key} is ${JSON.stringify(obj[key])}, expected one of ${JSON.stringify(options)}`);
    }
  }
  if (v.expected_response_is_list === true && !Array.isArray(body)) failures.push("response is not a list");
  if (v.expected_members_contain_role !== undefined) {
    const members = obj.members;
    if (!Array.isArray(members) || !members.some((m) => isRecord(m) && m.role === v.expected_members_contain_role)) {
      failures.push(`members contain no role "${v.expected_members_contain_role}"`);
    }
  }
  for (const [key, prefix] of Object.entries(v.expected_field_starts_with ?? {})) {
    const got = obj[key];
    if (typeof got !== "string" || !got.startsWith(prefix)) failures.push(`${key} does not start with "${prefix}"`);
  }
  for (const [key, length] of Object.entries(v.expected_field_length ?? {})) {
    const got = obj[key];
    if (typeof got !== "string" || got.length !== length) failures.push(`${key} length is not ${length}`);
  }
  const facts = obj.facts;
  const first = Array.isArray(facts) && facts.length > 0 && isRecord(facts[0]) ? facts[0] : undefined;
  if (first !== undefined) {
    for (const key of v.expected_first_fact_has_keys ?? []) {
      if (!(key in first)) failures.push(`facts[0] lacks "${key}"`);
    }
    const breakdown = isRecord(first.score_breakdown) ? first.score_breakdown : {};
    for (const key of v.expected_first_fact_score_breakdown_keys ?? []) {
      if (!(key in breakdown)) failures.push(`facts[0].score_breakdown lacks "${key}"`);
    }
  }
  return failures;
}

/**
 * Recursive subset match: every expected key present with a matching value;
 * an expected `[]` matches any list; expected list items match if some actual
 * item contains them.
 */
export function containsSubset(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    return expected.every((e) => actual.some((a) => containsSubset(a, e)));
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return false;
    return Object.entries(expected).every(([k, e]) => k in actual && containsSubset(actual[k], e));
  }
  return deepEqual(actual, expected);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
