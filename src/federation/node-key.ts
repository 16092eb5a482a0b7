/**
 * @module federation/node-key
 *
 * The node's Ed25519 federation identity (protocol.md §10 "Identity"): it
 * signs the node's declarations and peer tokens, and peers pin its public
 * key. It lives in `<data dir>/federation.key` (mode 0600, created on first
 * start) or comes from configuration as a base64url seed; never in the
 * database (the reference keeps it in `node_meta`, §12), never in a log.
 *
 * File format (text, LF line ends, exactly these three lines):
 *
 * ```
 * stigmem-federation-key 1
 * seed: <32-byte Ed25519 seed, base64url without padding, 43 characters>
 * public: <the matching public key, base64url without padding, 43 characters>
 * ```
 *
 * The `public` line lets an operator read the key's identity without tools
 * and lets the loader detect a damaged file: it must match the seed. The
 * file is created atomically (written to a private temporary file, then
 * hard-linked into place, which fails if another process won the race), so
 * a crash never leaves a half-written key behind. A key file readable by
 * group or others is refused, as ssh refuses such keys.
 */
import { constants } from "node:fs";
import { link, mkdir, open, unlink } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { inspect } from "node:util";
import { decodeBase64url, encodeBase64url } from "../core/federation/base64url.js";
import { ED25519_SEED_BYTES, pubkeyFingerprint, signerFromSeed, type Ed25519Signer } from "../core/federation/ed25519.js";

/** Name of the key file inside the data directory. */
export const NODE_KEY_FILE = "federation.key";

const HEADER = "stigmem-federation-key 1";
const MAX_FILE_BYTES = 4_096;

/** Why a key could not be loaded; messages never contain key material. */
export type NodeKeyErrorCode = "invalid_key_seed" | "invalid_key_file" | "key_file_insecure";

