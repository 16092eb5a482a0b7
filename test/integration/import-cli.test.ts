/**
 * `stigmem import` and `stigmem export` as an operator runs them (the
 * compiled bin): a killed import resumes and ends with the same database as
 * one that was never stopped; a file that breaks off or carries a damaged
 * line is refused at that line and the import continues once the right
 * file comes; the same file twice changes nothing; a store with facts or a
 * folder a node serves is refused; `--json` summaries parse.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import { RestClient } from "../helpers/rest-client.js";
import { storeSnapshot } from "../helpers/store-snapshot.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const BIN = projectFile("dist", "src", "cli", "main.js");
const T = "stigmem://testnode";

function stigmem(args: readonly string[], input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
    timeout: 60_000,
    input,
    maxBuffer: 64 << 20,
  });
}

let work: string;
let file: string;
let lines: string[];
/** The folder a straight import of `file` built: what every other way must end with. */
let reference: string;
let source: TestNode;

/** FTS5's own check that the folder's index holds exactly the facts' terms. */
function checkTextIndex(dir: string): void {
  const conn = new Database(db(dir));
  try {
    expect(() => conn.exec("INSERT INTO facts_fts (facts_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
    expect(conn.prepare("SELECT count(*) FROM facts_fts_docsize").pluck().get()).toBe(3000);
  } finally {
    conn.close();
  }
}

function folder(name: string): string {
  return path.join(work, name);
}
function db(dir: string): string {
  return path.join(dir, "stigmem.db");
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "stigmem-import-cli-"));
  source = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
  const api = new RestClient(source.url);
  for (let b = 0; b < 6; b++) {
    const facts = Array.from({ length: 500 }, (_, i) => {
      const n = b * 500 + i;
      return {
        entity: `${T}/user/u${n % 700}`,
        relation: `memory:r${n % 5}`,
        value: { type: "string", v: `value ${n} of ${b}` },
        source: n % 11 === 0 ? "agent:other" : "agent:test",
        scope: "company",
      };
    });
    const r = await api.post("/v1/facts:batch", { facts });
    expect(r.status).toBe(200);
  }
  file = path.join(work, "export.jsonl");
  const exported = stigmem(["export", "--data", source.dataDir, "--output", file, "--json"]);
  expect(exported.status, exported.stderr).toBe(0);
  expect(JSON.parse(exported.stdout)).toMatchObject({ node_id: source.node.nodeId, facts: 3000, output: file });
  lines = readFileSync(file, "utf8").trimEnd().split("\n");
  reference = folder("reference");
  const r = stigmem(["import", file, "--offline", "--data", reference, "--json"]);
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await source?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("stigmem export", () => {
  it("builds a full-text index that FTS5 finds consistent with the facts", () => {
    checkTextIndex(reference);
  });

  it("writes the same file to stdout as to --output", () => {
    const r = stigmem(["export", "--data", source.dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.trimEnd().split("\n");
    // Everything but the moment of the export.
    expect(out.slice(1)).toEqual(lines.slice(1));
    expect({ ...JSON.parse(out[0]!), exported_at: null }).toEqual({ ...JSON.parse(lines[0]!), exported_at: null });
  });
});

describe("stigmem import", () => {
  it("prints a JSON summary, and a second import of the same file changes nothing", () => {
    const dir = folder("twice");
    const first = stigmem(["import", file, "--offline", "--data", dir, "--json"]);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ node_id: source.node.nodeId, already_imported: false, facts: 3000, loaded_now: 3000, resumes: 0 });
    const before = storeSnapshot(db(dir));
    const second = stigmem(["import", file, "--offline", "--data", dir, "--json"]);
    expect(second.status, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ already_imported: true, loaded_now: 0 });
    expect(storeSnapshot(db(dir))).toEqual(before);
    expect(before).toEqual(storeSnapshot(db(reference)));
  });

  it("resumes a killed import and ends with the same database as an import never stopped", async () => {
    const dir = folder("killed");
    const child = spawn(process.execPath, [BIN, "import", "-", "--offline", "--data", dir, "--checkpoint-every", "200"], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["pipe", "ignore", "pipe"],
    });
    // The write still in the pipe when the child dies fails with EPIPE: expected.
    child.stdin.on("error", () => {});
    let stderr = "";
    // Progress is reported after a batch's commit: once 40 % is reported, at least one checkpoint is on disk.
    const checkpointed = new Promise<void>((resolve) =>
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        if (/import: (4|5|6)\d% /.test(stderr)) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal === null ? _code : -1)));
    // Only part of the file: the import cannot finish before it is killed.
    child.stdin.write(`${lines.slice(0, Math.floor(lines.length * 0.7)).join("\n")}\n`);
    await checkpointed;
    child.kill("SIGKILL");
    expect(await exited).toBe(-1);
    expect(existsSync(db(dir))).toBe(false);
    expect(existsSync(`${db(dir)}.importing`)).toBe(true);

    const resumed = stigmem(["import", file, "--offline", "--data", dir, "--json"]);
    expect(resumed.status, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { resumes: number; loaded_now: number; facts: number };
    expect(summary.resumes).toBe(1);
    expect(summary.loaded_now).toBeGreaterThan(0);
    expect(summary.loaded_now).toBeLessThan(summary.facts);
    expect(existsSync(`${db(dir)}.importing`)).toBe(false);
    expect(storeSnapshot(db(dir))).toEqual(storeSnapshot(db(reference)));
    checkTextIndex(dir);
  });

  it("refuses a file cut short, and continues when the whole file comes", () => {
    const dir = folder("cut");
    const cut = path.join(work, "cut.jsonl");
    writeFileSync(cut, `${lines.slice(0, 2000).join("\n")}\n`);
    const r = stigmem(["import", cut, "--offline", "--data", dir, "--checkpoint-every", "500"]);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split("\n").at(-1)).toMatch(/^stigmem: import: .*cut\.jsonl: the file ends without its trailer line: it was cut short/);
    const whole = stigmem(["import", file, "--offline", "--data", dir, "--json"]);
    expect(whole.status, whole.stderr).toBe(0);
    expect(JSON.parse(whole.stdout)).toMatchObject({ resumes: 1, loaded_now: 3000 - 1999 });
    expect(storeSnapshot(db(dir))).toEqual(storeSnapshot(db(reference)));
    checkTextIndex(dir);
  });

  it("refuses a damaged fact at its line, and continues with the right file", () => {
    const dir = folder("damaged");
    const damaged = path.join(work, "damaged.jsonl");
    const bad = [...lines];
    bad[1500] = bad[1500]!.replace(/"value_v":"value /, '"value_v":"tampered ');
    writeFileSync(damaged, `${bad.join("\n")}\n`);
    const r = stigmem(["import", damaged, "--offline", "--data", dir, "--checkpoint-every", "500"]);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split("\n").at(-1)).toMatch(/damaged\.jsonl: line 1501: cid: does not match the fact's content \(it hashes to sha256:[0-9a-f]{64}\)$/);
    expect(existsSync(db(dir))).toBe(false);
    const right = stigmem(["import", file, "--offline", "--data", dir]);
    expect(right.status, right.stderr).toBe(0);
    expect(storeSnapshot(db(dir))).toEqual(storeSnapshot(db(reference)));
  });

  it("refuses a store that holds facts, and a folder a node serves", async () => {
    const r = stigmem(["import", file, "--offline", "--data", source.dataDir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^stigmem: .* is in use by another stigmem process \(pid \d+/);
    const copy = folder("nonempty");
    expect(stigmem(["import", file, "--offline", "--data", copy]).status).toBe(0);
    const other = path.join(work, "other.jsonl");
    writeFileSync(other, readFileSync(file, "utf8").replace(/"exported_at":"[^"]*"/, '"exported_at":"2000-01-01T00:00:00.000000+00:00"'));
    const again = stigmem(["import", other, "--offline", "--data", copy]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^stigmem: import: .*stigmem\.db already holds 3000 facts; import only into an empty store/);
  });

  it("restores into the empty store of a node that ran before: the folder becomes the exported node, its keys stay", async () => {
    const dir = folder("ran-before");
    const before = await startTestNode({ dataDir: dir, env: { STIGMEM_EMBEDDER: "none" } });
    const ownId = before.node.nodeId;
    await before.close();
    const key = stigmem(["keys", "create", "--entity", "agent:ops", "--permissions", "read", "--data", dir, "--json"]);
    expect(key.status, key.stderr).toBe(0);
    const r = stigmem(["import", file, "--offline", "--data", dir, "--json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ node_id: source.node.nodeId, previous_node_id: ownId });
    expect(r.stderr).toContain(`the data folder is now node ${source.node.nodeId} (it was ${ownId})`);
    expect(JSON.parse(stigmem(["keys", "list", "--data", dir, "--json"]).stdout)).toEqual([JSON.parse(key.stdout).key]);
    const after = await startTestNode({ dataDir: dir, env: { STIGMEM_EMBEDDER: "none" } });
    try {
      expect(after.node.nodeId).toBe(source.node.nodeId);
      expect(after.node.factCount()).toBe(3000);
    } finally {
      await after.close();
    }
  });

  it("reads a file that is not an export as such", () => {
    const junk = path.join(work, "junk.jsonl");
    writeFileSync(junk, '{"hello":"world"}\n');
    const r = stigmem(["import", junk, "--offline", "--data", folder("junk")]);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd()).toMatch(/junk\.jsonl: line 1: format: is not "stigmem-export": this is not a stigmem export$/);
  });
});
