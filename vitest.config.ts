import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The conformance vectors have their own runner (npm run conformance).
    exclude: ["test/conformance/**", "node_modules/**"],
    testTimeout: 30_000,
    // Derives the offline embedder's vocabulary once per machine (test/helpers/embed-cache.ts).
    globalSetup: ["test/global-setup.ts"],
    hookTimeout: 30_000,
  },
});
