/**
 * How a tool answers: readable text plus the structured result on success,
 * and on failure a tool error (`isError: true`) — never a protocol error or
 * a crash — whose text starts with the node's stable error code (see
 * docs/errors.md), so a model can tell "wrong id" from "not allowed" from
 * "try later" and act on it.
 *
 * @module
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { isStigmemError, type StigmemError } from "@stigmem/sdk";

/** Arguments that pass the schema but not together (both or neither of two alternatives). */
export class ToolArgumentError extends Error {
  override readonly name = "ToolArgumentError";
}

/** A successful result: `text` for the model, `structured` for programs. */
export function toolResult(text: string, structured: object): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: { ...structured } };
}

/** What to do next, by kind of failure; the node's message says what went wrong. */
const HINTS: Readonly<Record<string, string>> = {
  AuthError: "The node refused the API key: check STIGMEM_API_KEY (stdio) or the Authorization header (HTTP).",
  PermissionError: "The API key lacks the permission or the scope this needs.",
  NotFoundError: "Nothing has that id here, or this key may not read it; query_facts and list_conflicts list what exists.",
  RateLimitError: "The node asks to slow down; retry later.",
  UnavailableError: "The node did not answer; retry later.",
  InternalError: "The node failed; its log has the cause.",
};

/** The tool error for anything a handler throws. */
export function toolError(e: unknown): CallToolResult {
  if (isStigmemError(e)) return nodeError(e);
  const code = e instanceof ToolArgumentError ? "invalid_arguments" : "internal";
  const message = e instanceof Error ? e.message : String(e);
  return { isError: true, content: [{ type: "text", text: `Error ${code}: ${message}` }], structuredContent: { error: { code, message } } };
}

function nodeError(e: StigmemError): CallToolResult {
  const fields = "fields" in e && Array.isArray(e.fields) ? (e.fields as { field: string; message: string }[]) : [];
  // A single problem is often the whole message already; list the fields only when they add to it.
  const problems = fields.map((f) => `- ${f.field}: ${f.message}`).filter((line) => line.slice(2) !== e.message);
  const lines = [`Error ${e.code}: ${e.message}`, ...problems];
  const hint = HINTS[e.name];
  if (hint !== undefined) lines.push(hint);
  return {
    isError: true,
    content: [{ type: "text", text: lines.join("\n") }],
    structuredContent: { error: { code: e.code, message: e.message, kind: e.name, details: e.details, fields } },
  };
}
