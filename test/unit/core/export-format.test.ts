/**
 * The export file's lines (core/export/): what a header, a fact, a
 * conflict and the trailer look like, that every line reads back as
 * written, and that every malformed line is refused naming its line and field.
 */
import { describe, expect, it } from "vitest";
import { computeCid } from "../../../src/core/cid.js";
import { conflictLine, readConflictLine, type ExportedConflict } from "../../../src/core/export/conflict-line.js";
import { ExportFileError, isExportFileError } from "../../../src/core/export/export-file-error.js";
import { checkEnd, endLine, headerLine, parseHeader, parseObject, type ExportHeader } from "../../../src/core/export/export-format.js";
import { checkFactCid, factLine, readFactLine, type ExportedFact } from "../../../src/core/export/fact-line.js";

const HEADER: ExportHeader = {
  nodeId: "stigmem:node:00000000-0000-4000-8000-000000000001",
  exportedAt: "2026-12-07T12:00:00.000000+00:00",
  schemaVersion: 10,
  facts: 2,
  conflicts: 1,
  hlc: "1796650000000.004",
  feed: { epoch: null, position: 2 },
};

const content = { entity: "user:alice", relation: "memory:role", value_type: "string", value_v: "CEO", source: "agent:test", confidence: 1, scope: "company" } as const;

const LOCAL: ExportedFact = {
  rowid: 1,
  id: "01a250e0-6fa3-7905-b233-81c94acdfa2d",
  cid: computeCid(content),
  ...content,
  interpret_as: "content",
  garden_id: null,
  valid_until: "2030-01-01T00:00:00Z",
  valid_until_ms: Date.UTC(2030, 0, 1),
  timestamp: "2026-12-07T11:00:00.000000+00:00",
  hlc_w: 1796650000000,
  hlc_c: 3,
  origin_hlc_w: 1796650000000,
  origin_hlc_c: 3,
  origin_node_id: null,
  received_from: null,
  actor: "agent:test",
  supersedes: '["01a250e0-0000-7000-8000-000000000000"]',
  write_mode: "assert",
  derived_from: '[{"fact_id":"x","weight":1.5}]',
  quarantine: null,
};

const INGESTED: ExportedFact = {
  ...LOCAL,
  rowid: 2,
  id: "01a250e0-6fa3-7905-b233-81c94acdfa2e",
  interpret_as: "instruction",
  garden_id: "stigmem://peer/garden/moderation",
  valid_until: null,
  valid_until_ms: null,
  hlc_c: 4,
  origin_hlc_w: 1796640000000,
  origin_hlc_c: 0,
  origin_node_id: "stigmem:node:peer",
  received_from: "stigmem:node:peer",
  actor: null,
  supersedes: null,
  write_mode: null,
  derived_from: null,
  quarantine: "pending",
};

const CONFLICT: ExportedConflict = {
  seq: 1,
  conflict_id: "stigmem:conflict:0f0e",
  fact_a: INGESTED.id,
  fact_b: LOCAL.id,
  entity: "user:alice",
  relation: "memory:role",
  scope: "company",
  status: "resolved",
  detected_at: "2026-12-07T11:00:01.000000+00:00",
  resolved_by: LOCAL.id,
  resolution_note: "kept",
  resolver: "agent:admin",
  resolved_at: "2026-12-07T11:00:02.000000+00:00",
};

/** The error `work` throws. */
function failure(work: () => unknown): ExportFileError {
  try {
    work();
  } catch (e) {
    expect(isExportFileError(e)).toBe(true);
    return e as ExportFileError;
  }
  throw new Error("did not throw");
}

