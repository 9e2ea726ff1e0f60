// The UI through its Tauri adapter (lib/tauri-backend.ts) in a real browser (Debian's
// chromium through playwright-core), served by the Vite dev server, with Tauri's IPC mocked:
// every `invoke` the UI makes lands in the handler below, so these tests see exactly which
// commands the UI calls and with what, and events (menu, drag-and-drop) go through Tauri's
// event plumbing.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";
import { createServer } from "vite";

const UI_ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HASH = "ec2799bfa04695ef199276db85c474e441e944c854bbb9538b6993701a21df3e";

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
            return {
              name: "Loja da Ana",
              phone: { e164: "+5511987654321", international: "+55 11 98765-4321" },
              currency: "BRL",
              currencyDecimals: 2,
              languages: ["pt-BR"],
              direction: "ltr",
              brand: "Loja da Ana",
              logo: null,
            };
          case "collections":
            return [{ id: "c1", name: "Novidades", products: 2 }];
          case "get_product": {
            const p = products.find((x) => x.id === args.key);
            return {
              ...p,
              description: "Linho",
              brand: "",
              saleWindow: null,
              condition: "new",
              link: "https://loja.example/p/1",
              collections: [{ id: "c1", name: "Novidades" }],
              variant: null,
              translations: [],
              images: [],
              findings: [{ rule: "image_missing", severity: "error", field: "images", message: "Add a photo." }],
              createdAt: "2026-11-01T10:00:00Z",
              updatedAt: "2026-11-01T10:00:00Z",
            };
          }
          case "check_input":
            return [];
          case "add_images":
            return {
              id: args.key,
              images: args.paths.map((_, i) => ({ hash: `h${i}`, width: 800, height: 600, bytes: 1000 })),
              added: args.paths.length,
            };
          case "plugin:dialog|save":
            return "/home/ana/backup.zip";
          case "backup":
            return { products: 3, images: 1 };
          case "set_menu_labels":
          case "plugin:window|destroy":
            return null;
          case "list_products": {
            const { search, limit, offset } = args.query;
            const needle = (search ?? "").toLowerCase();
            const hits = products.filter((p) => p.title.toLowerCase().includes(needle) || p.sku.toLowerCase().includes(needle));
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
      assert.equal(await first.locator("svg").count(), 1, "an image that fails to load gives way to the placeholder");

      const second = rows.nth(1);
      assert.match(await second.getByTestId("sale-price").textContent(), /SAR\s?299\.00/);
      assert.match(await second.textContent(), /Available for order/);
      assert.match(await second.textContent(), /—/, "untracked stock shows a dash");

      const third = rows.nth(2);
      assert.match(await third.textContent(), /Rp425,000/, "rupiah cents of zero are left out, as labels print it");
      assert.match(await third.textContent(), /2 problems/);

      assert.equal(await app.page.getByTestId("shop-name").textContent(), "Loja da Ana");
      const listCalls = (await app.calls()).filter((c) => c.cmd === "list_products");
      assert.deepEqual(
        listCalls[0].args,
        { query: { search: null, collection: null, availability: null, problems: null, limit: 100, offset: 0 } },
        "the first load asks for the first page of everything",
      );
      assert.deepEqual(app.pageErrors, [], "no uncaught errors in the page");
    } finally {
      await app.close();
    }
  });

  test("typing in the search box asks the back end at each keystroke and shows the last answer", async () => {
    const app = await openApp();
    try {
      await app.page.getByTestId("product-row").first().waitFor();
      await app.page.getByRole("searchbox").pressSequentially("abaya", { delay: 15 });
      await app.page.waitForFunction(() => document.querySelectorAll("[data-testid=product-row]").length === 1);
      assert.deepEqual(await app.page.getByTestId("product-title").allTextContents(), ["عباءة سوداء مطرزة"]);
      const searches = (await app.calls()).filter((c) => c.cmd === "list_products" && c.args.query.search !== null).map((c) => c.args.query.search);
      assert.equal(searches.at(-1), "abaya", "the last search is for the whole word");
      assert.ok(
        searches.every((q, i) => "abaya".startsWith(q) && (i === 0 || q.length >= searches[i - 1].length)),
        `searches follow the typing: ${JSON.stringify(searches)}`,
      );
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
      const empty = app.page.getByTestId("empty-state");
      assert.match(await empty.textContent(), /import a spreadsheet \(CSV\) or a folder of photos/);
      assert.equal(await empty.getByRole("button").count(), 4, "new product, import CSV, import from a link, import photos");
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
      assert.equal(await app.page.getAttribute("html", "lang"), "ar");
    } finally {
      await app.close();
    }
  });

  test("photos dropped on the window reach add_images through Tauri's drag-drop event", async () => {
    const app = await openApp();
    try {
      await app.page.getByTestId("product-row").first().locator("button.open").click();
      await app.page.getByTestId("findings-images").waitFor();
      await app.page.evaluate(() =>
        window.__TAURI_INTERNALS__.invoke("plugin:event|emit", {
          event: "tauri://drag-drop",
          payload: { paths: ["/home/ana/Fotos/camisa.jpg"], position: { x: 10, y: 10 } },
        }),
      );
      await app.page.getByTestId("image-tile").first().waitFor();
      const add = (await app.calls()).find((c) => c.cmd === "add_images");
      assert.deepEqual(add.args, { key: PRODUCTS[0].id, paths: ["/home/ana/Fotos/camisa.jpg"] });
    } finally {
      await app.close();
    }
  });

  test("File → Backup… from the app menu asks where to save, then backs up there", async () => {
    const app = await openApp();
    try {
      await app.page.getByTestId("product-row").first().waitFor();
      await app.page.evaluate(() => window.__TAURI_INTERNALS__.invoke("plugin:event|emit", { event: "menu-action", payload: { action: "backup" } }));
      await app.page.getByTestId("toast").getByText("Backed up 3 products and 1 photo").waitFor();
      const backup = (await app.calls()).find((c) => c.cmd === "backup");
      assert.deepEqual(backup.args, { path: "/home/ana/backup.zip" });
    } finally {
      await app.close();
    }
  });

  test("the app menu gets the UI's words through set_menu_labels", async () => {
    const app = await openApp({ locale: "pt-BR" });
    try {
      await app.page.getByTestId("product-row").first().waitFor();
      await app.page.waitForFunction(() => window.__E2E_CALLS__.some((c) => c.cmd === "set_menu_labels"));
      const sent = (await app.calls()).find((c) => c.cmd === "set_menu_labels");
      assert.deepEqual(sent.args, {
        labels: {
          file: "Arquivo",
          importCsv: "Importar CSV…",
          importPhotoFolder: "Importar pasta de fotos…",
          exportCsv: "Exportar CSV…",
          backup: "Fazer backup…",
          restore: "Restaurar…",
          quit: "Sair",
        },
      });
    } finally {
      await app.close();
    }
  });

  test("File → Quit with nothing unsaved closes the window through Tauri", async () => {
    const app = await openApp();
    try {
      await app.page.getByTestId("product-row").first().waitFor();
      await app.page.evaluate(() => window.__TAURI_INTERNALS__.invoke("plugin:event|emit", { event: "menu-action", payload: { action: "quit" } }));
      await app.page.waitForFunction(() => window.__E2E_CALLS__.some((c) => c.cmd === "plugin:window|destroy"));
      assert.equal(await app.page.getByTestId("close-dialog").isVisible(), false, "nothing to ask");
    } finally {
      await app.close();
    }
  });
});
