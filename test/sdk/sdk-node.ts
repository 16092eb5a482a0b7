/**
 * A real node for the SDK tests, with auth on and a known admin key, and a
 * client of it per transport.
 *
 * @module
 */
import { createClient, type NodeClientOptions } from "../../sdks/typescript/src/index.js";
import type { StigmemClient } from "../../sdks/typescript/src/public-api.js";
import type { TransportKind } from "../../sdks/typescript/src/types.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

/** Every transport the facade speaks, in the order the tests run them. */
export const TRANSPORTS: readonly TransportKind[] = ["rest", "connect", "grpc", "grpc-web"];

/** The admin key of {@link startSdkNode}'s node. */
export const ADMIN_KEY = "sdk-tests-admin-key-0123456789abcdefghij";

export function startSdkNode(): Promise<TestNode> {
  // No embedder: the transports are compared read for read, and vectors landing in the
  // background between two reads would change their semantic scores.
  return startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY, STIGMEM_EMBEDDER: "none" } });
}

/** A client of `node` over `transport`, with the admin key unless another (or none) is given. */
export function clientOf(node: TestNode, transport: TransportKind, extra: Partial<NodeClientOptions> = {}): StigmemClient {
  return createClient({ baseUrl: node.url, apiKey: ADMIN_KEY, transport, timeoutMs: 20_000, ...extra });
}
