// The "done when", end to end in chromium on the mock back end: a shop owner who has
// never seen the app, in Portuguese and in Arabic, starts from an empty catalog, adds ten
// products with photos through the editor, fixes every pre-flight finding the editor shows
// until the product is ready to sync, finds a product by typing part of its name, and backs
// the catalog up from the app menu. Every text asserted is the one in that language's
// message catalog, so an untranslated string fails the test.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";

import { IntlMessageFormat } from "intl-messageformat";

import { openMockApp, startHarness, UI_ROOT } from "./harness.mjs";

/** A language's message catalog, read from its source file: key → message. */
function messages(language) {
  const source = readFileSync(`${UI_ROOT}/src/lib/messages/${language}.ts`, "utf8");
  const out = new Map();
  for (const [, key, value] of source.matchAll(/^\s*"([^"]+)":\s*("(?:[^"\\]|\\.)*"),?\s*$/gm)) out.set(key, JSON.parse(value));
  return out;
}

const JOURNEYS = [
  {
    language: "pt-BR",
    locale: "pt-BR",
    dir: "ltr",
    price: "49,90",
    brand: "Ateliê da Ana",
    products: [
      ["Camisa de linho", "Linho puro, costurada à mão."],
      ["Vestido floral", "Viscose leve com estampa de flores."],
      ["Sandália de couro", "Couro legítimo, solado de borracha."],
      ["Bolsa de palha", "Trançada à mão no Ceará."],
      ["Brinco dourado", "Banhado a ouro, antialérgico."],
      ["Caneca de cerâmica", "350 ml, pode ir ao micro-ondas."],
      ["Vela aromática", "Cera de soja com lavanda."],
      ["Chapéu de praia", "Aba larga, proteção contra o sol."],
      ["Colar de miçangas", "Contas coloridas feitas à mão."],
      ["Sabonete artesanal", "Óleo de coco e alecrim."],
    ],
    search: "miçang",
    found: "Colar de miçangas",
    // 10 products; five with two photos, five with one.
    backedUp: "Backup feito: 10 produtos e 15 fotos",
    count: "10 produtos",
  },
  {
    language: "ar",
    locale: "ar-EG",
    dir: "rtl",
    price: "120",
    brand: "بيت الهدايا",
    products: [
      ["عباءة مطرزة", "قماش كريب مع تطريز يدوي."],
      ["حجاب حرير", "حرير طبيعي ناعم."],
      ["عطر عود", "زيت عطري مركز ثابت."],
      ["سجادة صلاة", "قطيفة سميكة مع بطانة."],
      ["فانوس نحاسي", "نحاس مشغول يدويًا."],
      ["مسبحة خشب", "ثلاث وثلاثون حبة من خشب الزيتون."],
      ["بخور مسك", "أعواد بخور برائحة المسك."],
      ["شال صوف", "صوف دافئ للشتاء."],
      ["قفطان مغربي", "قطن مطرز بخيوط ذهبية."],
      ["تمر مجدول", "علبة كيلو جرام من التمر الفاخر."],
    ],
    search: "فانو",
    found: "فانوس نحاسي",
    // ar-EG writes numbers in Arabic-Indic digits; 10 takes the "few" form, 15 "many".
    backedUp: "تم النسخ: ١٠ منتجات و١٥ صورة",
    count: "١٠ منتجات",
  },
];

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

/** Waits until the editor has checked the form as it stands (its check is debounced). */
async function settled(page) {
  await page.waitForTimeout(400);
  await page.waitForFunction(() => !document.querySelector("[data-testid=product-editor] .checking"));
}

/** Every finding the editor shows: `{ field, text }`, read from the page as a person reads it. */
async function shownFindings(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("[data-testid=product-editor] [data-testid^=findings-]")].flatMap((box) => {
      const field = box.dataset.testid.replace(/^findings-/, "");
      const items = box.matches("ul") ? [...box.querySelectorAll("li")] : [box];
      return items.map((item) => ({ field, text: item.textContent.trim() }));
    }),
  );
}

