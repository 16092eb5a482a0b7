/**
 * The software version, read once from package.json so the CLI, the
 * well-known document and the Connect NodeService agree.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { projectFile } from "./project-root.js";

/** Version of this build, e.g. `0.1.0`. */
export const VERSION: string = (JSON.parse(readFileSync(projectFile("package.json"), "utf8")) as { version: string })
  .version;
