/**
 * A fact value typed on the command line: the text of the argument and
 * `--type` make the typed value the node expects, and a value that cannot
 * be of that type is a usage error (exit 2) before anything is sent.
 *
 * @module
 */
import type { ValueInput } from "@stigmem/sdk";
import { UsageError } from "./cli-errors.js";
import type { ValueType } from "../core/values.js";

/** The value from its argument and `--type`; a mismatch is a usage error naming `command`. */
export function parseValue(command: string, type: ValueType, raw: string | undefined): ValueInput {
  if (type === "null") {
    if (raw !== undefined) throw new UsageError(`${command}: value`, "a null value takes no argument");
    return { type: "null" };
  }
  if (raw === undefined) throw new UsageError(`${command}: value`, `is required for --type ${type}`);
  switch (type) {
    case "number": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) throw new UsageError(`${command}: value`, `"${raw}" is not a number`);
      return { type, v: n };
    }
    case "boolean":
      if (raw !== "true" && raw !== "false") throw new UsageError(`${command}: value`, `a boolean is true or false (got "${raw}")`);
      return { type, v: raw === "true" };
    default:
      return { type, v: raw };
  }
}