describe("a shop owner's first catalog", { timeout: 180_000 }, () => {
  for (const journey of JOURNEYS) {
    test(`in ${journey.language}: ten products with photos, every finding fixed, found by part of a name, backed up`, async () => {
      const words = messages(journey.language);
      const english = messages("en");
      const say = (key) => {
        assert.ok(words.has(key), `${journey.language} has ${key}`);
        return words.get(key);
      };
      /** The pre-flight rule behind a finding's text, in this language only. */
      const ruleOf = new Map([...words].filter(([k]) => k.startsWith("finding.")).map(([k, v]) => [v, k.slice("finding.".length)]));

      const app = await openMockApp(harness, { products: 0, locale: journey.locale });
      try {
        const { page } = app;
        await page.getByText(say("catalog.empty.title")).waitFor();
        assert.equal(await page.getAttribute("html", "dir"), journey.dir);
        assert.equal(await page.getAttribute("html", "lang"), journey.language);
        assert.equal(await page.getByTestId("nav-catalog").textContent(), say("nav.catalog"));

        const fixed = new Set();
        let photos = 0;
        for (const [i, [title, description]] of journey.products.entries()) {
          const sku = `P-${String(i + 1).padStart(2, "0")}`;
          await page.getByTestId("new-product").click();
          const editor = page.getByTestId("product-editor");
          await editor.getByText(say("editor.new")).first().waitFor();
          await page.getByTestId("field-title").fill(title);
          await page.getByTestId("field-sku").fill(sku);
          await page.getByTestId("field-price").fill(journey.price);
          // Two of them start with mistakes a newcomer makes: a sale price above the price,
          // a link without https://.
          if (i === 2) await page.getByTestId("field-sale-price").fill("999");
          if (i === 5) await page.getByTestId("field-link").fill(`loja.example/${sku}`);

          await page.waitForFunction(() => document.querySelectorAll("[data-testid=product-editor] [data-testid^=findings-]").length >= 4);
          await settled(page);
          const first = await shownFindings(page);
          assert.ok(first.length >= 4, `a new product has things to fix: ${JSON.stringify(first)}`);
          const toFix = new IntlMessageFormat(say("editor.toFix"), journey.locale).format({ count: first.length });
          await editor.getByText(toFix, { exact: true }).waitFor();

          // Read what the editor says and fix it, until nothing is left.
          for (let round = 0; ; round++) {
            const findings = await shownFindings(page);
            if (findings.length === 0) break;
            assert.ok(round < 6, `still not fixed after ${round} rounds: ${JSON.stringify(findings)}`);
            for (const { field, text } of findings) {
              const rule = ruleOf.get(text);
              assert.ok(rule, `"${text}" (next to ${field}) is a ${journey.language} message`);
              assert.notEqual(text, english.get(`finding.${rule}`), "not the English text");
              fixed.add(rule);
              switch (rule) {
                case "description_missing":
                case "description_same_as_title":
                  await page.getByTestId("field-description").fill(description);
                  break;
                case "brand_missing":
                  await page.getByTestId("field-brand").fill(journey.brand);
                  break;
                case "link_missing":
                case "link_invalid":
                  await page.getByTestId("field-link").fill(`https://loja.example/p/${sku.toLowerCase()}`);
                  break;
                case "sale_not_lower":
                  await page.getByTestId("field-sale-price").fill("");
                  break;
                case "image_missing": {
                  const paths = i % 2 === 0 ? [`/home/ana/Fotos/${sku}-frente.jpg`, `/home/ana/Fotos/${sku}-costas.jpg`] : [`/home/ana/Fotos/${sku}.png`];
                  photos += paths.length;
                  if (i % 2 === 0) {
                    await page.evaluate((p) => (window.__VITRINE_MOCK__.nextPick = p), paths);
                    await page.getByTestId("add-photos").click();
                  } else {
                    await page.evaluate(() => window.__VITRINE_MOCK__.hover(true));
                    await page.getByText(say("editor.dropPhotos")).waitFor();
                    await page.evaluate((p) => window.__VITRINE_MOCK__.drop(p), paths);
                  }
                  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=image-pending]").length === n, paths.length);
                  break;
                }
                default:
                  assert.fail(`no fix known for ${rule}`);
              }
              await editor.getByText(text, { exact: true }).waitFor({ state: "detached" });
            }
            await settled(page);
          }
          await editor.getByText(say("status.ready"), { exact: true }).waitFor();
          await page.getByTestId("save-product").click();
          await editor.waitFor({ state: "hidden" });
          const row = page.getByTestId("product-row").filter({ hasText: title });
          await row.getByText(say("status.ready"), { exact: true }).waitFor();
        }

        for (const rule of ["description_missing", "brand_missing", "link_missing", "link_invalid", "sale_not_lower", "image_missing"])
          assert.ok(fixed.has(rule), `the journey met and fixed ${rule}`);
        await page.getByTestId("product-count").getByText(journey.count, { exact: true }).waitFor();
        const rows = page.getByTestId("product-row");
        assert.equal(await rows.count(), 10);
        assert.equal(await rows.getByText(say("status.ready"), { exact: true }).count(), 10, "every row is ready to sync");
        assert.equal(await rows.locator("img").count(), 10, "every row shows its photo");
        const saved = (await app.calls()).filter((c) => c.cmd === "addImages");
        assert.equal(
          saved.reduce((n, c) => n + c.args[1].length, 0),
          photos,
          "every photo chosen or dropped was added",
        );

        await page.getByTestId("search").pressSequentially(journey.search, { delay: 20 });
        await page.waitForFunction(() => document.querySelectorAll("[data-testid=product-row]").length === 1);
        assert.deepEqual(await page.getByTestId("product-title").allTextContents(), [journey.found], "found by part of its name");

        await page.evaluate(() => window.__VITRINE_MOCK__.menu("backup"));
        const toast = page.getByTestId("toast").filter({ hasText: journey.backedUp });
        await toast.waitFor();
        assert.equal(photos, 15);
        assert.equal(await page.getAttribute("html", "dir"), journey.dir, "still in the same direction");
        assert.deepEqual(app.pageErrors, []);
      } finally {
        await app.close();
      }
    });
  }
});
