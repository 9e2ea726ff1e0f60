// The product editor and the catalog around it, in chromium on the in-memory mock back end:
// what a shop owner does to add, fix, find, change and delete products.

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

async function newProduct(page, { sku, title, price, description }) {
  await page.getByTestId("new-product").click();
  await page.getByTestId("field-title").fill(title);
  if (description !== undefined) await page.getByTestId("field-description").fill(description);
  await page.getByTestId("field-sku").fill(sku);
  await page.getByTestId("field-price").fill(price);
}

describe("product editor", { timeout: 90_000 }, () => {
  test("a new product is saved, listed, and found by typing part of its name", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      await newProduct(page, { sku: "CAMISA-AZUL-M", title: "Camisa de linho azul", price: "149,9", description: "Linho puro, feita à mão." });
      await page.getByTestId("save-product").click();
      await page.getByTestId("product-editor").waitFor({ state: "hidden" });

      const first = page.getByTestId("product-row").first();
      assert.match(await first.textContent(), /Camisa de linho azul/, "the new product is listed first");
      assert.match(await first.textContent(), /R\$\s?149\.90/, "a price typed as 149,9 is saved as BRL 149.90");

      await page.getByTestId("search").pressSequentially("linho az", { delay: 20 });
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=product-row]").length === 1);
      assert.deepEqual(await page.getByTestId("product-title").allTextContents(), ["Camisa de linho azul"]);

      const adds = (await app.calls()).filter((c) => c.cmd === "addProduct");
      assert.equal(adds.length, 1);
      assert.equal(adds[0].args[0].price, "149.90", "the back end receives the normalised decimal");
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });

  test("editing a product changes its row", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().locator("button.open").click();
      const title = page.getByTestId("field-title");
      await title.waitFor();
      await title.fill("Camisa de linho (nova cor)");
      await page.keyboard.press("Control+s");
      await page.getByTestId("product-editor").waitFor({ state: "hidden" });
      await page.getByTestId("product-row").first().getByText("Camisa de linho (nova cor)").waitFor();
      assert.equal((await app.calls()).filter((c) => c.cmd === "editProduct").length, 1, "Ctrl+S saves");
    } finally {
      await app.close();
    }
  });

  test("Meta's findings appear next to the field they concern, and go away once fixed", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await newProduct(page, { sku: "VESTIDO-1", title: "Vestido floral", price: "89.90" });
      const description = page.getByTestId("findings-description");
      await description.waitFor();
      assert.match(await description.textContent(), /Add a description/);
      assert.equal(await description.locator("li").first().getAttribute("data-tone"), "bad");
      // The finding sits inside the description field's own box, right under its input.
      const box = await page.locator("#product-description").boundingBox();
      const findingBox = await description.boundingBox();
      assert.ok(findingBox.y >= box.y + box.height - 1 && findingBox.y - (box.y + box.height) < 40, "right under the field");
      assert.equal(await page.locator("#product-description").getAttribute("aria-invalid"), "true");
      assert.equal(await page.getByTestId("product-editor").getByText("Ready to sync").count(), 0, "an error blocks ready-to-sync");

      await page.getByTestId("field-description").fill("Vestido leve de viscose, estampa floral.");
      await description.waitFor({ state: "detached" });
      await page.getByTestId("field-link").fill("notaurl");
      await page.getByTestId("findings-link").getByText("doesn't look right").waitFor();
    } finally {
      await app.close();
    }
  });

  test("a malformed price is refused next to the price field", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await newProduct(page, { sku: "X-1", title: "Bolsa", price: "12,3,4", description: "Bolsa de palha" });
      await page.getByTestId("findings-price").waitFor();
      assert.match(await page.getByTestId("findings-price").textContent(), /not a price/);
    } finally {
      await app.close();
    }
  });

  test("photos dropped on the window are added to the open product, and the photo finding clears", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      // SKU-00004 is a sample product without a photo.
      await page.getByTestId("search").fill("SKU-00004");
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=product-row]").length === 1);
      await page.getByTestId("product-row").locator("button.open").click();
      await page.getByTestId("findings-images").first().waitFor();
      assert.equal(await page.getByTestId("image-tile").count(), 0);

      await page.evaluate(() => window.__VITRINE_MOCK__.hover(true));
      await page.getByText("Drop photos here").waitFor();
      await page.evaluate(() => window.__VITRINE_MOCK__.drop(["/home/ana/Fotos/kurta-frente.jpg", "/home/ana/Fotos/kurta-costas.png"]));
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=image-tile]").length === 2);
      await page.getByTestId("findings-images").waitFor({ state: "detached" });
      const adds = (await app.calls()).filter((c) => c.cmd === "addImages");
      assert.deepEqual(adds[0].args[1], ["/home/ana/Fotos/kurta-frente.jpg", "/home/ana/Fotos/kurta-costas.png"]);
      assert.ok(await page.getByTestId("meta-preview").locator("img").count(), "the preview shows the main photo");

      // The file dialog adds more; the arrow button reorders.
      await page.evaluate(() => (window.__VITRINE_MOCK__.nextPick = ["/home/ana/Fotos/kurta-detalhe.jpg"]));
      await page.getByTestId("add-photos").click();
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=image-tile]").length === 3);
      await page.getByRole("button", { name: "Move photo 3 earlier" }).click();
      await page.waitForFunction(() => window.__VITRINE_MOCK__.calls.some((c) => c.cmd === "moveImage"));
      const move = (await app.calls()).find((c) => c.cmd === "moveImage");
      assert.deepEqual(move.args.slice(1), [2, 1]);
    } finally {
      await app.close();
    }
  });

  test("photos chosen for a new product are added when it is saved", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await newProduct(page, { sku: "SANDALIA-38", title: "Sandália de couro", price: "120", description: "Couro legítimo." });
      await page.getByTestId("add-photos").click();
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=image-pending]").length === 2);
      await page.getByTestId("save-product").click();
      await page.getByTestId("product-editor").waitFor({ state: "hidden" });
      const calls = await app.calls();
      const added = calls.find((c) => c.cmd === "addProduct");
      const images = calls.find((c) => c.cmd === "addImages");
      assert.ok(added && images, "the product, then its photos");
      assert.equal(images.args[1].length, 2);
      assert.ok(await page.getByTestId("product-row").first().locator("img").count(), "the row shows its thumbnail");
    } finally {
      await app.close();
    }
  });

  test("closing with unsaved changes asks first; Ctrl+N and / are shortcuts", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      await page.keyboard.press("Control+n");
      await page.getByTestId("field-title").fill("Rascunho");
      await page.keyboard.press("Escape");
      await page.getByTestId("discard-dialog").getByText("Discard your changes?").waitFor();
      await page.getByTestId("discard").click();
      await page.getByTestId("product-editor").waitFor({ state: "hidden" });
      assert.equal((await app.calls()).filter((c) => c.cmd === "addProduct").length, 0);

      await page.keyboard.press("/");
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "search");
    } finally {
      await app.close();
    }
  });
});