/** A key that cannot be used; the node refuses to start (exit 2) with this message. */
export class NodeKeyError extends Error {
  override readonly name = "NodeKeyError" as const;
  constructor(
    readonly code: NodeKeyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The loaded identity. It signs without exposing the seed: the seed is a
 * private field, and `JSON.stringify` and `util.inspect` (what loggers use)
 * show only the public key and fingerprint.
 */
export class NodeKey implements Ed25519Signer {
  /** Public key, base64url without padding: the `federation_pubkey` the node publishes. */
  readonly publicKey: string;
  /** `sha256:` + hex of the public key text: what peer operators compare before approving (§10). */
  readonly fingerprint: string;
  readonly #signer: Ed25519Signer;

  private constructor(signer: Ed25519Signer) {
    this.#signer = signer;
    this.publicKey = signer.publicKey;
    this.fingerprint = pubkeyFingerprint(signer.publicKey);
  }

  /** A key over a raw 32-byte seed. */
  static async fromSeed(seed: Uint8Array): Promise<NodeKey> {
    return new NodeKey(await signerFromSeed(seed));
  }

  /** The Ed25519 signature of `message` by this node. */
  sign(message: Uint8Array): Promise<Uint8Array> {
    return this.#signer.sign(message);
  }

  toJSON(): { publicKey: string; fingerprint: string } {
    return { publicKey: this.publicKey, fingerprint: this.fingerprint };
  }

  [inspect.custom](): string {
    return `NodeKey { publicKey: '${this.publicKey}', fingerprint: '${this.fingerprint}' }`;
  }
}

/** Where the loaded key came from. */
export type NodeKeyOrigin = "config" | "file" | "created";

/** Result of {@link loadNodeKey}. */
export interface LoadedNodeKey {
  readonly key: NodeKey;
  readonly origin: NodeKeyOrigin;
  /** The key file used or created; absent when the key came from configuration. */
  readonly file?: string;
}

/** Decodes a configured seed: 43 base64url characters carrying 32 bytes. */
function decodeSeed(text: string, what: string): Uint8Array {
  const seed = decodeBase64url(text.trim());
  if (seed === undefined || seed.length !== ED25519_SEED_BYTES) {
    throw new NodeKeyError("invalid_key_seed", `${what} must be a 32-byte Ed25519 seed in base64url (43 characters)`);
  }
  return seed;
}

/** The text of a key file for `seed` (see the module comment). */
export async function formatNodeKeyFile(seed: Uint8Array): Promise<string> {
  const signer = await signerFromSeed(seed);
  return `${HEADER}\nseed: ${encodeBase64url(seed)}\npublic: ${signer.publicKey}\n`;
}

/**
 * Parses a key file's text and checks its `public` line against the seed.
 *
 * @throws NodeKeyError `invalid_key_file` (the message names the line, never its content).
 */
export async function parseNodeKeyFile(text: string, file = NODE_KEY_FILE): Promise<NodeKey> {
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  const bad = (why: string): NodeKeyError => new NodeKeyError("invalid_key_file", `${file}: ${why}`);
  if (lines.length !== 3 || lines[0] !== HEADER) throw bad(`expected 3 lines starting with "${HEADER}"`);
  const seedLine = /^seed: ([A-Za-z0-9_-]{43})$/.exec(lines[1]!);
  const publicLine = /^public: ([A-Za-z0-9_-]{43})$/.exec(lines[2]!);
  if (seedLine === null) throw bad('line 2 must be "seed: " and 43 base64url characters');
  if (publicLine === null) throw bad('line 3 must be "public: " and 43 base64url characters');
  const seed = decodeBase64url(seedLine[1]!);
  if (seed === undefined || seed.length !== ED25519_SEED_BYTES) throw bad("the seed is not 32 bytes of base64url");
  const key = await NodeKey.fromSeed(seed);
  if (key.publicKey !== publicLine[1]) throw bad("the public key does not match the seed (damaged or edited file)");
  return key;
}

async function readKeyFile(file: string): Promise<NodeKey> {
  // O_NOFOLLOW: a symlink planted in the data dir must not redirect us to another file.
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new NodeKeyError("invalid_key_file", `${file} is not a regular file`);
    if ((st.mode & 0o077) !== 0) {
      throw new NodeKeyError(
        "key_file_insecure",
        `${file} is accessible by group or others (mode ${(st.mode & 0o777).toString(8)}); run chmod 600 on it`,
      );
    }
    if (st.size > MAX_FILE_BYTES) throw new NodeKeyError("invalid_key_file", `${file} is too large to be a key file`);
    return await parseNodeKeyFile(await handle.readFile("utf8"), file);
  } finally {
    await handle.close();
  }
}

/** Writes a new key file atomically; false when another process created one first. */
async function createKeyFile(dir: string, file: string): Promise<boolean> {
  const tmp = path.join(dir, `.${NODE_KEY_FILE}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const seed = randomBytes(ED25519_SEED_BYTES);
  const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    await handle.writeFile(await formatNodeKeyFile(seed), "utf8");
    await handle.sync();
  } finally {
    await handle.close();
    seed.fill(0);
  }
  try {
    await link(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    await unlink(tmp);
    const d = await open(dir, constants.O_RDONLY);
    await d.sync().finally(() => d.close());
  }
}

/**
 * Loads the node's federation key:
 * - `seed` given (configuration): that key; the key file is neither read nor written;
 * - otherwise `<dataDir>/federation.key` when it exists (mode must be 0600 or stricter);
 * - otherwise a new random key, written to that file with mode 0600.
 *
 * @throws NodeKeyError for a malformed seed, a damaged or insecure file;
 *   filesystem errors (EACCES, ENOSPC) propagate with their errno code.
 */
export async function loadNodeKey(opts: { readonly dataDir: string; readonly seed?: string | undefined }): Promise<LoadedNodeKey> {
  if (opts.seed !== undefined && opts.seed !== "") {
    return { key: await NodeKey.fromSeed(decodeSeed(opts.seed, "the configured federation key")), origin: "config" };
  }
  const file = path.join(opts.dataDir, NODE_KEY_FILE);
  try {
    return { key: await readKeyFile(file), origin: "file", file };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const created = await createKeyFile(opts.dataDir, file);
  return { key: await readKeyFile(file), origin: created ? "created" : "file", file };
}
