// What the UI costs to paint. On a machine without a GPU the desktop app's WebKitGTK paints
// on the CPU, where a blurred box-shadow is slow: one around the catalog list made every
// keystroke and scroll under it cost ~120 ms to repaint instead of ~8 ms (`make
// bench-desktop`). So shadows have no blur radius, anywhere: in every style sheet the app
// loads, and on every element as painted, in the light and the dark theme.

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

/** Runs in the page: the blurred shadows among `shadows` (CSS `box-shadow` values). */
function blurredIn() {
  // Top-level commas separate shadows; colours like rgb(…) have commas of their own.
  const split = (value) => {
    const parts = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === "(") depth++;
      else if (value[i] === ")") depth--;
      else if (value[i] === "," && depth === 0) {
        parts.push(value.slice(start, i));
        start = i + 1;
      }
    }
    parts.push(value.slice(start));
    return parts.map((p) => p.trim());
  };
  // A shadow's lengths in order: x, y, blur, spread. Colour functions are dropped first.
  const blur = (shadow) => {
    let bare = shadow;
    while (/[a-z-]+\([^()]*\)/i.test(bare)) bare = bare.replace(/[a-z-]+\([^()]*\)/gi, " ");
    const lengths = bare.split(/\s+/).filter((t) => /^-?[\d.]+(px|em|rem)?$/.test(t));
    return lengths.length >= 3 ? parseFloat(lengths[2]) : 0;
  };
  window.__blurred = (value) => (!value || value === "none" || value.includes("var(") ? [] : split(value).filter((s) => blur(s) > 0));
}

async function blurredRules(page) {
  return page.evaluate(() => {
    const found = [];
    const walk = (rules) => {
      for (const rule of rules) {
        if (rule.cssRules) walk(rule.cssRules);
        const value = rule.style?.boxShadow;
        for (const shadow of window.__blurred(value)) found.push(`${rule.selectorText}: ${shadow}`);
      }
    };
    for (const sheet of document.styleSheets) walk(sheet.cssRules);
    return found;
  });
}

async function blurredElements(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("*")).flatMap((element) =>
      window.__blurred(getComputedStyle(element).boxShadow).map((shadow) => `${element.tagName.toLowerCase()}.${element.className}: ${shadow}`),
    ),
  );
}

describe("paint cost", { timeout: 90_000 }, () => {
  test("the checker itself sees a blurred shadow and passes crisp ones", async () => {
    const app = await openMockApp(harness, { products: 3 });
    try {
      await app.page.evaluate(blurredIn);
      const verdicts = await app.page.evaluate(() => [
        window.__blurred("rgba(16, 24, 40, 0.09) 0px 1px 0px 0px").length,
        window.__blurred("0 20px 50px rgb(0 0 0 / 25%)").length,
        window.__blurred("0 0 0 3px color-mix(in srgb, red 25%, transparent), 0 1px 2px #000").length,
        window.__blurred("none").length,
      ]);
      assert.deepEqual(verdicts, [0, 1, 1, 0]);
    } finally {
      await app.close();
    }
  });

  test("no style sheet and no painted element has a blurred shadow, in either theme", async () => {
    const app = await openMockApp(harness, { products: 48 });
    const { page } = app;
    try {
      await page.evaluate(blurredIn);
      await page.locator("[data-testid=product-row]").first().waitFor();
      assert.deepEqual(await blurredRules(page), []);

      const seen = [];
      const look = async (where) => {
        for (const shadow of await blurredElements(page)) seen.push(`${where}: ${shadow}`);
      };
      for (const theme of ["light", "dark"]) {
        await page.locator("[data-testid=nav-settings]").click();
        await page.locator("#ui-theme").selectOption(theme);
        await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
        await look(`${theme} settings`);
        await page.locator("[data-testid=nav-catalog]").click();
        await page.locator("[data-testid=view-list]").click();
        await page.locator("[data-testid=product-row]").first().waitFor();
        await look(`${theme} list`);
        await page.locator("[data-testid=view-grid]").click();
        await look(`${theme} grid`);
        await page.locator("[data-testid=product-row] button.open").first().click();
        await page.locator("dialog[open]").waitFor();
        await look(`${theme} editor`);
        await page.keyboard.press("Escape");
        await page.locator("dialog[open]").waitFor({ state: "detached" });
        for (const view of ["orders", "sync", "share", "storefront"]) {
          await page.locator(`[data-testid=nav-${view}]`).click();
          await look(`${theme} ${view}`);
        }
      }
      assert.deepEqual(seen, []);
    } finally {
      await app.close();
    }
  });
});
