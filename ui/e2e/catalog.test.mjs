// The catalog view in a real browser (Debian's chromium through playwright-core), served by
// the Vite dev server, with Tauri's IPC mocked: every `invoke` the UI makes lands in the
// handler below, so these tests see exactly which commands the UI calls and with what.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";
import { createServer } from "vite";

const UI_ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

const PRODUCTS = [
  {
    id: "00000000-0000-4000-8000-000000000001",
    sku: "CAMISA-AZUL-M",
    title: "Camisa de linho azul",
    price: { amount: "149.90", currency: "BRL" },
    salePrice: null,
    availability: "inStock",
    stock: 12,
    thumbnail: HASH,
    errors: 0,
    warnings: 0,
  },
  {
    id: "00000000-0000-4000-8000-000000000002",
    sku: "ABAYA-001",
    title: "عباءة سوداء مطرزة",
    price: { amount: "350.00", currency: "SAR" },
    salePrice: { amount: "299.00", currency: "SAR" },
    availability: "availableForOrder",
    stock: null,
    thumbnail: null,
    errors: 0,
    warnings: 1,
  },
  {
    id: "00000000-0000-4000-8000-000000000003",
    sku: "BATIK-12",
    title: "Kain batik tulis",
    price: { amount: "425000", currency: "IDR" },
    salePrice: null,
    availability: "outOfStock",
    stock: 0,
    thumbnail: null,
    errors: 2,
    warnings: 0,
  },
];

let server;
let browser;
let baseUrl;

