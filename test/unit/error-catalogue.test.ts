/**
 * The error catalogue in docs/errors.md and the ErrCode list in code are the
 * same set, and each row's HTTP status and Connect code match the mappings.
 */
import { readFileSync } from "node:fs";
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ERR_CODES } from "../../src/node/app-error.js";
import { projectFile } from "../../src/project-root.js";
import { connectCodeFor } from "../../src/transport/connect/error-code.js";
import { httpStatusFor } from "../../src/transport/rest/error-status.js";

const rows = readFileSync(projectFile("docs", "errors.md"), "utf8")
  .split("\n")
  .map((line) => /^\| `([a-z0-9_]+)` \| (\d{3}) \| ([a-z_]+) \|/.exec(line))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ code: m[1]!, http: Number(m[2]), connect: m[3]! }));

/** Connect's Code enum name in snake_case, as written in the doc. */
function connectName(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

describe("error catalogue", () => {
  it("documents exactly the codes the node can emit", () => {
    expect(rows.map((r) => r.code).sort()).toEqual([...ERR_CODES].sort());
  });

  it.each(rows)("$code maps to HTTP $http and Connect $connect", ({ code, http, connect }) => {
    const errCode = ERR_CODES.find((c) => c === code)!;
    expect(httpStatusFor(errCode)).toBe(http);
    expect(connectName(connectCodeFor(errCode))).toBe(connect);
  });
});
