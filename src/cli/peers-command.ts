/**
 * Registers `stigmem peers add|list|approve|reject|remove|status`; their
 * work (peers.ts, which opens the database) is loaded only when one runs.
 *
 * @module
 */
import type { Command } from "commander";
import type { AddOptions, DataOptions, DecideOptions } from "./peers.js";

const DATA_HELP = "data folder (STIGMEM_DATA_DIR; default ./stigmem-data)";

/** Adds `peers …` to the program. */
export function registerPeers(program: Command): void {
  const peers = program
    .command("peers")
    .description("federation peers: declare this node to another, approve, reject, remove, and replication status")
    .addHelpText(
      "after",
      "\nThe handshake, once per direction: on node A, `stigmem peers add <B's URL> --scopes public --key <B's key with federate>`\n" +
        "prints A's fingerprint; B's operator checks it with A's operator out of band and runs\n" +
        "`stigmem peers approve <peer id> --fingerprint sha256:...`. Key rotation: remove, then add again.\n",
    );
  peers
    .command("add")
    .description("declare this node to another node (signed with this node's federation key)")
    .argument("<url>", "base URL of the other node")
    .option("--scopes <list>", "comma-separated scopes this node shares: team, company, public (required)")
    .option("--key <key>", "an API key of the other node with the federate permission (required; STIGMEM_PEER_API_KEY)")
    .option("--node-url <url>", "this node's public URL, as the other node reaches it (STIGMEM_NODE_URL; default: the running node's)")
    .option("--data <dir>", DATA_HELP)
    .option("--json", "print the other node's answer as JSON")
    .action(async (url: string, opts: AddOptions) => (await import("./peers.js")).peersAdd(url, opts));
  peers
    .command("list")
    .description("list the peers that declared themselves to this node, in any status")
    .option("--data <dir>", DATA_HELP)
    .option("--json", "print the peers as a JSON array")
    .action(async (opts: DataOptions) => (await import("./peers.js")).peersList(opts));
  peers
    .command("approve")
    .description("activate a peer waiting for approval, once its fingerprint was confirmed out of band")
    .argument("<id>", "peer id (from peers list)")
    .option("--fingerprint <sha256:hex>", "the fingerprint its operator gave you (required)")
    .option("--scopes <list>", "narrow the declared scopes to these")
    .option("--data <dir>", DATA_HELP)
    .option("--json", "print the peer as JSON")
    .action(async (id: string, opts: DecideOptions) => (await import("./peers.js")).peersApprove(id, opts));
  peers
    .command("reject")
    .description("reject a peer that has not been approved (it may register again)")
    .argument("<id>", "peer id (from peers list)")
    .option("--reason <text>", "recorded in the audit log")
    .option("--data <dir>", DATA_HELP)
    .option("--json", "print the peer as JSON")
    .action(async (id: string, opts: DecideOptions) => (await import("./peers.js")).peersReject(id, opts));
  peers
    .command("remove")
    .description("revoke a peer: its tokens are refused and replication stops (it may register again)")
    .argument("<id>", "peer id (from peers list)")
    .option("--reason <text>", "recorded in the audit log")
    .option("--data <dir>", DATA_HELP)
    .option("--json", "print the peer as JSON")
    .action(async (id: string, opts: DecideOptions) => (await import("./peers.js")).peersRemove(id, opts));
  peers
    .command("status")
    .description("replication per peer: cursor, lag, last error, facts accepted and rejected")
    .option("--data <dir>", DATA_HELP)
    .option("--json", "print the status as JSON")
    .action(async (opts: DataOptions) => (await import("./peers.js")).peersStatus(opts));
}
