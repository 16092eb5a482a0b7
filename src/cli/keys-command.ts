/**
 * Registers `stigmem keys create|list|revoke`; their work (keys.ts, which
 * opens the database) is loaded only when one runs.
 *
 * @module
 */
import type { Command } from "commander";
import type { CreateOptions } from "./keys.js";


const DATA_HELP = "data folder (STIGMEM_DATA_DIR; default ./stigmem-data)";

/** Adds `keys create|list|revoke` to the program. */
export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("create, list and revoke API keys in a data folder (no running node needed)");
  keys
    .command("create")
    .description("create a key offline; prints the key once on stdout")
    .option("--entity <uri>", "entity the key acts as, e.g. agent:ops (required)")
    .option("--permissions <list>", "comma-separated: read, write, instruction:write, federate, admin:federation, admin, audit.read (required)")
    .option("--scopes <list>", "comma-separated scopes the key may use (default: all)")
    .option("--description <text>", "a note shown in listings")
    .option("--expires-in-days <n>", "lifetime in days, 1 to 90 (default 90)")
    .option("--data <dir>", DATA_HELP)
    .option("--json", "print the key and its record as JSON")
    .action(async (opts: CreateOptions) => (await import("./keys.js")).keysCreate(opts));
  keys
    .command("list")
    .description("list usable keys (never their secrets)")
    .option("--data <dir>", DATA_HELP)
    .option("--json", "print the keys as a JSON array")
    .action(async (opts: { data?: string; json?: boolean }) => (await import("./keys.js")).keysList(opts));
  keys
    .command("revoke")
    .description("revoke a key")
    .argument("<id>", "id of the key (from keys list)")
    .option("--data <dir>", DATA_HELP)
    .option("--json", 'print {"revoked": id} as JSON')
    .action(async (id: string, opts: { data?: string; json?: boolean }) => (await import("./keys.js")).keysRevoke(id, opts));
}

