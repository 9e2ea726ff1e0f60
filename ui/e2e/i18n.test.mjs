// Languages and layout direction, and the long-running import, in chromium on the mock back end.

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

describe("languages", { timeout: 90_000 }, () => {
  test("Arabic turns the whole layout right-to-left, sidebar on the right, with Arabic-Indic digits in Egypt", async () => {
    const app = await openMockApp(harness, { locale: "ar-EG" });
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      assert.equal(await page.getAttribute("html", "dir"), "rtl");
      assert.equal(await page.getAttribute("html", "lang"), "ar");
      const sidebar = await page.getByTestId("sidebar").boundingBox();
      const main = await page.locator("main").boundingBox();
      assert.ok(sidebar.x > main.x, "the navigation is on the right");
      assert.ok(sidebar.x + sidebar.width >= 1270, "flush with the right edge");

      const row = await page.getByTestId("product-row").first().boundingBox();
      const check = await page.getByTestId("select-product").first().boundingBox();
      assert.ok(check.x > row.x + row.width / 2, "the checkbox starts the row on the right");

      assert.equal(await page.getByTestId("nav-catalog").textContent(), "المنتجات");
      assert.equal(await page.getByTestId("product-count").textContent(), "٤٨ منتجًا", "48 in Arabic-Indic digits, 'many' plural");
      assert.match(await page.getByTestId("price").first().textContent(), /٢٠٫٩٠/, "prices too");

      const chevron = page.locator("[data-icon=chevron-start]").first();
      await page.getByTestId("product-row").first().locator("button.open").click();
      await chevron.waitFor();
      assert.match(await chevron.evaluate((el) => getComputedStyle(el).transform), /matrix\(-1/, "directional icons are mirrored");
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });

  test("Hindi is drawn with the app's own Devanagari face, whatever fonts the system has, and English never reads it", async () => {
    const loaded = (page) =>
      page.evaluate(async () => {
        await document.fonts.ready;
        return Array.from(document.fonts)
          .filter((face) => face.status === "loaded")
          .map((face) => `${face.family.replaceAll('"', "")} ${face.weight}`)
          .sort();
      });
    const hindi = await openMockApp(harness, { locale: "hi-IN", products: 3 });
    try {
      await hindi.page.getByTestId("product-row").first().waitFor();
      assert.equal(await hindi.page.getAttribute("html", "lang"), "hi");
      const faces = await loaded(hindi.page);
      assert.ok(faces.includes("Vitrine Devanagari 100 500"), `regular Devanagari: ${faces}`);
      assert.ok(faces.includes("Vitrine Devanagari 501 900"), `bold Devanagari (the title): ${faces}`);
    } finally {
      await hindi.close();
    }
    const english = await openMockApp(harness, { locale: "en-US", products: 3 });
    try {
      await english.page.getByTestId("product-row").first().waitFor();
      const faces = await loaded(english.page);
      assert.ok(!faces.some((f) => f.startsWith("Vitrine Devanagari")), `no Devanagari on screen, none read: ${faces}`);
    } finally {
      await english.close();
    }
  });

  test("in the English layout an Arabic title runs right to left: short, it starts at the cell's left; long, its end is cut", async () => {
    const app = await openMockApp(harness, { products: 12 });
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      const titles = await page.getByTestId("product-title").evaluateAll((spans) =>
        spans.map((span) => {
          const range = document.createRange();
          range.selectNodeContents(span);
          const text = range.getBoundingClientRect();
          const box = span.getBoundingClientRect();
          return { text: span.textContent, direction: getComputedStyle(span).direction, fromLeft: text.left - box.left };
        }),
      );
      const arabic = titles.filter((t) => /[\u0600-\u06ff]/.test(t.text));
      const latin = titles.filter((t) => !/[\u0600-\u06ff]/.test(t.text));
      assert.ok(arabic.length > 0 && latin.length > 0, JSON.stringify(titles));
      for (const t of arabic) {
        assert.equal(t.direction, "rtl", t.text);
        assert.ok(t.fromLeft < 1, `starts at the left: ${JSON.stringify(t)}`);
      }
      for (const t of latin) assert.equal(t.direction, "ltr", t.text);

      // Squeezed, an Arabic title keeps its first word and loses its end (on the left).
      const cut = await page.getByTestId("product-title").evaluateAll((spans) => {
        const span = spans.find((s) => /[\u0600-\u06ff]/.test(s.textContent));
        span.style.inlineSize = "40px";
        span.style.display = "block";
        const range = document.createRange();
        range.selectNodeContents(span);
        return { text: range.getBoundingClientRect().right - span.getBoundingClientRect().right };
      });
      assert.ok(Math.abs(cut.text) < 1, `the text's start stays at the right edge: ${JSON.stringify(cut)}`);
    } finally {
      await app.close();
    }
  });

  test("plural rules follow each language", async () => {
    const app = await openMockApp(harness, { locale: "ar-SA", products: 2 });
    try {
      await app.page.getByTestId("product-count").getByText("منتجان").waitFor();
    } finally {
      await app.close();
    }
  });

  test("the language follows the system and can be changed in Settings, and stays changed", async () => {
    const app = await openMockApp(harness, { locale: "id-ID" });
    try {
      const { page } = app;
      await page.getByTestId("nav-catalog").getByText("Produk").waitFor();
      await page.getByTestId("nav-settings").click();
      await page.getByTestId("ui-language").selectOption("pt-BR");
      await page.getByTestId("nav-catalog").getByText("Produtos").waitFor();
      assert.equal(await page.getAttribute("html", "lang"), "pt-BR");

      await page.getByTestId("ui-language").selectOption("ar");
      await page.waitForFunction(() => document.documentElement.dir === "rtl");
      await page.reload();
      await page.getByTestId("nav-catalog").getByText("المنتجات").waitFor();
      assert.equal(await page.getAttribute("html", "dir"), "rtl", "the choice survives a restart");

      await page.getByTestId("nav-settings").click();
      await page.getByTestId("ui-digits").selectOption("latn");
      await page.getByTestId("nav-catalog").click();
      await page.getByTestId("product-count").getByText("48", { exact: false }).waitFor();
    } finally {
      await app.close();
    }
  });
});

