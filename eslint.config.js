// ESLint for the project's TypeScript: typescript-eslint's type-checked
// recommended rules over sources, tests, benchmarks and the SDK. Generated
// code (gen/) and build output are not linted: CI regenerates gen/ and fails
// on any difference instead. The layering of architecture.md is checked by
// dependency-cruiser (.dependency-cruiser.cjs), not here.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["gen/**", "dist/**", "sdks/typescript/dist/**", "node_modules/**", "**/*.mjs", "**/*.js", "**/*.cjs", "wasm/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    rules: {
      // Grouped case labels carry a comment line saying why they share an answer.
      "no-fallthrough": ["error", { allowEmptyCase: true }],
      // A `let` read by a callback before its one assignment (a release hook set after an await) is not a constant.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // `_` names a value the code must bind but means to drop (a loop that only drains, a field left out by a rest copy).
      "@typescript-eslint/no-unused-vars": ["error", { varsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["vitest.conformance.config.ts"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // Tests read JSON answers whose shape is the thing under test: they index
    // into `any` bodies on purpose, and typing every body would copy the
    // contract. Their fakes implement async interfaces without awaiting.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
    },
  },
);
