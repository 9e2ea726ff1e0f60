// The Orders view, in chromium on the in-memory mock back end (which plays the relay and
// Meta): connecting the relay, the order book joined with the catalog (photos, an unknown
// SKU, a changed price, the poster that brought a customer), the status workflow, notes,
// quick replies inside the 24-hour window and refusal outside it, a cart arriving live with
// the badge, analytics charts, and Arabic.

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

async function openOrders(page) {
  await page.getByTestId("nav-orders").click();
  await page.getByTestId("orders-view").waitFor();
}

const rowOf = (page, name) => page.getByTestId("order-row").filter({ hasText: name });

describe("orders view", { timeout: 90_000 }, () => {
  test("connecting the relay: a refused token is explained, then the orders appear", async () => {
    const app = await openMockApp(harness, { products: 6 });
    try {
      const { page } = app;
      await openOrders(page);
      await page.getByTestId("relay-connect").waitFor();
      assert.match(await page.getByTestId("orders-empty").textContent(), /connect your relay/);
      await page.getByTestId("relay-url").fill("https://relay.loja.example");
      await page.getByTestId("relay-token").fill("wrong");
      await page.getByTestId("relay-connect-button").click();
      await page.getByTestId("relay-error").waitFor();
      assert.match(await page.getByTestId("relay-error").textContent(), /refused this device token/);
      await page.getByTestId("relay-token").fill("vdt_device_token_1");
      await page.getByTestId("relay-connect-button").click();
      await page.getByTestId("relay-status").waitFor();
      assert.match(await page.getByTestId("relay-status").textContent(), /relay\.loja\.example/);
      assert.ok(!(await page.content()).includes("vdt_device_token_1"), "the token is nowhere on the page");
      assert.equal(await page.getByTestId("order-row").count(), 4);
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });

  test("an order reads like an order book: photos, unknown SKU, changed price, channel, total", async () => {
    const app = await openMockApp(harness, { products: 6, mock: { relayConnected: true } });
    try {
      const { page } = app;
      await page.getByTestId("orders-badge").waitFor();
      assert.equal(await page.getByTestId("orders-badge").textContent(), "2", "two orders still new");
      await openOrders(page);
      await rowOf(page, "Rafael Lima").click();
      const detail = page.getByTestId("order-detail");
      await detail.getByText("Rafael Lima").waitFor();
      assert.equal(await detail.getByTestId("order-line").count(), 2);
      await detail.getByTestId("unknown-sku").waitFor();
      assert.match(await detail.getByTestId("order-line").nth(1).textContent(), /GONE-99/, "an unknown SKU is kept and shown");

      await rowOf(page, "Ana Paula").click();
      await detail.getByText("Ana Paula").waitFor();
      assert.match(await detail.getByTestId("order-ref").textContent(), /poster-window/);
      await detail.getByTestId("price-differs").waitFor();
      assert.equal(await detail.getByTestId("order-line").locator("img").count(), 1, "the line shows the product's photo from the catalog");
      assert.match(await detail.getByTestId("order-total").textContent(), /R\$/);
      assert.match(await detail.getByTestId("order-thread").textContent(), /Vi o cartaz na vitrine!/);
    } finally {
      await app.close();
    }
  });

  test("workflow, note and replies: quick reply inside the window, refused after 24 hours", async () => {
    const app = await openMockApp(harness, { products: 6, mock: { relayConnected: true } });
    try {
      const { page } = app;
      await openOrders(page);
      await rowOf(page, "Ana Paula").click();
      const detail = page.getByTestId("order-detail");
      await detail.getByText("Ana Paula").waitFor();
      await detail.getByTestId("move-confirmed").click();
      await detail.getByTestId("move-paid").waitFor();
      assert.equal(await detail.getByTestId("move-confirmed").count(), 0, "no going back");
      await detail.getByTestId("move-paid").click();
      await detail.getByTestId("move-shipped").waitFor();

      await page.getByTestId("order-note").fill("Embrulhar para presente");
      await page.getByTestId("order-note-save").click();
      await page.getByTestId("order-note-save").and(page.locator("[disabled]")).waitFor();

      assert.match(await page.getByTestId("reply-window").textContent(), /min para responder de graça|min left to reply/);
      await page.getByTestId("quick-confirm").click();
      await page.waitForFunction(() => window.__VITRINE_MOCK__.orders.replies.length === 1);
      await page
        .getByTestId("order-thread")
        .getByText(/está confirmado/)
        .waitFor();
      await page.getByTestId("order-reply").fill("Vamos embrulhar para presente.");
      await page.getByTestId("reply-send").click();
      await page.waitForFunction(() => window.__VITRINE_MOCK__.orders.replies.length === 2);
      await page.getByTestId("order-thread").getByText("Vamos embrulhar para presente.").waitFor();

      await rowOf(page, "Rafael Lima").click();
      await detail.getByText("Rafael Lima").waitFor();
      assert.match(await page.getByTestId("reply-window").textContent(), /24 hours|24 horas/);
      assert.equal(await page.getByTestId("reply-send").isDisabled(), true, "outside the window a free reply cannot be sent");
    } finally {
      await app.close();
    }
  });

  test("a cart arriving from the relay shows at once, with the badge and a toast; search and status filter", async () => {
    const app = await openMockApp(harness, { products: 6, mock: { relayConnected: true } });
    try {
      const { page } = app;
      await openOrders(page);
      await page.getByTestId("orders-badge").waitFor();
      assert.equal(await page.getByTestId("order-row").count(), 4);
      await page.evaluate(() =>
        window.__VITRINE_MOCK__.orders.push({
          name: "Joana Dias",
          waId: "5511900001111",
          lines: [{ sku: "GONE-99", quantity: 2, price: "10.00" }],
          refTag: "instagram-bio",
        }),
      );
      await rowOf(page, "Joana Dias").waitFor();
      await page.getByText("A new order arrived").waitFor();
      assert.equal(await page.getByTestId("orders-badge").textContent(), "3");

      await page.getByTestId("orders-search").fill("joana");
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="order-row"]').length === 1);
      await page.getByTestId("orders-search").fill("");
      await page.getByTestId("orders-status").selectOption("delivered");
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="order-row"]').length === 1);
      await rowOf(page, "Mariana Souza").waitFor();
    } finally {
      await app.close();
    }
  });

  test("analytics: charts drawn, top products and channels listed; Arabic lays the view out right to left", async () => {
    const app = await openMockApp(harness, { products: 6, locale: "ar-EG", mock: { relayConnected: true } });
    try {
      const { page } = app;
      await openOrders(page);
      assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
      await page.getByRole("heading", { name: "الطلبات" }).first().waitFor();
      await page.getByRole("tab", { name: "التحليلات" }).click();
      await page.getByTestId("orders-analytics").waitFor();
      await page.getByTestId("top-products").locator("li").first().waitFor();
      assert.match(await page.getByTestId("channels").textContent(), /poster-window/);
      const drawn = await page.evaluate(() =>
        ["chart-timeline", "chart-products", "chart-channels"].map((id) => {
          const canvas = document.querySelector(`[data-testid="${id}"]`);
          const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
          let inked = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
          return inked;
        }),
      );
      assert.ok(
        drawn.every((n) => n > 500),
        `every chart has something drawn: ${drawn}`,
      );
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.close();
    }
  });

  test("quick replies and the Pix key are edited in Settings and used in the reply box", async () => {
    const app = await openMockApp(harness, { products: 6, mock: { relayConnected: true } });
    try {
      const { page } = app;
      await page.getByTestId("nav-settings").click();
      await page.getByTestId("pix-key").fill("loja@pix.example");
      await page.getByTestId("save-payment").click();
      await page.getByText("Saved").first().waitFor();
      await page.getByTestId("quick-text-confirm").fill("Oi {name}! Pedido {order} confirmado, total {total}. {fake}");
      await page.getByTestId("quick-save-confirm").click();
      await page.getByText(/is not a placeholder/).waitFor();
      await page.getByTestId("quick-text-confirm").fill("Oi {name}! Pedido {order} confirmado, total {total}.");
      await page.getByTestId("quick-save-confirm").click();

      await openOrders(page);
      await rowOf(page, "Ana Paula").click();
      await page.getByTestId("order-detail").getByText("Ana Paula").waitFor();
      await page.getByTestId("quick-confirm").click();
      await page.waitForFunction(() => window.__VITRINE_MOCK__.orders.replies.at(-1)?.text.startsWith("Oi Ana Paula! Pedido #"));
      await page.getByTestId("quick-payment-info").click();
      await page.waitForFunction(() => window.__VITRINE_MOCK__.orders.replies.at(-1)?.text.includes("loja@pix.example"));
    } finally {
      await app.close();
    }
  });
});
