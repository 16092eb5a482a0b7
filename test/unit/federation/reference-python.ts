/**
 * Runs snippets of the reference node kit's own Python code (its PyJWT,
 * `cryptography` and `stigmem_node.federation` modules) so interop tests
 * check our bytes against the reference's code path, not against our
 * reading of it. Needs the pyenv `python3` with the kit's requirements (see
 * the kit README); tests skip with {@link REFERENCE_PYTHON_SKIP} otherwise.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { projectFile } from "../../../src/project-root.js";

/** The reference node kit beside the project (`../shared/reference/node-kit`). */
export const REFERENCE_KIT =
  process.env.STIGMEM_REFERENCE_KIT ?? path.resolve(projectFile(), "..", "shared", "reference", "node-kit");

const PYTHON = process.env.STIGMEM_REF_PYTHON ?? "python3";

/** The environment of a reference snippet: ours without STIGMEM_* (the kit reads its settings from env). */
function referenceEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("STIGMEM_")) env[k] = v;
  return {
    ...env,
    PYTHONPATH: [path.join(REFERENCE_KIT, "deps"), path.join(REFERENCE_KIT, "node", "src")].join(path.delimiter),
    ...extra,
  };
}

function probe(): string | undefined {
  if (!existsSync(path.join(REFERENCE_KIT, "node", "src", "stigmem_node"))) return `reference kit not found at ${REFERENCE_KIT}`;
  const r = spawnSync(PYTHON, ["-c", "import jwt, cryptography, stigmem_node.federation.peer_token"], {
    env: referenceEnv({}),
    encoding: "utf8",
  });
  return r.status === 0 ? undefined : `${PYTHON} cannot import the reference kit: ${(r.stderr || String(r.error)).trim().split("\n").pop()}`;
}

const unavailable = probe();

/** Why the reference interop tests are skipped, or undefined when they run. */
export const REFERENCE_PYTHON_SKIP: string | undefined = unavailable;
if (unavailable !== undefined) {
  console.log(`federation interop with the reference's Python: skipped — ${unavailable}`);
}

/**
 * Runs `script` with the reference kit importable; `input` arrives as JSON on
 * stdin (`json.load(sys.stdin)`), and the script prints one JSON document.
 */
export function runReferencePython(script: string, input: unknown, env: Record<string, string> = {}): unknown {
  const r = spawnSync(PYTHON, ["-c", script], {
    env: referenceEnv(env),
    input: JSON.stringify(input),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`reference python failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}
