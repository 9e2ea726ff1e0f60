// ESLint for the UI: the recommended rules of ESLint, typescript-eslint and the Svelte
// plugin, on the app (browser) and on its browser tests and config files (Node). Formatting
// is Prettier's (`npm run format:check`), so no rule here is about layout.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";
import svelteConfig from "./svelte.config.js";

export default defineConfig(
  // Generated from the Rust commands (drift-tested there), and the build output.
  { ignores: ["dist/", "src/lib/bindings.ts"] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  svelte.configs.prettier,
  {
    languageOptions: { globals: globals.browser },
  },
  {
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: {
      parserOptions: { parser: ts.parser, extraFileExtensions: [".svelte"], svelteConfig },
    },
  },
  // The mock is being rewritten on another branch of issue 15 (it keeps storage and canned
  // answers, not rules); its two findings go with that rewrite. Remove these blocks then.
  {
    // `interface StoredProduct extends Omit<…> {}`, which is a `type` alias.
    files: ["src/lib/mock-backend.ts"],
    rules: { "@typescript-eslint/no-empty-object-type": "off" },
  },
  {
    // A deliberate `[^\u0000-\u007f]` (everything outside ASCII).
    files: ["src/lib/mock-import.ts"],
    rules: { "no-control-regex": "off" },
  },
  {
    files: ["e2e/**/*.mjs", "*.config.js", "*.config.ts"],
    languageOptions: { globals: globals.node },
  },
);
