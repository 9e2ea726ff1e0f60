// The WhatsApp catalog view, in chromium on the in-memory mock back end (which plays Meta):
// connecting, the plan, a sync with progress (sending, waiting for Meta), each product's
// state and its badge in the catalog, Meta's warnings, a one-click fix that lands on the
// field, Meta's review (rejections, photos not fetched, what waits) and orphans, Arabic.

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

/** The mock's seed: product i (0-based) has a pre-flight error when it has no description,
 *  no link or no photo (see mock-backend.ts). */
function heldInSeed(count) {
  let held = 0;
  for (let i = 0; i < count; i++) if (i % 5 === 2 || i % 6 === 1 || i % 7 === 3) held++;
  return held;
}

async function openSync(page) {
  await page.getByTestId("nav-sync").click();
  await page.getByTestId("sync-view").waitFor();
}

const number = async (locator) => Number((await locator.locator("strong").textContent()).replace(/\D/g, ""));

describe("sync view", { timeout: 90_000 }, () => {
  test("connecting: a wrong id is refused in words, the token never shows again, the hidden catalog is flagged and fixed", async () => {
    const app = await openMockApp(harness, { products: 6 });
    try {
      const { page } = app;
      await openSync(page);
      await page.getByTestId("meta-catalog").fill("catalogo-da-ana");
      await page.getByTestId("meta-token").fill("EAAsecret-token-123");
      await page.getByTestId("connect").click();
      const refused = page.getByTestId("connect-error");
      await refused.waitFor();
      assert.match(await refused.textContent(), /not a Meta ID: only digits/);

      await page.getByTestId("meta-catalog").fill("1234567890");
      await page.getByTestId("meta-phone").fill("1098765432");
      await page.getByTestId("connect").click();
      await page.getByTestId("connection-ok").waitFor();
      assert.equal(await page.getByTestId("connected-catalog").textContent(), "1234567890");
      assert.match(await page.getByTestId("sync-connection").textContent(), /Token in the keychain/);
      assert.ok(!(await page.content()).includes("EAAsecret"), "the token is nowhere on the page after connecting");

      const warning = page.getByTestId("connection-warning");
      assert.match(await warning.textContent(), /hidden on WhatsApp/);
      await page.getByTestId("catalog-visible").click();
      await warning.waitFor({ state: "detached" });
      const toggles = (await app.calls()).filter((c) => c.cmd === "setCommerce");
      assert.deepEqual(toggles.at(-1).args, [true, true], "catalog shown, cart left on");
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });

  test("an expired token is explained, not a blank failure", async () => {
    const app = await openMockApp(harness, { products: 4, mock: { metaConnected: true } });
    try {
      const { page } = app;
      await openSync(page);
      await page.evaluate(() => {
        window.__VITRINE_MOCK__.meta.failNext = {
          code: "network",
          message: "Meta: the access token has expired or was revoked; create a new system-user token and connect again",
        };
      });
      await page.getByTestId("test-connection").click();
      assert.match(await page.getByTestId("connection-error").textContent(), /expired.*connect again/);
    } finally {
      await app.close();
    }
  });

  test("preview, sync with progress, badges in the catalog, and an edit resends only that field", async () => {
    const products = 12;
    const held = heldInSeed(products);
    const app = await openMockApp(harness, { products, mock: { metaConnected: true, syncStep: 250 } });
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      assert.equal(
        await page.locator("[data-testid=sync-badge][data-state=new]").count(),
        products - held,
        "before any sync, every product without errors is marked not on WhatsApp yet",
      );

      await openSync(page);
      assert.equal(await number(page.getByTestId("plan-create")), products - held);
      assert.equal(await number(page.getByTestId("plan-held")), held);
      assert.equal(await number(page.getByTestId("plan-update")), 0);
      await page.getByTestId("plan-lines").locator("summary").click();
      assert.equal(await page.getByTestId("plan-line").count(), products - held);

      await page.getByTestId("sync-now").click();
      const bar = page.getByTestId("sync-progress").getByRole("progressbar");
      await bar.waitFor();
      assert.equal(await bar.getAttribute("aria-valuemax"), "1", "one batch: up to 5,000 items per call");
      const waiting = page.locator("[data-testid=sync-phase][data-phase=waiting]");
      await waiting.waitFor();
      assert.match(await waiting.textContent(), /Batch 1 of 1: Meta is processing it \(check \d\)/, "a one-batch sync shows Meta's processing");
      const report = page.getByTestId("sync-report");
      await report.waitFor();
      assert.match(await report.textContent(), new RegExp(`${products - held} added, 0 updated, 0 removed, 0 rejected`));
      assert.equal(await number(page.getByTestId("plan-at-meta")), products - held);
      assert.ok(await page.getByTestId("sync-now").isDisabled(), "nothing left to send");
      assert.match(await page.getByTestId("sync-nothing").textContent(), /up to date/);

      // The table: filter by state.
      await page.getByTestId("state-synced").click();
      await page.waitForFunction((n) => document.querySelectorAll("[data-testid=sync-item][data-state=synced]").length === n, products - held);
      await page.getByTestId("state-held").click();
      await page.waitForFunction((n) => document.querySelectorAll("[data-testid=sync-item]").length === n, held);
      assert.equal(await page.locator("[data-testid=sync-item]:not([data-state=held])").count(), 0);

      // Back in the catalog: badges, then a price change marks one product changed.
      await page.getByTestId("nav-catalog").click();
      await page.getByTestId("product-row").first().waitFor();
      assert.equal(await page.locator("[data-testid=sync-badge][data-state=synced]").count(), products - held);
      const row = page.locator("[data-testid=product-row]:has([data-testid=sync-badge][data-state=synced])").first();
      const sku = (await row.locator(".sku").textContent()).trim();
      await row.locator("button.open").click();
      await page.getByTestId("field-price").fill("999");
      await page.getByTestId("save-product").click();
      await page.getByTestId("product-editor").waitFor({ state: "hidden" });
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=sync-badge][data-state=changed]").length === 1);

      await openSync(page);
      assert.equal(await number(page.getByTestId("plan-update")), 1);
      await page.getByTestId("plan-lines").locator("summary").click();
      const line = page.getByTestId("plan-line");
      assert.equal(await line.count(), 1);
      assert.match(await line.textContent(), new RegExp(`${sku}\\s*price$`), "only the price is resent");
      await page.getByTestId("sync-now").click();
      await page.waitForFunction(() => /0 added, 1 updated/.test(document.querySelector("[data-testid=sync-report]")?.textContent ?? ""));
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });

  test("a rejection shows Meta's reason; Fix opens the product at the field to change", async () => {
    const app = await openMockApp(harness, { products: 8, mock: { metaConnected: true, syncStep: 0 } });
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      // A replica: Meta's Commerce Policy refuses it.
      await page.getByTestId("product-row").first().locator("button.open").click();
      await page.getByTestId("field-title").fill("Bolsa réplica de grife");
      await page.getByTestId("save-product").click();
      await page.getByTestId("product-editor").waitFor({ state: "hidden" });

      await openSync(page);
      await page.getByTestId("sync-now").click();
      await page.getByTestId("sync-report").waitFor();
      assert.match(await page.getByTestId("sync-report").textContent(), /1 rejected/);
      await page.getByTestId("state-rejected").click();
      const rejected = page.locator("[data-testid=sync-item][data-state=rejected]");
      await rejected.waitFor();
      assert.match(await rejected.getByTestId("sync-message").textContent(), /counterfeit or replica/);

      // A held product: Fix lands in the field its first error is about.
      await page.getByTestId("state-held").click();
      const held = page.locator("[data-testid=sync-item][data-state=held]").filter({ hasText: "SKU-00003" });
      await held.getByTestId("fix").click();
      await page.getByTestId("product-editor").waitFor();
      await page.waitForFunction(() => document.activeElement?.id === "product-description");
      await page.getByTestId("field-description").fill("Feito à mão em Minas Gerais, algodão cru.");
      await page.getByTestId("save-product").click();
      await page.getByTestId("product-editor").waitFor({ state: "hidden" });
      await page.waitForFunction(() => !document.querySelector("[data-testid=sync-item][data-sku=SKU-00003]"));

      await page.getByTestId("state-new").click();
      await page.locator("[data-testid=sync-item][data-sku=SKU-00003]").waitFor();
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });

  test("Meta's review lists orphans, and deleting them asks first", async () => {
    const app = await openMockApp(harness, { products: 6, mock: { metaConnected: true, syncStep: 0 } });
    try {
      const { page } = app;
      await openSync(page);
      await page.getByTestId("sync-now").click();
      await page.getByTestId("sync-report").waitFor();
      await page.getByTestId("review-check").click();
      await page.getByTestId("orphans").waitFor();
      assert.equal(await number(page.getByTestId("review-pending")), 6 - heldInSeed(6) - 1, "just sent: waiting for review (but the one rejected)");
      assert.match(await page.getByTestId("orphans").textContent(), /2 items at Meta are not in Vitrine.*OLD-SHOP-001.*OLD-SHOP-002/s);

      await page.getByTestId("delete-orphans").click();
      await page.getByTestId("orphans-dialog").waitFor();
      assert.match(await page.getByTestId("orphans-dialog").textContent(), /Delete 2 items from the WhatsApp catalog\?/);
      await page.getByTestId("orphans-confirm").click();
      await page.getByTestId("no-orphans").waitFor();
      assert.equal((await app.calls()).filter((c) => c.cmd === "deleteOrphans").length, 1);
    } finally {
      await app.close();
    }
  });

  test("in Arabic the view is right-to-left and counts use the locale", async () => {
    const app = await openMockApp(harness, { products: 6, locale: "ar-EG", mock: { metaConnected: true } });
    try {
      const { page } = app;
      await openSync(page);
      assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
      assert.equal(await page.locator("h1").textContent(), "كتالوج واتساب");
      const create = await page.getByTestId("plan-create").locator("strong").textContent();
      assert.match(create, /^[٠-٩]+$/, `Arabic-Indic digits for Egypt: ${create}`);
      const box = await page.getByTestId("sync-view").locator("h1").boundingBox();
      const view = await page.getByTestId("sync-view").boundingBox();
      assert.ok(box.x + box.width > view.x + view.width - 60, "the heading starts at the right edge");
    } finally {
      await app.close();
    }
  });

  test("photos to an S3-compatible bucket: a bad name is refused, the secret never shows, publish uploads only once", async () => {
    const app = await openMockApp(harness, { products: 6, mock: { metaConnected: true } });
    try {
      const { page } = app;
      await openSync(page);
      await page.getByTestId("hosting-kind-bucket").check();
      await page.getByTestId("bucket-url").fill("https://fotos.loja-da-ana.example");
      await page.getByTestId("bucket-endpoint").fill("https://r2.example-storage.com");
      await page.getByTestId("bucket-name").fill("Fotos Da Ana");
      await page.getByTestId("bucket-region").fill("auto");
      await page.getByTestId("bucket-key-id").fill("AKIAEXAMPLE");
      await page.getByTestId("bucket-secret").fill("very-secret-key-123");
      await page.getByTestId("bucket-save").click();
      assert.match(await page.getByTestId("hosting-error").textContent(), /bucket name/);

      await page.getByTestId("bucket-name").fill("fotos-da-ana");
      await page.getByTestId("bucket-save").click();
      await page.getByTestId("hosting-error").waitFor({ state: "detached" });
      assert.equal(await page.getByTestId("bucket-secret").inputValue(), "", "the secret is not kept in the form");
      assert.ok(!(await page.content()).includes("very-secret-key-123"));
      const saved = (await app.calls()).filter((c) => c.cmd === "setS3Hosting").at(-1).args[0];
      assert.equal(saved.bucket.bucket, "fotos-da-ana");
      assert.equal(saved.secretKey, "very-secret-key-123", "the secret goes to the back end once");

      await page.getByTestId("publish-photos").click();
      await page
        .getByTestId("toast")
        .getByText(/\d+ photos uploaded, 0 already there/)
        .waitFor();
      await page.getByTestId("publish-photos").click();
      await page
        .getByTestId("toast")
        .getByText(/0 photos uploaded, \d+ already there/)
        .waitFor();
    } finally {
      await app.close();
    }
  });

  test("a catalog built in the WhatsApp Business app is imported from Meta's review", async () => {
    const app = await openMockApp(harness, { products: 3, mock: { metaConnected: true, syncStep: 0 } });
    try {
      const { page } = app;
      await openSync(page);
      await page.getByTestId("review-check").click();
      await page.getByTestId("orphans").waitFor();
      await page.getByTestId("import-orphans").click();
      await page.getByTestId("toast").getByText("2 products imported from WhatsApp.").waitFor();
      await page.getByTestId("no-orphans").waitFor();

      await page.getByTestId("nav-catalog").click();
      const row = page.locator("[data-testid=product-row]").filter({ hasText: "Cesta de vime" });
      await row.waitFor();
      assert.equal(await row.getByTestId("sync-badge").getAttribute("data-state"), "synced", "imported as already on WhatsApp");
    } finally {
      await app.close();
    }
  });

  test("Meta's review in Meta's own case: each rejection with a Fix at the field it names, each photo Meta could not fetch, each item waiting", async () => {
    const app = await openMockApp(harness, { products: 8, mock: { metaConnected: true, syncStep: 0 } });
    try {
      const { page } = app;
      await openSync(page);
      await page.getByTestId("sync-now").click();
      await page.getByTestId("sync-report").waitFor();
      await page.getByTestId("review-check").click();
      const rejection = page.getByTestId("review-rejection");
      await rejection.waitFor();
      const sent = 8 - heldInSeed(8);
      assert.equal(await rejection.count(), 1);
      assert.match(await rejection.textContent(), /price of this item.*Check the price/s, "Meta's reason and call to action");
      assert.equal(await number(page.getByTestId("review-no-image")), 1, "FETCH_FAILED counts; FETCHED and DIRECT_UPLOAD do not");
      const noImage = page.getByTestId("review-no-image-item");
      assert.equal(await noImage.count(), 1);
      assert.match(await noImage.textContent(), /Meta could not download the photo/);
      const pending = page.getByTestId("review-pending-item");
      assert.equal(await pending.count(), sent - 1, "every item waiting for review is listed");
      assert.equal(await number(page.getByTestId("review-pending")), sent - 1);
      assert.equal(await number(page.getByTestId("review-approved")), 0);

      await rejection.getByTestId("review-fix").click();
      await page.getByTestId("product-editor").waitFor();
      await page.waitForFunction(() => document.activeElement?.id === "product-price");
      assert.equal((await page.getByTestId("field-price").inputValue()) !== "", true, "the rejected product is open, at its price");
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });

  test("a warning from Meta: the product is synced, the report and the table say what Meta said", async () => {
    const app = await openMockApp(harness, { products: 6, mock: { metaConnected: true, syncStep: 0 } });
    try {
      const { page } = app;
      await page.getByTestId("product-row").first().waitFor();
      await page.getByTestId("product-row").first().locator("button.open").click();
      await page.getByTestId("field-title").fill(`Bolsa de couro legítimo${" feita à mão".repeat(8)}`);
      await page.getByTestId("save-product").click();
      await page.getByTestId("product-editor").waitFor({ state: "hidden" });

      await openSync(page);
      await page.getByTestId("sync-now").click();
      await page.getByTestId("sync-report").waitFor();
      assert.match(await page.getByTestId("sync-report").textContent(), /0 rejected/, "a warning is not a rejection");
      const warning = page.getByTestId("sync-warning");
      assert.equal(await warning.count(), 1);
      assert.match(await warning.textContent(), /longer than 100 characters/);

      await page.getByTestId("state-warning").click();
      const row = page.locator("[data-testid=sync-item][data-state=warning]");
      await row.waitFor();
      assert.match(await row.getByTestId("sync-message").textContent(), /longer than 100 characters/);
      await row.getByTestId("fix").click();
      await page.getByTestId("product-editor").waitFor();
      await page.waitForFunction(() => document.activeElement?.id === "product-title");
      await page.keyboard.press("Escape");

      await page.getByTestId("nav-catalog").click();
      await page.locator("[data-testid=sync-badge][data-state=warning]").waitFor();
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });
});
