// Importing real shops' files, in chromium on the in-memory mock back end: the preview and
// its fixes in place, the import, the report per row (filtered, saved), photos left to
// download later, a published Google Sheet by its link; and drafts and barcodes in the editor.
// In English and in Arabic (right to left).

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

const SHOTS = process.env.VITRINE_E2E_SHOTS;

const WORDS = {
  "en-US": {
    format: "Shopify product export",
    guessed: "We guessed this",
    generated: "No SKU in the file: given \u2068vestido-estampado-3-azul\u2069",
    draftNote: "Status \u2068draft\u2069 in the shop: imported as a draft",
    renamed: "SKU \u2068CSV-002\u2069 was already on line 3: given a new one",
    pending: "Photo pending: the photo's server did not answer in time",
    start: "Import 40 products",
    waiting: "4 photos waiting",
    stillWaiting: "4 photos still waiting: the photo's server did not answer in time",
    downloaded: "4 photos downloaded",
    draft: "Draft",
    draftHint: "Draft: kept out of WhatsApp, the feed and the storefront.",
    notBarcode: "This is not a barcode",
  },
  "ar-EG": {
    format: "منتجات مُصدَّرة من Shopify",
    guessed: "هذا تخمين منّا",
    generated: "لا رمز SKU في الملف: أُعطي \u2068vestido-estampado-3-azul\u2069",
    draftNote: "الحالة \u2068draft\u2069 في المتجر: استُورد كمسودة",
    renamed: "الرمز \u2068CSV-002\u2069 موجود في السطر ٣: أُعطي رمزًا جديدًا",
    pending: "صورة معلّقة: the photo's server did not answer in time",
    start: "استيراد ٤٠ منتجًا",
    waiting: "٤ صور في الانتظار",
    stillWaiting: "ما زالت ٤ صور في الانتظار: the photo's server did not answer in time",
    downloaded: "نُزِّلت ٤ صور",
    draft: "مسودة",
    draftHint: "مسودة: يبقى خارج واتساب والموجز وواجهة المتجر.",
    notBarcode: "هذا ليس باركود",
  },
};

/** The last call of `cmd` the mock back end received. */
async function lastCall(app, cmd) {
  return (await app.calls()).filter((c) => c.cmd === cmd).at(-1);
}

async function rowResults(dialog) {
  return dialog.getByTestId("report-row").evaluateAll((rows) => rows.map((r) => r.dataset.result));
}