before(async () => {
  server = await createServer({
    root: UI_ROOT,
    configFile: `${UI_ROOT}/vite.config.ts`,
    logLevel: "warn",
    server: { port: 0, strictPort: false, host: "127.0.0.1" },
  });
  await server.listen();
  const { port } = server.httpServer.address();
  baseUrl = `http://127.0.0.1:${port}/`;
  browser = await chromium.launch({
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
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Opens the app with a fake back end holding `products`. Returns the page and a function
 * that reads the IPC calls the UI has made so far.
 */
async function openApp({ products = PRODUCTS, locale = "en-US", failWith = null } = {}) {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  // Chromium has no vitrine-img scheme, so these requests fail: the UI must cope.
  const imageRequests = [];
  page.on("request", (request) => {
    if (request.url().startsWith("vitrine-img:")) imageRequests.push(request.url());
  });
  await page.addInitScript(
    ({ products, failWith }) => {
      window.__E2E_CALLS__ = [];
      window.__E2E_IPC__ = (cmd, args) => {
        window.__E2E_CALLS__.push({ cmd, args: JSON.parse(JSON.stringify(args ?? {})) });
        if (failWith) throw failWith;
        switch (cmd) {
          case "shop":
            return { name: "Loja da Ana", currency: "BRL", language: "pt-BR" };
          case "list_products": {
            const { search, limit, offset } = args.query;
            const needle = (search ?? "").toLowerCase();
            const hits = products.filter(
              (p) => p.title.toLowerCase().includes(needle) || p.sku.toLowerCase().includes(needle),
            );
            return { items: hits.slice(offset, offset + limit), total: hits.length };
          }
          default:
            throw `unknown command ${cmd}`;
        }
      };
    },
    { products, failWith },
  );
  await page.goto(baseUrl);
  const calls = () => page.evaluate(() => window.__E2E_CALLS__);
  return { page, calls, pageErrors, imageRequests, close: () => context.close() };
}

describe("catalog view", { timeout: 60_000 }, () => {
  test("lists every product with its price in its own currency, availability and stock", async () => {
    const app = await openApp();
    try {
      const rows = app.page.getByTestId("product-row");
      await rows.first().waitFor();
      assert.equal(await rows.count(), 3, "one row per product");
      assert.deepEqual(
        await app.page.getByTestId("product-title").allTextContents(),
        PRODUCTS.map((p) => p.title),
        "titles in the back end's order, Arabic included",
      );

      const first = rows.nth(0);
      assert.match(await first.textContent(), /R\$\s?149\.90/, "BRL formatted for en-US");
      assert.match(await first.textContent(), /In stock/);
      assert.match(await first.textContent(), /CAMISA-AZUL-M/);
      await app.page.waitForFunction(() => !document.querySelector("[data-testid=product-row] img"));
      assert.deepEqual(
        app.imageRequests,
        [`vitrine-img://localhost/thumb/${HASH}`],
        "thumbnails load through the image scheme, by content hash, only for products with a photo",
      );
      assert.equal(
        await first.locator("svg").count(),
        1,
        "an image that fails to load gives way to the placeholder",
      );

      const second = rows.nth(1);
      assert.match(await second.getByTestId("sale-price").textContent(), /SAR\s?299\.00/);
      assert.match(await second.textContent(), /Available for order/);
      assert.match(await second.textContent(), /—/, "untracked stock shows a dash");

      const third = rows.nth(2);
      assert.match(await third.textContent(), /IDR\s?425,000/, "IDR has no minor units");
      assert.match(await third.textContent(), /2 problems/);

      assert.equal(await app.page.getByTestId("shop-name").textContent(), "Loja da Ana");
      const listCalls = (await app.calls()).filter((c) => c.cmd === "list_products");
      assert.deepEqual(
        listCalls[0].args,
        { query: { search: null, limit: 200, offset: 0 } },
        "the first load asks for everything",
      );
      assert.deepEqual(app.pageErrors, [], "no uncaught errors in the page");
    } finally {
      await app.close();
    }
  });

  test("typing in the search box asks the back end, once the typing pauses", async () => {
    const app = await openApp();
    try {
      await app.page.getByTestId("product-row").first().waitFor();
      await app.page.getByRole("searchbox").pressSequentially("abaya", { delay: 15 });
      await app.page.waitForFunction(
        () => document.querySelectorAll("[data-testid=product-row]").length === 1,
      );
      assert.deepEqual(await app.page.getByTestId("product-title").allTextContents(), [
        "عباءة سوداء مطرزة",
      ]);
      const searches = (await app.calls())
        .filter((c) => c.cmd === "list_products" && c.args.query.search !== null)
        .map((c) => c.args.query.search);
      assert.deepEqual(searches, ["abaya"], "one search for the whole word, not one per keystroke");
    } finally {
      await app.close();
    }
  });

  test("a search with no match says so", async () => {
    const app = await openApp();
    try {
      await app.page.getByRole("searchbox").fill("sapato");
      await app.page.getByText("No products match “sapato”").waitFor();
      assert.equal(await app.page.getByTestId("product-row").count(), 0);
    } finally {
      await app.close();
    }
  });

  test("an empty catalog explains how to add the first product", async () => {
    const app = await openApp({ products: [] });
    try {
      await app.page.getByText("No products yet").waitFor();
      assert.match(await app.page.locator("main").textContent(), /vitrine product add/);
      assert.match(await app.page.locator("main").textContent(), /import a CSV/);
    } finally {
      await app.close();
    }
  });

  test("a failing back end shows its message, not a blank window", async () => {
    const app = await openApp({
      failWith: { code: "internal", message: "Vitrine could not read or write its data." },
    });
    try {
      const alert = app.page.getByRole("alert");
      await alert.waitFor();
      assert.equal(await alert.textContent(), "Vitrine could not read or write its data.");
    } finally {
      await app.close();
    }
  });

  test("a right-to-left system language mirrors the layout", async () => {
    const app = await openApp({ locale: "ar-SA" });
    try {
      await app.page.getByTestId("product-row").first().waitFor();
      assert.equal(await app.page.getAttribute("html", "dir"), "rtl");
      assert.equal(await app.page.getAttribute("html", "lang"), "ar-SA");
    } finally {
      await app.close();
    }
  });
});
