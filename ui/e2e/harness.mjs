// Shared set-up for the browser tests: one Vite dev server and one Debian chromium
// (playwright-core, never a downloaded browser) for a whole test file.

import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createServer } from "vite";

export const UI_ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function startHarness() {
  const server = await createServer({
    root: UI_ROOT,
    configFile: `${UI_ROOT}/vite.config.ts`,
    logLevel: "warn",
    server: { port: 0, strictPort: false, host: "127.0.0.1" },
  });
  await server.listen();
  const { port } = server.httpServer.address();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    browser,
    async stop() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Opens the app on the in-memory mock back end (no Tauri at all): `products` sample
 * products, the system language `locale`, other mock options in `mock`. Returns the page, its uncaught errors, and the
 * back-end calls so far (`calls()`).
 */
export async function openMockApp(
  harness,
  { products = 48, locale = "en-US", importStep = 40, viewport = { width: 1280, height: 800 }, init, mock = {} } = {},
) {
  const context = await harness.browser.newContext({ locale, viewport });
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  await page.addInitScript(
    ({ products, importStep, mock }) => {
      window.__VITRINE_MOCK_OPTIONS__ = { products, importStep, ...mock };
    },
    { products, importStep, mock },
  );
  if (init) await page.addInitScript(init);
  await page.goto(harness.baseUrl);
  await page.waitForFunction(() => window.__VITRINE_MOCK__ !== undefined);
  const calls = () => page.evaluate(() => window.__VITRINE_MOCK__.calls);
  return { page, context, pageErrors, calls, close: () => context.close() };
}
