// Prettier for the UI (TypeScript, Svelte, CSS, the browser tests). The code was written
// wide, with Svelte markup on one line per element where it fits: 160 columns keeps that
// without reflowing most of it. The other options are Prettier's defaults, which the code
// already follows (double quotes, semicolons, trailing commas).
export default {
  printWidth: 160,
  plugins: ["prettier-plugin-svelte"],
  overrides: [{ files: "*.svelte", options: { parser: "svelte" } }],
};