describe("shop settings", { timeout: 90_000 }, () => {
  test("a WhatsApp number the back end refuses is explained under the field; a good one comes back formatted", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await page.getByTestId("nav-settings").click();
      const phone = page.getByTestId("shop-phone");
      await phone.fill("12345");
      await page.getByTestId("save-shop").click();
      await page.getByTestId("findings-shop-phone").getByText("not a WhatsApp number").waitFor();
      await phone.fill("11 98765 4321");
      await page.getByTestId("save-shop").click();
      await page.getByTestId("toast").getByText("Shop saved").waitFor();
      assert.equal(await phone.inputValue(), "+55 11 98765-4321");
      const update = (await app.calls()).filter((c) => c.cmd === "updateShop").at(-1).args[0];
      assert.equal(update.phoneRegion, "US", "a national number is read in the system's region");
    } finally {
      await app.close();
    }
  });
});

describe("import", { timeout: 90_000 }, () => {
  test("a CSV import shows its progress and can be cancelled; the report lists skipped rows", async () => {
    const app = await openMockApp(harness, { importStep: 60 });
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      await page.evaluate(() => window.__VITRINE_MOCK__.menu("importCsv"));
      const dialog = page.getByTestId("import-dialog");
      await dialog.waitFor();
      await dialog.getByTestId("import-start").click();
      await page.waitForFunction(() => Number(document.querySelector("[data-testid=progress]")?.getAttribute("aria-valuenow")) >= 6);
      assert.equal(await dialog.getByTestId("progress").getAttribute("aria-valuemax"), "40");
      await page.getByTestId("import-cancel").click();
      await dialog.getByTestId("import-cancelled").waitFor();
      const summary = await dialog.getByTestId("import-summary").textContent();
      const added = Number(/(\d+) added/.exec(summary)[1]);
      assert.ok(added > 0 && added < 40, `stopped part-way (${summary})`);
      assert.match(await dialog.getByTestId("import-report").textContent(), /CSV-005.*not a price/s, "line, SKU and reason");
      await page.getByTestId("import-done").click();
      await page
        .getByTestId("product-count")
        .getByText(`${48 + added} products`)
        .waitFor();
    } finally {
      await app.close();
    }
  });

  test("backup from the app menu says what it saved", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      await page.evaluate(() => window.__VITRINE_MOCK__.menu("backup"));
      await page
        .getByTestId("toast")
        .getByText(/Backed up 48 products/)
        .waitFor();
      const call = (await app.calls()).find((c) => c.cmd === "backup");
      assert.match(call.args[0], /vitrine-backup-\d{4}-\d{2}-\d{2}\.zip$/);
    } finally {
      await app.close();
    }
  });

  test("the back end's refusals are said in the UI's language, not in English", async () => {
    const pt = await openMockApp(harness, { locale: "pt-BR" });
    try {
      const { page } = pt;
      await page.getByTestId("new-product").click();
      await page.getByTestId("field-title").fill("Bolsa de palha");
      await page.getByTestId("field-sku").fill("BOLSA-1");
      await page.getByTestId("field-price").fill("12,3,4");
      await page.getByTestId("save-product").click();
      const findings = page.getByTestId("findings-price");
      await findings.waitFor();
      assert.match(await findings.textContent(), /não é um preço nesta moeda/);
      assert.doesNotMatch(await findings.textContent(), /not a price/);
    } finally {
      await pt.close();
    }

    const ar = await openMockApp(harness, { locale: "ar-EG" });
    try {
      const { page } = ar;
      await page.getByTestId("nav-settings").click();
      await page.getByTestId("shop-phone").fill("12345");
      await page.getByTestId("save-shop").click();
      await page.getByTestId("findings-shop-phone").getByText("هذا ليس رقم واتساب").waitFor();
    } finally {
      await ar.close();
    }
  });
});