describe("catalog", { timeout: 90_000 }, () => {
  test("deleting products can be undone from the toast", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      const rows = page.getByTestId("product-row");
      await rows.first().waitFor();
      const title = await rows.first().getByTestId("product-title").textContent();
      await rows.nth(0).getByTestId("select-product").click();
      await rows.nth(1).getByTestId("select-product").click();
      await page.getByTestId("bulk-bar").getByText("2 selected").waitFor();
      await page.getByTestId("bulk-delete").click();
      await page.getByTestId("toast").getByText("Deleted 2 products").waitFor();
      await page.getByTestId("product-count").getByText("46 products").waitFor();
      assert.notEqual(await rows.first().getByTestId("product-title").textContent(), title);

      await page.getByTestId("toast-action").click();
      await page.getByTestId("product-count").getByText("48 products").waitFor();
      assert.equal(await rows.first().getByTestId("product-title").textContent(), title, "back in its place");
    } finally {
      await app.close();
    }
  });

  test("a bulk price change by percent reprices every selected product in its own currency", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      const rows = page.getByTestId("product-row");
      await rows.first().waitFor();
      const before = await rows.nth(0).getByTestId("price").textContent();
      assert.match(before, /R\$\s?20\.90/);
      await rows.nth(0).getByTestId("select-product").click();
      await rows.nth(2).getByTestId("select-product").click();
      await page.getByTestId("bulk-price").click();
      await page.getByTestId("bulk-price-value").fill("10");
      await page.getByTestId("bulk-apply").click();
      await page.getByTestId("toast").getByText("Updated 2 products").waitFor();
      await page.waitForFunction(() => /22\.99/.test(document.querySelector("[data-testid=product-row] [data-testid=price]")?.textContent ?? ""));
      assert.match(await rows.nth(2).getByTestId("price").textContent(), /Rp103,400/, "IDR 94,000 + 10%");
      assert.match(await rows.nth(1).getByTestId("price").textContent(), /EGP\s?57\.90/, "unselected rows keep their price");
    } finally {
      await app.close();
    }
  });

  test("filters narrow the list: has problems, availability, collection", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      await page.getByTestId("filter-availability").selectOption("outOfStock");
      await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=product-row]")].every((r) => /Out of stock/.test(r.textContent)));
      await page.getByTestId("filter-availability").selectOption("");
      await page.getByTestId("filter-problems").selectOption("errors");
      await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=product-row]")].every((r) => /problem/.test(r.textContent)));
      const queries = (await app.calls()).filter((c) => c.cmd === "listProducts").map((c) => c.args[0]);
      assert.ok(queries.some((q) => q.availability === "outOfStock"));
      assert.ok(queries.some((q) => q.problems === "errors"));
    } finally {
      await app.close();
    }
  });

  test("a collection renamed in Settings is renamed in the catalog's filter", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await page.getByTestId("nav-settings").click();
      const name = page.getByLabel("Name of the collection Promoções");
      await name.fill("Black Friday");
      await name.press("Tab");
      await page.getByTestId("toast").getByText("Saved").waitFor();
      await page.getByTestId("nav-catalog").click();
      await page.getByTestId("filter-collection").selectOption("Black Friday");
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=product-row]").length === 12);
      const rename = (await app.calls()).find((c) => c.cmd === "renameCollection");
      assert.deepEqual(rename.args, ["c2", "Black Friday"]);
    } finally {
      await app.close();
    }
  });

  test("10,000 products: only the rows in view are in the page, fetched a page at a time", async () => {
    const app = await openMockApp(harness, { products: 10_000 });
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      await page.getByTestId("product-count").getByText("10,000 products").waitFor();
      const inDom = await page.getByTestId("product-row").count();
      assert.ok(inDom > 5 && inDom < 60, `only visible rows are rendered (${inDom})`);

      await page.getByTestId("catalog-scroller").evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.getByText("SKU-10000").waitFor();
      assert.ok((await page.getByTestId("product-row").count()) < 60, "still only a window of rows");
      const offsets = (await app.calls()).filter((c) => c.cmd === "listProducts").map((c) => c.args[0].offset);
      assert.ok(offsets.includes(9900), "the last page was fetched");
      assert.ok(offsets.length < 8, `a few pages, not the whole catalog (${offsets.join(",")})`);

      await page.getByTestId("view-grid").click();
      await page.getByTestId("catalog-scroller").evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
      await page.waitForTimeout(200);
      assert.ok((await page.getByTestId("product-row").count()) < 60, "the grid is windowed too");
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });

  test("closing the window with an unsaved product asks first; without changes it just closes", async () => {
    const app = await openMockApp(harness, { products: 3 });
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      const pressClose = () => page.evaluate(() => window.__VITRINE_MOCK__.requestClose());
      const closed = () => page.evaluate(() => window.__VITRINE_MOCK__.closed);

      await page.getByTestId("product-row").first().locator("button.open").click();
      await page.getByTestId("field-title").fill("Camisa com mudança não salva");
      assert.equal(await pressClose(), false, "the close is stopped");
      await page.getByTestId("close-dialog").waitFor();
      await page.getByTestId("close-keep").click();
      await page.getByTestId("close-dialog").waitFor({ state: "hidden" });
      assert.equal(await closed(), false);
      assert.equal(await page.getByTestId("field-title").inputValue(), "Camisa com mudança não salva", "the edit is still there");

      assert.equal(await pressClose(), false);
      await page.getByTestId("close-discard").click();
      await page.waitForFunction(() => window.__VITRINE_MOCK__.closed === true);
    } finally {
      await app.close();
    }

    const clean = await openMockApp(harness, { products: 3 });
    try {
      await clean.page.getByTestId("product-row").first().locator("button.open").click();
      await clean.page.getByTestId("field-title").waitFor();
      assert.equal(await clean.page.evaluate(() => window.__VITRINE_MOCK__.requestClose()), true, "nothing to lose: it closes");
    } finally {
      await clean.close();
    }
  });
});

