/**
 * The declaring side of the handshake (protocol.md §10 step 1): sign this
 * node's declaration with its federation key and POST it to the other
 * node's `/v1/federation/peers` with an API key of that node holding
 * `federate`. The other node then fetches our discovery document, so our
 * `node_url` must be reachable from it. Used by `stigmem peers add`.
 *
 * @module
 */
import type { Ed25519Signer } from "../core/federation/ed25519.js";
import { signDeclaration } from "../core/federation/peer-declaration.js";

/** What to declare, and to whom. */
export interface DeclareInput {
  /** Base URL of the node we declare ourselves to. */
  readonly remoteUrl: string;
  /** An API key of that node with `federate`. */
  readonly apiKey: string;
  readonly signer: Ed25519Signer;
  readonly nodeId: string;
  /** Our public URL, as the remote node will fetch it. */
  readonly nodeUrl: string;
  /** What we share: a subset of team, company, public. */
  readonly scopes: readonly string[];
  readonly timeoutMs?: number;
}

/** The remote node's answer (REST 201 body). */
export interface DeclareResult {
  readonly peerId: string;
  readonly status: string;
}

/** The remote node refused the declaration; `code` is its stable error code when it sent one. */
export class DeclareError extends Error {
  override readonly name = "DeclareError" as const;
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Signs and posts our declaration. @throws DeclareError, or a network error (TypeError from fetch). */
export async function declareToPeer(input: DeclareInput): Promise<DeclareResult> {
  const decl = await signDeclaration({ node_url: input.nodeUrl, node_id: input.nodeId, allowed_scopes: input.scopes }, input.signer, Date.now());
  const res = await fetch(`${input.remoteUrl.replace(/\/+$/, "")}/v1/federation/peers`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${input.apiKey}` },
    body: JSON.stringify(decl),
    redirect: "error",
    signal: AbortSignal.timeout(input.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: reported with the status below.
  }
  if (res.status !== 201 && res.status !== 200) {
    const detail = typeof body.message === "string" ? body.message : typeof body.detail === "string" ? body.detail : text.slice(0, 300);
    throw new DeclareError(res.status, typeof body.code === "string" ? body.code : undefined, `${res.status}: ${detail}`);
  }
  return { peerId: String(body.peer_id), status: String(body.status) };
}
