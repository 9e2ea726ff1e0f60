import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Unit and component tests (src/**/*.test.ts). Components mount in happy-dom; the browser
// tests (e2e/, real chromium) are run by `npm run e2e:mock` instead.
export default defineConfig({
  plugins: [svelte()],
  resolve: { conditions: ["browser"] },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "happy-dom",
  },
});