describe("photos and the preview", { timeout: 90_000 }, () => {
  /** Opens the sample product `sku` in the editor. */
  async function open(page, sku) {
    await page.getByTestId("search").fill(sku);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=product-row]").length === 1);
    await page.getByTestId("product-row").locator("button.open").click();
    await page.getByTestId("product-editor").getByTestId("image-strip").waitFor();
  }

  test("dragging a photo onto another moves it there", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await open(page, "SKU-00004");
      await page.evaluate(() => (window.__VITRINE_MOCK__.nextPick = ["/home/ana/Fotos/a.jpg", "/home/ana/Fotos/b.jpg", "/home/ana/Fotos/c.jpg"]));
      await page.getByTestId("add-photos").click();
      const tiles = page.getByTestId("image-tile");
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=image-tile]").length === 3);
      const sources = () => tiles.locator("img").evaluateAll((imgs) => imgs.map((i) => i.getAttribute("src")));
      const before = await sources();

      await tiles.nth(2).dragTo(tiles.nth(0));
      await page.waitForFunction(() => window.__VITRINE_MOCK__.calls.some((c) => c.cmd === "moveImage"));
      const move = (await app.calls()).find((c) => c.cmd === "moveImage");
      assert.deepEqual(move.args.slice(1), [2, 0], "the third photo to the first place, by dragging alone");
      await page.waitForFunction((first) => document.querySelector("[data-testid=image-tile] img")?.getAttribute("src") === first, before[2]);
      assert.deepEqual(await sources(), [before[2], before[0], before[1]], "the dragged photo is now the main one");
    } finally {
      await app.close();
    }
  });

  test("the preview is square and the whole photo fits inside it, padded on white", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await open(page, "SKU-00004");
      const preview = page.getByTestId("meta-preview");
      // The mock's photos take their shape from the file name: 0 wide (3:2), 1 tall (2:3).
      for (const [name, shape] of [
        ["/home/ana/wide.jpg", "wide"],
        ["/home/ana/tall1.jpg", "tall"],
      ]) {
        await page.evaluate((p) => (window.__VITRINE_MOCK__.nextPick = [p]), name);
        await page.getByTestId("add-photos").click();
        await page.waitForFunction((n) => document.querySelectorAll("[data-testid=image-tile]").length === n, shape === "wide" ? 1 : 2);
        await page.getByRole("button", { name: shape === "wide" ? "Photo 1" : "Photo 2", exact: true }).click();
        const img = preview.locator(".square img");
        await page.waitForFunction(() => document.querySelector("[data-testid=meta-preview] .square img")?.complete);
        const square = await preview.locator(".square").boundingBox();
        const photo = await img.boundingBox();
        assert.ok(Math.abs(square.width - square.height) <= 1.5, `the frame is square (${square.width}×${square.height})`);
        if (shape === "wide") {
          assert.ok(Math.abs(photo.width - square.width) <= 2, "a wide photo takes the whole width");
          assert.ok(photo.height < square.height * 0.75, `and leaves bands above and below (${photo.height} of ${square.height})`);
          const top = photo.y - square.y;
          const bottom = square.y + square.height - (photo.y + photo.height);
          assert.ok(Math.abs(top - bottom) <= 2 && top > 10, `centred between equal bands (${top}, ${bottom})`);
        } else {
          assert.ok(Math.abs(photo.height - square.height) <= 2, "a tall photo takes the whole height");
          assert.ok(photo.width < square.width * 0.75, `and leaves bands at the sides (${photo.width} of ${square.width})`);
        }
        const band = await preview.locator(".square").evaluate((el) => getComputedStyle(el).backgroundColor);
        assert.equal(band, "rgb(255, 255, 255)", "the padding is white, as Meta pads it");
      }
      const tiles = await page
        .getByTestId("image-tile")
        .locator("button.pick")
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]));
      for (const [w, h] of tiles) assert.ok(Math.abs(w - h) <= 1.5, `each photo tile stays square, a tall photo too (${w}×${h})`);
    } finally {
      await app.close();
    }
  });

  test("a product takes at most 4 variant attributes", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await page.getByTestId("new-product").click();
      const add = page.getByRole("button", { name: "Add attribute" });
      for (let i = 0; i < 4; i++) await add.click();
      await page.getByText("Meta takes up to 4 attributes.").waitFor();
      assert.equal(await add.count(), 0, "no button for a fifth");
      assert.equal(await page.locator("[id^=attr-name-]").count(), 4);
      await page.getByRole("button", { name: "Remove attribute" }).first().click();
      await add.waitFor();
      assert.equal(await page.locator("[id^=attr-name-]").count(), 3, "removing one makes room again");
    } finally {
      await app.close();
    }
  });
});