describe("the app menu", { timeout: 90_000 }, () => {
  test("speaks the UI's language from the start, and changes with it", async () => {
    const app = await openMockApp(harness, { locale: "pt-BR" });
    try {
      const { page } = app;
      const labels = () => page.evaluate(() => window.__VITRINE_MOCK__.menuLabels);
      await page.waitForFunction(() => window.__VITRINE_MOCK__.menuLabels !== null);
      assert.deepEqual(await labels(), {
        file: "Arquivo",
        importCsv: "Importar CSV…",
        importPhotoFolder: "Importar pasta de fotos…",
        exportCsv: "Exportar CSV…",
        backup: "Fazer backup…",
        restore: "Restaurar…",
        quit: "Sair",
      });

      await page.getByTestId("nav-settings").click();
      await page.getByTestId("ui-language").selectOption("ar");
      await page.waitForFunction(() => window.__VITRINE_MOCK__.menuLabels.file === "ملف");
      assert.deepEqual(await labels(), {
        file: "ملف",
        importCsv: "استيراد CSV…",
        importPhotoFolder: "استيراد مجلد صور…",
        exportCsv: "تصدير CSV…",
        backup: "نسخ احتياطي…",
        restore: "استعادة…",
        quit: "إنهاء",
      });
      for (const language of ["es", "id", "hi", "en"]) {
        await page.getByTestId("ui-language").selectOption(language);
        await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
        const sent = await labels();
        assert.equal(Object.values(sent).filter((v) => typeof v === "string" && v.trim() !== "").length, 7, `${language}: every item has a label`);
        if (language !== "en") assert.notEqual(sent.file, "File", `${language}: File is translated`);
      }
      assert.deepEqual(await labels(), {
        file: "File",
        importCsv: "Import CSV…",
        importPhotoFolder: "Import photo folder…",
        exportCsv: "Export CSV…",
        backup: "Back up…",
        restore: "Restore…",
        quit: "Quit",
      });
    } finally {
      await app.close();
    }
  });
});
