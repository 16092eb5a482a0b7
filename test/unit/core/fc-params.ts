/**
 * Shared fast-check parameters for core property tests. Set `FC_SEED` to
 * replay a failing run exactly (fast-check prints the seed on failure).
 */
import type { Parameters } from "fast-check";

const seed = process.env.FC_SEED;

/** Parameters for `fc.assert`: the env seed when given, else fast-check's random one. */
export const fcParams: Parameters<unknown> =
  seed !== undefined && seed !== "" ? { seed: Number(seed), numRuns: 500 } : { numRuns: 500 };
