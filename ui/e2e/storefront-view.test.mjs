// The Storefront view, in chromium on the in-memory mock back end: the live preview of the
// shop's pages, settings checked (address, colour, collections), publishing with progress
// once an address and photo hosting are set, and building into a folder.

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

describe("storefront view", { timeout: 60_000 }, () => {
  test("the preview shows the shop; a bad address is refused; publish needs an address and shows progress", async () => {
    const app = await openMockApp(harness, { products: 5, mock: { metaConnected: true } });
    try {
      const { page } = app;
      await page.getByTestId("nav-storefront").click();
      await page.getByTestId("storefront-view").waitFor();
      const frame = page.frameLocator('[data-testid="storefront-preview"]');
      await frame.getByRole("heading", { name: "Loja da Ana" }).waitFor();
      assert.equal(await page.getByTestId("storefront-publish").isDisabled(), true, "no address yet");

      await page.getByTestId("storefront-url").fill("loja sem endereço");
      await page.getByTestId("storefront-save").click();
      await page.getByTestId("storefront-error").waitFor();
      assert.match(await page.getByTestId("storefront-error").textContent(), /https:\/\/shop\.example/);

      await page.getByTestId("storefront-url").fill("https://loja.example");
      await page.getByTestId("storefront-collection-Novidades").click();
      await page.getByTestId("storefront-save").click();
      await page.getByTestId("storefront-error").waitFor({ state: "detached" });
      const saved = (await app.calls()).filter((c) => c.cmd === "setStorefront").at(-1).args[0];
      assert.deepEqual(saved, { baseUrl: "https://loja.example", accent: "#0f766e", collections: ["Novidades"] });
      const previews = (await app.calls()).filter((c) => c.cmd === "previewStorefront").length;
      assert.ok(previews >= 2, "saving rebuilds the preview");

      await page.getByTestId("storefront-publish").click();
      await page.getByTestId("storefront-progress").waitFor();
      await page.getByText(/Published: \d+ files sent/).waitFor();
      await page.getByTestId("storefront-build").click();
      await page.getByText(/Built: \d+ files/).waitFor();
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });
});
