import { defineConfig } from "vitest/config";

/** Timing-sensitive load tests: they run last, alone, so the suite's other files do not share their CPU. */
const ALONE = ["test/integration/overload.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // Derives the offline embedder's vocabulary once per machine (test/helpers/embed-cache.ts).
    globalSetup: ["test/global-setup.ts"],
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["test/**/*.test.ts"],
          // The conformance vectors have their own runner (npm run conformance).
          exclude: ["test/conformance/**", "node_modules/**", ...ALONE],
        },
      },
      {
        extends: true,
        test: { name: "alone", include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
