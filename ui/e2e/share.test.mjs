// The Share view, in chromium on the in-memory mock back end: links with copy buttons, the
// ref tag riding in the prefilled text, the QR designer's live preview, a poster and shelf
// labels previewed, saved and printed, short links made, changed and deleted, the product
// editor's Share button, the order message in Settings, and Arabic right to left.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { openMockApp, startHarness } from "./harness.mjs";

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

async function openShare(page) {
  await page.getByTestId("nav-share").click();
  await page.getByTestId("share-view").waitFor();
}

/** What a stand-in image of the mock encodes (`data-url` of its SVG). */
async function encoded(locator) {
  const src = await locator.getAttribute("src");
  const svg = decodeURIComponent(src.replace(/^data:image\/svg\+xml,/, ""));
  return svg.match(/data-url="([^"]*)"/)[1].replace(/&quot;/g, '"');
}

const lastCall = async (app, cmd) => (await app.calls()).filter((c) => c.cmd === cmd).at(-1);

describe("share view", { timeout: 90_000 }, () => {
  test("links: the catalog link and a ref-tagged chat are shown and copied", async () => {
    const app = await openMockApp(harness, { products: 6 });
    try {
      const { page } = app;
      await openShare(page);
      assert.equal(await page.getByTestId("catalog-link").textContent(), "https://wa.me/c/5511987654321");
      await page.getByTestId("copy-catalog").click();
      await page.getByText("Copied").first().waitFor();

      await page.getByTestId("share-ref").fill("instagram-bio");
      await page.getByTestId("share-prefilled").waitFor();
      const url = await page.getByTestId("share-link").textContent();
      assert.match(url, /^https:\/\/wa\.me\/5511987654321\?text=/, "a ref tag needs a chat link");
      assert.match(await page.getByTestId("share-prefilled").textContent(), /Ref: instagram-bio$/);
      await page.getByTestId("copy-link").click();
      await page.waitForFunction((u) => window.__VITRINE_MOCK__.share.copied.includes(u), url);
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });

  test("QR designer: the preview encodes the link, colours and logo reach the back end, save writes a PNG", async () => {
    const app = await openMockApp(harness, { products: 6 });
    try {
      const { page } = app;
      await openShare(page);
      await page.getByTestId("share-kind").selectOption("chat");
      await page.getByTestId("share-text").fill("Oi! Vi o cartaz.");
      await page.getByRole("tab", { name: "QR code" }).click();
      const preview = page.getByTestId("qr-preview");
      await page.waitForFunction(() =>
        decodeURIComponent(document.querySelector('[data-testid="qr-preview"]')?.getAttribute("src") ?? "").includes("Vi%20o%20cartaz"),
      );
      assert.equal(await encoded(preview), "https://wa.me/5511987654321?text=Oi%21%20Vi%20o%20cartaz.", "RFC 3986: ! is escaped too");

      await page.getByTestId("qr-fg").evaluate((input) => {
        input.value = "#1b2a4a";
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      await page.getByTestId("qr-logo").click();
      await page.waitForFunction(() =>
        decodeURIComponent(document.querySelector('[data-testid="qr-preview"]')?.getAttribute("src") ?? "").includes('data-logo="true"'),
      );
      const qr = await lastCall(app, "qrSvg");
      assert.equal(qr.args[1].foreground, "#1b2a4a");

      await page.getByTestId("save-qr-png").click();
      await page.getByText("Saved qr-chat.png").waitFor();
      const saved = await lastCall(app, "saveQr");
      assert.equal(saved.args[2], "/home/ana/qr-chat.png");
      assert.equal(saved.args[1].logo, true);
    } finally {
      await app.close();
    }
  });

  test("poster: languages, headline and size reach the preview; a faint QR colour is refused; print opens the PDF", async () => {
    const app = await openMockApp(harness, { products: 6 });
    try {
      const { page } = app;
      await openShare(page);
      await page.getByTestId("share-ref").fill("poster-window");
      await page.getByRole("tab", { name: "Poster" }).click();
      await page.getByTestId("poster-preview").waitFor();
      await page.getByTestId("poster-size").selectOption("A5");
      await page.getByTestId("poster-headline").fill("Flores frescas todo dia");
      await page.getByTestId("poster-lang-en").click();
      await page.waitForFunction(() =>
        decodeURIComponent(document.querySelector('[data-testid="poster-preview"]')?.getAttribute("src") ?? "").includes('data-size="A5"'),
      );
      const request = (await lastCall(app, "posterPreview")).args[0];
      assert.equal(request.size, "A5");
      assert.deepEqual(request.languages, ["pt-BR"], "English unticked");
      assert.equal(request.headline, "Flores frescas todo dia");
      assert.deepEqual(request.target, { kind: "catalog", refTag: "poster-window" });
      assert.match(await encoded(page.getByTestId("poster-preview")), /poster-window/, "the poster's code carries its ref tag");

      await page.getByTestId("poster-qr-colour").evaluate((input) => {
        input.value = "#eeeeee";
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      await page.getByTestId("poster-error").waitFor();
      assert.match(await page.getByTestId("poster-error").textContent(), /too light to scan/);
      await page.getByTestId("poster-qr-colour").evaluate((input) => {
        input.value = "#000000";
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      await page.getByTestId("poster-error").waitFor({ state: "detached" });

      await page.getByTestId("print-poster").click();
      await page.getByText(/opened in your PDF viewer/).waitFor();
      const printed = await page.evaluate(() => window.__VITRINE_MOCK__.share.printed);
      assert.equal(printed.length, 1);
      await page.getByTestId("save-poster").click();
      await page.getByText("Saved poster-catalog-A5.pdf").waitFor();
    } finally {
      await app.close();
    }
  });

  test("a product's Share button opens its links, poster with photo, and its shelf label", async () => {
    const app = await openMockApp(harness, { products: 6 });
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().click();
      const share = page.getByTestId("share-product");
      await share.waitFor();
      await page.getByTestId("field-sku").waitFor();
      const sku = await page.getByTestId("field-sku").inputValue();
      await share.click();
      await page.getByTestId("share-view").waitFor();
      assert.equal(await page.getByTestId("share-kind").inputValue(), "product");
      const chosen = await page.getByTestId("share-sku").inputValue();
      assert.equal(chosen, sku, "the editor's product");
      await page.getByTestId("share-prefilled").waitFor();
      assert.match(await page.getByTestId("share-prefilled").textContent(), new RegExp(`\\(${chosen}\\)`), "the order message names the SKU");

      await page.getByRole("tab", { name: "Shelf labels" }).click();
      await page.getByTestId("labels-preview").waitFor();
      const labels = (await lastCall(app, "labelsPreview")).args[0];
      assert.deepEqual(labels.selection, { kind: "products", keys: [chosen] });
      await page.getByTestId("labels-of").selectOption("collection");
      await page.waitForFunction(() => window.__VITRINE_MOCK__.calls.filter((c) => c.cmd === "labelsPreview").at(-1).args[0].selection.kind === "collection");
      await page.getByTestId("print-labels").click();
      await page.getByText(/labels? on \d+ sheets?/).waitFor();
    } finally {
      await app.close();
    }
  });

  test("short links: made with a ref tag, counted to 140, changed and deleted", async () => {
    const app = await openMockApp(harness, { products: 3, mock: { metaConnected: true } });
    try {
      const { page } = app;
      await openShare(page);
      await page.getByRole("tab", { name: "Short links" }).click();
      await page.getByTestId("short-empty").waitFor();
      await page.getByTestId("short-message").fill("Olá! Quero ver as promoções.");
      await page.getByTestId("short-ref").fill("flyer-2026-12");
      await page.getByTestId("short-create").click();
      const row = page.getByTestId("short-link");
      await row.waitFor();
      assert.match(await row.textContent(), /wa\.me\/message\/MOCK/);
      assert.match(await row.textContent(), /Ref: flyer-2026-12/);

      await page.getByTestId("short-message").fill("x".repeat(150));
      await page.getByText("150 of 140").waitFor();
      await page.getByTestId("short-create").click();
      await page.getByTestId("short-error").waitFor();
      assert.match(await page.getByTestId("short-error").textContent(), /140 characters/);

      await page.getByTestId("short-edit").click();
      await page.getByTestId("short-edit-message").fill("Olá! Chegaram novidades.");
      await page.getByTestId("short-edit-save").click();
      await page.getByText("Olá! Chegaram novidades.").waitFor();
      await page.getByTestId("short-delete").click();
      await page.getByTestId("short-delete-confirm").click();
      await page.getByTestId("short-empty").waitFor();
    } finally {
      await app.close();
    }
  });

  test("the order message is edited in Settings and checked; Arabic lays the Share view out right to left", async () => {
    const app = await openMockApp(harness, { products: 3 });
    try {
      const { page } = app;
      await page.getByTestId("nav-settings").click();
      const field = page.getByTestId("order-text-pt-BR");
      await field.waitFor();
      await field.fill("Oi! Quero {titulo}.");
      await page.getByTestId("order-text-save-pt-BR").click();
      await page.getByText(/is not a placeholder/).waitFor();
      await field.fill("Oi! Quero {title} ({sku}).");
      await page.getByTestId("order-text-save-pt-BR").click();
      await page.getByText("Saved").first().waitFor();

      await page.getByTestId("ui-language").selectOption("ar");
      await openShare(page);
      assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
      await page.getByRole("heading", { name: "شارك متجرك" }).waitFor();
      const sidebar = await page.getByTestId("sidebar").boundingBox();
      const view = await page.getByTestId("share-view").boundingBox();
      assert.ok(sidebar.x > view.x, "the navigation is on the right in Arabic");
      assert.equal(await page.getByTestId("catalog-link").getAttribute("dir"), "ltr", "links stay left to right");
    } finally {
      await app.close();
    }
  });
});