describe("importing a product file", { timeout: 120_000 }, () => {
  for (const locale of ["en-US", "ar-EG"]) {
    const words = WORDS[locale];
    test(`a Shopify export is previewed as read, fixed in place, imported, and its report filtered and saved (${locale})`, async () => {
      const app = await openMockApp(harness, { locale, importStep: 5, viewport: { width: 1280, height: 900 } });
      try {
        const { page } = app;
        await page.getByTestId("product-row").first().waitFor();
        if (locale === "ar-EG") assert.equal(await page.getAttribute("html", "dir"), "rtl");
        await page.evaluate(() => window.__VITRINE_MOCK__.menu("importCsv"));
        const dialog = page.getByTestId("import-dialog");
        await dialog.getByTestId("preview-row").first().waitFor();

        assert.equal(await dialog.getByTestId("import-format").locator("strong").textContent(), words.format);
        assert.equal(await dialog.locator("[data-testid=import-source] bdi").textContent(), "/home/ana/catalogo.csv", "the path is isolated");
        const encodingField = dialog.getByTestId("import-encoding-field");
        assert.match(await encodingField.textContent(), new RegExp(words.guessed), "a guessed encoding asks to check the letters");
        assert.equal(await dialog.getByTestId("import-encoding").inputValue(), "windows1252");
        const titles = () => dialog.getByTestId("preview-title").allTextContents();
        assert.equal((await titles())[0], "Camisa de algodão 1");
        assert.equal(await dialog.getByTestId("preview-row").count(), 8, "the first products");
        assert.match(await dialog.getByTestId("import-unreadable").textContent(), /43|٤٣/, "a row the file could not read is listed");
        await dialog.getByTestId("import-decimal-comma").waitFor();
        const notes = await dialog.getByTestId("preview-note").allTextContents();
        assert.ok(notes.includes(words.generated), `the generated SKU is told (${notes})`);
        assert.ok(notes.includes(words.draftNote), `a draft is told (${notes})`);
        const skuCells = await dialog.locator("[data-testid=preview-row] td.sku bdi").count();
        assert.equal(skuCells, 8, "SKUs are isolated");

        // The wrong encoding shows wrong letters; the right one, chosen, stops the question.
        await dialog.getByTestId("import-encoding").selectOption("utf8");
        await page.waitForFunction(() => document.querySelector("[data-testid=preview-title]")?.textContent.includes("\ufffd"));
        await dialog.getByTestId("import-encoding").selectOption("windows1252");
        await page.waitForFunction(() => document.querySelector("[data-testid=preview-title]")?.textContent === "Camisa de algodão 1");
        assert.doesNotMatch(await encodingField.textContent(), new RegExp(words.guessed), "the person chose: no more question");

        // The wrong delimiter: the file is not understood, and the fix is right there.
        await dialog.getByTestId("import-delimiter").selectOption("comma");
        await dialog.getByTestId("import-preview-failure").waitFor();
        assert.match(await dialog.getByTestId("import-preview-failure").textContent(), /header is not one Vitrine knows/);
        assert.equal(await dialog.getByTestId("import-start").isDisabled(), true, "nothing to import while the file is not understood");
        await dialog.getByTestId("import-delimiter").selectOption("semicolon");
        await dialog.getByTestId("preview-row").first().waitFor();

        // No currency in the file: the shop's, or the one chosen.
        const currency = dialog.getByTestId("import-currency");
        assert.equal(await currency.inputValue(), "BRL", "the shop's currency by default");
        const brl = await dialog.getByTestId("preview-price").first().textContent();
        await currency.selectOption("USD");
        await page.waitForFunction((before) => document.querySelector("[data-testid=preview-price]")?.textContent !== before, brl);
        if (locale === "en-US") assert.match(await dialog.getByTestId("preview-price").first().textContent(), /\$39\.90/);
        assert.equal((await lastCall(app, "previewImport")).args[1].currency, "USD", "the preview is read again with the choice");

        await dialog.getByTestId("import-dedupe").check();
        assert.equal((await dialog.getByTestId("import-start").textContent()).trim(), words.start);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/import-preview-${locale}.png` });

        await dialog.getByTestId("import-start").click();
        await dialog.getByTestId("import-summary").waitFor();
        const imported = await lastCall(app, "importCsv");
        assert.deepEqual(
          imported.args[1],
          { encoding: "windows1252", delimiter: "semicolon", currency: "USD", dedupeSkus: true },
          "the import reads the file as the preview did",
        );

        assert.match(await dialog.getByTestId("import-photos-pending").textContent(), new RegExp(words.waiting), "the report offers a retry");
        // The report: filtered by result, by notes, by pending photos.
        const filter = dialog.getByTestId("import-filter");
        await filter.locator("[data-filter=skipped]").click();
        assert.deepEqual(await rowResults(dialog), Array(5).fill("skipped"), "four rows without a price and the unreadable one");
        assert.match(await dialog.getByTestId("import-report").textContent(), /not a price/);
        await filter.locator("[data-filter=photos]").click();
        assert.equal(await dialog.getByTestId("report-row").count(), 4);
        assert.match(await dialog.getByTestId("report-row").first().textContent(), new RegExp(words.pending));
        await filter.locator("[data-filter=notes]").click();
        assert.match(await dialog.getByTestId("import-report").textContent(), new RegExp(words.renamed), "the duplicate got a new SKU");
        await filter.locator("[data-filter=all]").click();
        assert.equal(await filter.locator("[data-filter=all]").getAttribute("aria-checked"), "true");
        assert.ok((await dialog.getByTestId("report-row").count()) < 41, "only the rows in view are drawn");
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/import-report-${locale}.png` });

        await dialog.getByTestId("import-save-report").click();
        await dialog.getByTestId("import-report-saved").waitFor();
        const path = (await lastCall(app, "saveImportReport")).args[0];
        assert.match(path, /^\/home\/ana\/vitrine-import-\d{4}-\d{2}-\d{2}\.csv$/, "saved where the person chose");
        assert.equal(await dialog.locator("[data-testid=import-report-saved] bdi").textContent(), path);
        await dialog.getByTestId("import-done").click();

        // The photos left behind wait in the toolbar; a retry offline says so, the network's
        // return fetches them.
        const pending = page.getByTestId("photos-pending");
        await pending.waitFor();
        assert.match(await pending.textContent(), new RegExp(words.waiting));
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/catalog-photos-waiting-${locale}.png` });
        await page.evaluate(() => (window.__VITRINE_MOCK__.photosReachable = false));
        await page.getByTestId("retry-photos").click();
        await page.getByTestId("toast").filter({ hasText: words.stillWaiting }).waitFor();
        await page.evaluate(() => {
          window.__VITRINE_MOCK__.photosReachable = true;
          window.dispatchEvent(new Event("online"));
        });
        await page.getByTestId("toast").filter({ hasText: words.downloaded }).waitFor();
        await pending.waitFor({ state: "detached" });
        assert.deepEqual(app.pageErrors, []);
      } finally {
        await app.close();
      }
    });
  }

  test("a report of 10,000 rows draws only the rows in view and filters at once", async () => {
    const app = await openMockApp(harness, { importStep: 0, mock: { importRows: 10_000 } });
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      await page.evaluate(() => window.__VITRINE_MOCK__.menu("importCsv"));
      const dialog = page.getByTestId("import-dialog");
      await dialog.getByTestId("import-start").click();
      await dialog.getByTestId("import-summary").waitFor({ timeout: 60_000 });
      const all = dialog.getByTestId("import-filter").locator("[data-filter=all]");
      assert.match(await all.textContent(), /10,001/, "every row and the unreadable one");
      assert.ok((await dialog.getByTestId("report-row").count()) < 30, "only the rows in view are in the page");
      // From the click to the filtered rows on screen, measured in the page.
      const ms = await page.evaluate(
        () =>
          new Promise((resolve) => {
            const start = performance.now();
            document.querySelector("[data-testid=import-filter] [data-filter=skipped]").click();
            const check = () => {
              const rows = [...document.querySelectorAll("[data-testid=report-row]")];
              if (rows.length > 0 && rows.every((r) => r.dataset.result === "skipped")) resolve(performance.now() - start);
              else requestAnimationFrame(check);
            };
            check();
          }),
      );
      console.log(`report filter over 10,001 rows: ${ms.toFixed(1)} ms`);
      assert.ok(ms < 500, `the filter answers at once (${ms} ms)`);
      const report = dialog.getByTestId("import-report");
      await report.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=report-row]")].some((r) => r.textContent.includes("10,003")));
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });

  test("a published Google Sheet is imported by its link; a link that does not answer can be changed", async () => {
    const app = await openMockApp(harness, { importStep: 5 });
    try {
      const { page } = app;
      await page.getByTestId("nav-settings").click();
      await page.getByTestId("import-link").click();
      const dialog = page.getByTestId("import-dialog");
      await dialog.getByTestId("import-link").fill("http://docs.google.com/x");
      await dialog.getByTestId("import-link-preview").click();
      assert.match(await dialog.textContent(), /Paste a link that starts with https:\/\//);
      assert.equal((await app.calls()).filter((c) => c.cmd === "previewImport").length, 0, "nothing is fetched from an http link");

      await dialog.getByTestId("import-link").fill("https://planilhas.example/loja.csv");
      await dialog.getByTestId("import-link-preview").click();
      await dialog.getByTestId("import-preview-failure").waitFor();
      await dialog.getByRole("button", { name: "Import from a link" }).click();
      const url = "https://docs.google.com/spreadsheets/d/e/2PACX-1v/pub?output=csv";
      await dialog.getByTestId("import-link").fill(url);
      await dialog.getByTestId("import-link").press("Enter");
      await dialog.getByTestId("preview-row").first().waitFor();
      assert.deepEqual((await lastCall(app, "previewImport")).args[0], { kind: "url", url });
      assert.match(await dialog.getByTestId("import-format").textContent(), /Meta catalog feed/);
      assert.equal(await dialog.getByTestId("import-currency").count(), 0, "the sheet gives its currency");
      assert.equal(
        await dialog
          .getByTestId("import-encoding-field")
          .textContent()
          .then((t) => /guessed/.test(t)),
        false,
      );
      await dialog.getByTestId("import-start").click();
      await dialog.getByTestId("import-summary").waitFor();
      assert.match(await dialog.getByTestId("import-summary").textContent(), /^3 added/);
      assert.deepEqual((await lastCall(app, "importCsv")).args[0], { kind: "url", url });
      await dialog.getByTestId("import-done").click();
      await page.getByTestId("nav-catalog").click();
      await page.getByTestId("search").fill("SHEET-");
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=product-row]").length === 3);
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });
});

describe("drafts and barcodes", { timeout: 90_000 }, () => {
  for (const locale of ["en-US", "ar-EG"]) {
    const words = WORDS[locale];
    test(`a product gets a barcode and becomes a draft, badged in the list (${locale})`, async () => {
      const app = await openMockApp(harness, { locale, products: 5 });
      try {
        const { page } = app;
        const first = page.getByTestId("product-row").first();
        await first.waitFor();
        assert.equal(await first.getByTestId("draft-badge").count(), 0, "published products have no badge");
        await first.locator("button.open").click();
        const gtin = page.getByTestId("field-gtin");
        await gtin.waitFor();
        await gtin.fill("7891000315508");
        await page.getByTestId("findings-gtin").filter({ hasText: words.notBarcode }).waitFor();
        await gtin.fill("789 1000 315507");
        await page.getByTestId("findings-gtin").waitFor({ state: "detached" });

        const published = page.getByTestId("field-published");
        assert.equal(await published.isChecked(), true);
        await published.uncheck();
        assert.equal(await page.getByTestId("published-hint").textContent(), words.draftHint);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/editor-draft-${locale}.png` });
        await page.getByTestId("save-product").click();
        await page.getByTestId("product-editor").waitFor({ state: "hidden" });
        const edit = await lastCall(app, "editProduct");
        assert.equal(edit.args[1].gtin, "7891000315507", "the barcode without its spaces");
        assert.equal(edit.args[1].published, false);
        assert.equal(await first.getByTestId("draft-badge").textContent(), words.draft);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/catalog-draft-${locale}.png` });

        await first.locator("button.open").click();
        await gtin.waitFor();
        assert.equal(await gtin.inputValue(), "7891000315507", "the barcode is kept");
        assert.equal(await published.isChecked(), false, "still a draft");
        await gtin.fill("");
        await published.check();
        await page.getByTestId("save-product").click();
        await page.getByTestId("product-editor").waitFor({ state: "hidden" });
        const cleared = await lastCall(app, "editProduct");
        assert.equal(cleared.args[1].gtin, "", "an empty field clears the barcode");
        assert.equal(await first.getByTestId("draft-badge").count(), 0, "published again");
        assert.deepEqual(app.pageErrors, []);
      } finally {
        await app.close();
      }
    });
  }
});
