/**
 * The node's federation key on a real filesystem: created once with mode
 * 0600 (also under concurrent starts), reloaded, given by configuration,
 * refused when damaged or readable by others, and never printed by
 * JSON.stringify, util.inspect or the node's logger.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodePublicKey, verifyEd25519 } from "../../../src/core/federation/ed25519.js";
import { formatNodeKeyFile, loadNodeKey, NODE_KEY_FILE, NodeKeyError } from "../../../src/federation/node-key.js";

const SEED_A = Uint8Array.from({ length: 32 }, (_, i) => i);
const SEED_A_TEXT = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
const PUB_A = "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-key-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "loaded";
  } catch (e) {
    return e instanceof NodeKeyError ? e.code : String((e as NodeJS.ErrnoException).code);
  }
}

describe("the key file", () => {
  it("is created on first start with mode 0600 in the documented format, then reloaded", async () => {
    const first = await loadNodeKey({ dataDir: dir });
    expect(first.origin).toBe("created");
    const file = path.join(dir, NODE_KEY_FILE);
    expect(first.file).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^stigmem-federation-key 1\nseed: [A-Za-z0-9_-]{43}\npublic: [A-Za-z0-9_-]{43}\n$/);
    expect(text).toContain(`public: ${first.key.publicKey}\n`);

    const again = await loadNodeKey({ dataDir: dir });
    expect([again.origin, again.key.publicKey, again.key.fingerprint]).toEqual(["file", first.key.publicKey, first.key.fingerprint]);
    expect(readdirSync(dir)).toEqual([NODE_KEY_FILE]); // no temporary file left behind
  });

  it("creates the data directory when it is missing", async () => {
    const nested = path.join(dir, "a", "b");
    expect((await loadNodeKey({ dataDir: nested })).origin).toBe("created");
    expect(readdirSync(nested)).toEqual([NODE_KEY_FILE]);
  });

  it("ends with one key when several starts race to create it", async () => {
    const loads = await Promise.all(Array.from({ length: 6 }, () => loadNodeKey({ dataDir: dir })));
    expect(new Set(loads.map((l) => l.key.publicKey)).size).toBe(1);
    expect(loads.filter((l) => l.origin === "created")).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([NODE_KEY_FILE]);
  });

  it("reads the known answer file for a seed", async () => {
    writeFileSync(path.join(dir, NODE_KEY_FILE), await formatNodeKeyFile(SEED_A), { mode: 0o600 });
    expect(readFileSync(path.join(dir, NODE_KEY_FILE), "utf8")).toBe(`stigmem-federation-key 1\nseed: ${SEED_A_TEXT}\npublic: ${PUB_A}\n`);
    const { key, origin } = await loadNodeKey({ dataDir: dir });
    expect([origin, key.publicKey]).toEqual(["file", PUB_A]);
  });

  it.each<[string, (text: string) => string]>([
    ["a public line that does not match the seed", (t) => t.replace(PUB_A, `B${PUB_A.slice(1)}`)],
    ["a missing public line", (t) => t.split("\n").slice(0, 2).join("\n")],
    ["another header", (t) => t.replace("stigmem-federation-key 1", "stigmem-federation-key 2")],
    ["an extra line", (t) => `${t}extra\n`],
    ["a padded seed", (t) => t.replace(SEED_A_TEXT, `${SEED_A_TEXT}=`)],
    ["a seed with non-zero trailing bits", (t) => t.replace(SEED_A_TEXT, `${SEED_A_TEXT.slice(0, -1)}g`)],
    ["CRLF line ends", (t) => t.replaceAll("\n", "\r\n")],
    ["an empty file", () => ""],
  ])("refuses %s, without quoting the seed", async (_name, damage) => {
    const file = path.join(dir, NODE_KEY_FILE);
    writeFileSync(file, damage(await formatNodeKeyFile(SEED_A)), { mode: 0o600 });
    const err = await loadNodeKey({ dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeKeyError);
    expect((err as NodeKeyError).code).toBe("invalid_key_file");
    expect((err as NodeKeyError).message).not.toContain(SEED_A_TEXT.slice(0, 20));
  });

  it.each([0o640, 0o604, 0o644, 0o660])("refuses a key file with mode %o", async (mode) => {
    const file = path.join(dir, NODE_KEY_FILE);
    writeFileSync(file, await formatNodeKeyFile(SEED_A));
    chmodSync(file, mode);
    expect(await codeOf(loadNodeKey({ dataDir: dir }))).toBe("key_file_insecure");
  });

  it("accepts mode 0400 (read-only for the owner)", async () => {
    const file = path.join(dir, NODE_KEY_FILE);
    writeFileSync(file, await formatNodeKeyFile(SEED_A));
    chmodSync(file, 0o400);
    expect(await codeOf(loadNodeKey({ dataDir: dir }))).toBe("loaded");
  });

  it("does not follow a symlink planted as the key file", async () => {
    const elsewhere = path.join(dir, "elsewhere.key");
    writeFileSync(elsewhere, await formatNodeKeyFile(SEED_A), { mode: 0o600 });
    symlinkSync(elsewhere, path.join(dir, NODE_KEY_FILE));
    expect(await codeOf(loadNodeKey({ dataDir: dir }))).toBe("ELOOP");
  });
});

describe("a key given by configuration", () => {
  it("is used as it is, and no file is read or written", async () => {
    writeFileSync(path.join(dir, NODE_KEY_FILE), "garbage", { mode: 0o600 });
    const { key, origin, file } = await loadNodeKey({ dataDir: dir, seed: SEED_A_TEXT });
    expect([origin, file, key.publicKey]).toEqual(["config", undefined, PUB_A]);
    expect(readFileSync(path.join(dir, NODE_KEY_FILE), "utf8")).toBe("garbage");
  });

  it.each(["short", `${SEED_A_TEXT}AA`, SEED_A_TEXT.replace("A", "+"), `${SEED_A_TEXT}=`])("refuses the seed %j", async (seed) => {
    const err = await loadNodeKey({ dataDir: dir, seed }).catch((e: unknown) => e);
    expect((err as NodeKeyError).code).toBe("invalid_key_seed");
    expect((err as NodeKeyError).message).not.toContain(seed);
  });
});

describe("the loaded key", () => {
  it("signs verifiably", async () => {
    const { key } = await loadNodeKey({ dataDir: dir, seed: SEED_A_TEXT });
    const msg = new TextEncoder().encode("hello");
    expect(await verifyEd25519(await key.sign(msg), msg, decodePublicKey(key.publicKey)!)).toBe(true);
  });

  it("never shows its seed to JSON, inspect or the logger", async () => {
    const { key } = await loadNodeKey({ dataDir: dir, seed: SEED_A_TEXT });
    const seedHex = Buffer.from(SEED_A).toString("hex");
    let logged = "";
    const logger = pino(new Writable({ write: (chunk: Buffer, _enc, cb) => ((logged += chunk.toString()), cb()) }));
    logger.info({ key, nested: { key } }, "loaded");
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- what String() shows of the key is the point
    for (const text of [JSON.stringify(key), inspect(key, { showHidden: true, depth: 5 }), logged, String(key)]) {
      expect(text).not.toContain(SEED_A_TEXT);
      expect(text).not.toContain(seedHex);
    }
    expect(JSON.parse(JSON.stringify(key))).toEqual({ publicKey: PUB_A, fingerprint: key.fingerprint });
    expect(logged).toContain(PUB_A);
  });
});
