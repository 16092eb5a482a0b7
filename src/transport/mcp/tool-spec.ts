/**
 * One MCP tool as data: its name, the text a model chooses it by, its input
 * schema, hints about its effects, and what it does with a node. The tool
 * files export these; `mcp-server.ts` registers them all the same way.
 *
 * @module
 */
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { ValueInput } from "@stigmem/sdk";
import type { z } from "zod";
import type { McpBackend } from "./mcp-backend.js";
import type { ValueArg } from "./tool-inputs.js";

/** A tool whose arguments `input` validates before `run` sees them. */
export interface ToolSpec<S extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly title: string;
  /** What it does, when to use it, and an example call: what a model reads to pick it. */
  readonly description: string;
  readonly input: S;
  readonly annotations: ToolAnnotations;
  run(backend: McpBackend, args: z.infer<S>): Promise<CallToolResult>;
}

/** Declares a tool with its argument types inferred from its schema. */
export function defineTool<S extends z.ZodObject>(spec: ToolSpec<S>): ToolSpec<S> {
  return spec;
}

/** A tool value as the SDK takes it; the node checks that `v` fits `type`. */
export function toValueInput(value: ValueArg): ValueInput {
  return { type: value.type, v: value.v ?? null } as ValueInput;
}

/** Hints for tools that only read. */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