describe("header and trailer", () => {
  it("reads back the header as written, under the wire's names", () => {
    const line = headerLine(HEADER);
    expect(JSON.parse(line)).toEqual({
      format: "stigmem-export",
      version: 1,
      node_id: HEADER.nodeId,
      exported_at: HEADER.exportedAt,
      schema_version: 10,
      facts: 2,
      conflicts: 1,
      hlc: HEADER.hlc,
      feed: { epoch: null, position: 2 },
    });
    expect(parseHeader(line)).toEqual(HEADER);
  });

  it.each([
    ['{"hello":1}', "line 1: format: is not \"stigmem-export\": this is not a stigmem export"],
    ["not json", /^line 1: not JSON/],
    ["[1]", "line 1: not a JSON object"],
    [headerLine(HEADER).replace('"version":1', '"version":2'), "line 1: version: is 2; this node reads version 1"],
    [headerLine(HEADER).replace('"facts":2', '"facts":-1'), "line 1: facts: must be a non-negative integer"],
    [headerLine(HEADER).replace(/"node_id":"[^"]*"/, '"node_id":7'), "line 1: node_id: must be a string"],
  ])("refuses the header %s", (line, message) => {
    const e = failure(() => parseHeader(line));
    if (typeof message === "string") expect(e.message).toBe(message);
    else expect(e.message).toMatch(message);
    expect(e.line).toBe(1);
  });

  it("checks the trailer against what the file held", () => {
    const end = parseObject(endLine({ facts: 2, conflicts: 1 }), 5);
    expect(end.kind).toBe("end");
    expect(() => checkEnd(end, 5, { facts: 2, conflicts: 1 })).not.toThrow();
    expect(failure(() => checkEnd(end, 5, { facts: 1, conflicts: 1 })).message).toBe(
      "line 5: the trailer counts 2 facts and 1 conflicts, the file holds 1 and 1",
    );
  });
});

describe("fact lines", () => {
  it.each([
    ["a local fact", LOCAL],
    ["an ingested, quarantined instruction in a garden", INGESTED],
  ])("reads back %s exactly, nulls left out of the line", (_name, fact) => {
    const line = factLine(fact);
    const o = JSON.parse(line) as Record<string, unknown>;
    expect(o.kind).toBe("fact");
    expect(Object.values(o)).not.toContain(null);
    expect("valid_until_ms" in o).toBe(false);
    expect(readFactLine(parseObject(line, 2), 2)).toEqual(fact);
    expect(() => checkFactCid(fact, 2)).not.toThrow();
  });

  it("carries supersedes and derived_from as JSON lists", () => {
    const o = JSON.parse(factLine(LOCAL)) as Record<string, unknown>;
    expect(o.supersedes).toEqual(["01a250e0-0000-7000-8000-000000000000"]);
    expect(o.derived_from).toEqual([{ fact_id: "x", weight: 1.5 }]);
  });

  const line = (patch: Record<string, unknown>) => ({ ...(JSON.parse(factLine(LOCAL)) as Record<string, unknown>), ...patch });
  it.each([
    [{ rowid: 0 }, "rowid: must be a positive integer"],
    [{ rowid: 1.5 }, "rowid: must be a non-negative integer"],
    [{ id: "" }, "id: must not be empty"],
    [{ cid: "sha256:ABC" }, "cid: must be sha256: followed by 64 lowercase hex digits"],
    [{ value_type: "blob" }, "value_type: is not a value type"],
    [{ interpret_as: "code" }, "interpret_as: must be content or instruction"],
    [{ scope: "world" }, "scope: must be local, team, company or public"],
    [{ confidence: 2 }, "confidence: must be a number from 0 to 1"],
    [{ confidence: "1" }, "confidence: must be a number from 0 to 1"],
    [{ hlc_w: -1 }, "hlc_w: must be a non-negative integer"],
    [{ valid_until: "tomorrow" }, "valid_until: must be an RFC 3339 date-time"],
    [{ origin_node_id: "stigmem:node:x" }, "origin_node_id: a local fact (no received_from) has no origin_node_id"],
    [{ origin_hlc_c: 9 }, "origin_hlc_w: a local fact's origin HLC is its HLC"],
    [{ received_from: "stigmem:node:x" }, "origin_node_id: an ingested fact (with received_from) names its origin node"],
    [{ supersedes: "x" }, "supersedes: must be a list of strings"],
    [{ derived_from: [1] }, "derived_from: must be a list of objects"],
    [{ entity: 5 }, "entity: must be a string"],
  ])("refuses %j", (patch, message) => {
    const e = failure(() => readFactLine(line(patch), 7));
    expect(e.message).toBe(`line 7: ${message}`);
    expect(e.line).toBe(7);
  });

  it("refuses a fact whose content does not hash to its CID", () => {
    const e = failure(() => checkFactCid({ ...LOCAL, value_v: "CTO" }, 9));
    expect(e.message).toMatch(/^line 9: cid: does not match the fact's content \(it hashes to sha256:[0-9a-f]{64}\)$/);
    expect(e.field).toBe("cid");
  });
});

describe("conflict lines", () => {
  it("reads back a resolved and an open conflict", () => {
    expect(readConflictLine(parseObject(conflictLine(CONFLICT), 4), 4)).toEqual(CONFLICT);
    const open = { ...CONFLICT, status: "unresolved" as const, resolved_by: null, resolution_note: null, resolver: null, resolved_at: null };
    const text = conflictLine(open);
    expect(text).not.toContain("resolved_by");
    expect(readConflictLine(parseObject(text, 4), 4)).toEqual(open);
  });

  const line = (patch: Record<string, unknown>) => ({ ...(JSON.parse(conflictLine(CONFLICT)) as Record<string, unknown>), ...patch });
  it.each([
    [{ status: "open" }, "status: must be unresolved or resolved"],
    [{ seq: 0 }, "seq: must be a positive integer"],
    [{ resolved_by: undefined }, "resolved_by: is given exactly when the conflict is resolved"],
    [{ status: "unresolved" }, "resolved_by: is given exactly when the conflict is resolved"],
    [{ scope: "galaxy" }, "scope: must be local, team, company or public"],
    [{ fact_a: null }, "fact_a: must be a string"],
  ])("refuses %j", (patch, message) => {
    expect(failure(() => readConflictLine(line(patch), 3)).message).toBe(`line 3: ${message}`);
  });
});