describe("settings, menu and bulk actions", { timeout: 90_000 }, () => {
  test("the dark theme darkens the window and is remembered", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await page.getByTestId("nav-settings").click();
      const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const luminance = (rgb) => {
        const [r, g, b] = rgb.match(/\d+/g).map(Number);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      await page.locator("#ui-theme").selectOption("light");
      assert.ok(luminance(await background()) > 200, `light: ${await background()}`);
      await page.locator("#ui-theme").selectOption("dark");
      assert.equal(await page.getAttribute("html", "data-theme"), "dark");
      await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === "rgb(16, 18, 20)");
      assert.ok(luminance(await background()) < 40, `dark: ${await background()}`);
      await page.reload();
      await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
      assert.equal(await background(), "rgb(16, 18, 20)", "still dark after a restart");
    } finally {
      await app.close();
    }
  });

  test("a logo chosen in Settings is sent with the shop and shown", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await page.getByTestId("nav-settings").click();
      await page.evaluate(() => (window.__VITRINE_MOCK__.nextPick = ["/home/ana/Imagens/logo-loja.png"]));
      await page.getByRole("button", { name: "Choose logo…" }).click();
      await page.getByText("logo-loja.png").waitFor();
      await page.getByTestId("save-shop").click();
      await page.getByTestId("toast").getByText("Shop saved").waitFor();
      const update = (await app.calls()).filter((c) => c.cmd === "updateShop").at(-1).args[0];
      assert.equal(update.logo, "/home/ana/Imagens/logo-loja.png");
      const logo = page.locator(".logo-row img");
      await logo.waitFor();
      assert.match(await logo.getAttribute("src"), /^data:image\/svg/, "the stored logo, through the image URL");
      assert.equal(await page.getByText("logo-loja.png").count(), 0, "the chosen file is no longer pending");
    } finally {
      await app.close();
    }
  });

  test("Restore from the app menu asks first, then restores the chosen backup", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      await page.evaluate(() => window.__VITRINE_MOCK__.menu("restore"));
      const dialog = page.getByTestId("restore-dialog");
      await dialog.getByText("Restoring replaces your whole catalog with the backup. Continue?").waitFor();
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await dialog.waitFor({ state: "hidden" });
      assert.equal((await app.calls()).filter((c) => c.cmd === "restore").length, 0, "cancel restores nothing");

      await page.evaluate(() => window.__VITRINE_MOCK__.menu("restore"));
      await page.evaluate(() => (window.__VITRINE_MOCK__.nextPick = "/home/ana/backups/loja.zip"));
      await page.getByTestId("restore-confirm").click();
      await page.getByTestId("toast").getByText("Restored 48 products").waitFor();
      const restore = (await app.calls()).find((c) => c.cmd === "restore");
      assert.deepEqual(restore.args, ["/home/ana/backups/loja.zip"]);
    } finally {
      await app.close();
    }
  });

  for (const { locale, relayText, paymentText } of [
    {
      locale: "en-US",
      relayText: "The backup's webhook relay \u2068https://relay.golpe.example\u2069 was not applied: this computer keeps its own. Connect again to use it.",
      paymentText: "The backup's payment details (\u2068golpista@example.com\u2069) were not applied: customers are still asked to pay to this computer's.",
    },
    {
      locale: "ar-EG",
      relayText: "لم يُطبَّق من النسخة الاحتياطية: المُرحِّل \u2068https://relay.golpe.example\u2069. يحتفظ هذا الجهاز باتصاله؛ اتصل من جديد لاستخدامه.",
      paymentText: "لم تُطبَّق بيانات الدفع من النسخة الاحتياطية (\u2068golpista@example.com\u2069): ما زال العملاء يدفعون إلى بيانات هذا الجهاز.",
    },
  ]) {
    test(`A restore says which of the backup's connections it set aside, one lasting notice each (${locale})`, async () => {
      const notApplied = [
        { connection: "relay", address: "https://relay.golpe.example", message: "the backup's relay https://relay.golpe.example was not applied" },
        { connection: "payment", address: "golpista@example.com", message: "the backup's payment details golpista@example.com were not applied" },
      ];
      const app = await openMockApp(harness, { locale, mock: { restoreNotApplied: notApplied } });
      try {
        const { page } = app;
        await page.getByTestId("product-row").first().waitFor();
        await page.evaluate(() => window.__VITRINE_MOCK__.menu("restore"));
        await page.evaluate(() => (window.__VITRINE_MOCK__.nextPick = "/home/ana/backups/modelo.tar"));
        await page.getByTestId("restore-confirm").click();
        const relay = page.getByTestId("toast").filter({ hasText: relayText });
        await relay.waitFor();
        await page.getByTestId("toast").filter({ hasText: paymentText }).waitFor();
        await page.waitForTimeout(6000);
        assert.equal(await relay.count(), 1, "a set-aside connection's notice stays until dismissed");
        if (process.env.VITRINE_E2E_SHOTS) {
          await page.screenshot({ path: `${process.env.VITRINE_E2E_SHOTS}/restore-not-applied-${locale}.png` });
        }
      } finally {
        await app.close();
      }
    });
  }

  test("File → Quit with an unsaved product asks first; with nothing to lose it closes", async () => {
    const app = await openMockApp(harness, { products: 3 });
    try {
      const { page } = app;
      const quit = () => page.evaluate(() => window.__VITRINE_MOCK__.menu("quit"));
      const closed = () => page.evaluate(() => window.__VITRINE_MOCK__.closed);
      await page.getByTestId("product-row").first().locator("button.open").click();
      await page.getByTestId("field-title").fill("Camisa com mudança não salva");
      await quit();
      await page.getByTestId("close-dialog").waitFor();
      assert.equal(await closed(), false, "the window waits for the answer");
      await page.getByTestId("close-keep").click();
      await page.getByTestId("close-dialog").waitFor({ state: "hidden" });
      assert.equal(await page.getByTestId("field-title").inputValue(), "Camisa com mudança não salva", "the edit is still there");
      await quit();
      await page.getByTestId("close-discard").click();
      await page.waitForFunction(() => window.__VITRINE_MOCK__.closed === true);
    } finally {
      await app.close();
    }

    const clean = await openMockApp(harness, { products: 3 });
    try {
      const { page } = clean;
      await page.getByTestId("product-row").first().waitFor();
      await page.evaluate(() => window.__VITRINE_MOCK__.menu("quit"));
      await page.waitForFunction(() => window.__VITRINE_MOCK__.closed === true);
      assert.equal(await page.getByTestId("close-dialog").isVisible(), false, "nothing to lose: no question");
    } finally {
      await clean.close();
    }
  });

  test("the bulk bar sets availability and moves products to a collection", async () => {
    const app = await openMockApp(harness);
    try {
      const { page } = app;
      const rows = page.getByTestId("product-row");
      await rows.first().waitFor();
      const picked = [await rows.nth(0).getAttribute("data-product-id"), await rows.nth(1).getAttribute("data-product-id")];
      await rows.nth(0).getByTestId("select-product").click();
      await rows.nth(1).getByTestId("select-product").click();

      await page.getByTestId("bulk-availability").selectOption("outOfStock");
      await page.getByTestId("toast").getByText("Updated 2 products").first().waitFor();
      await page.waitForFunction(() =>
        [...document.querySelectorAll("[data-testid=product-row]")].slice(0, 2).every((r) => /Out of stock/.test(r.textContent)),
      );
      assert.doesNotMatch(await rows.nth(2).textContent(), /Out of stock/, "the others keep theirs");

      await page.getByTestId("bulk-move").click();
      const dialog = page.getByTestId("move-dialog");
      await page.getByTestId("bulk-collection").fill("Liquidação");
      await dialog.getByRole("button", { name: "Apply" }).click();
      await dialog.waitFor({ state: "hidden" });
      const edits = (await app.calls()).filter((c) => c.cmd === "bulkEdit").map((c) => c.args);
      assert.deepEqual(edits, [
        [picked, { kind: "setAvailability", value: "outOfStock" }],
        [picked, { kind: "moveToCollection", value: "Liquidação" }],
      ]);
      await page.getByTestId("bulk-bar").getByRole("button", { name: "Clear" }).click();
      await page.getByTestId("filter-collection").selectOption("Liquidação");
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=product-row]").length === 2);
      assert.deepEqual(await rows.evaluateAll((r) => r.map((x) => x.dataset.productId)), picked, "exactly the two moved");
    } finally {
      await app.close();
    }
  });
});
