// The storefront in a real browser: a site built by the real `vitrine` binary from a small
// catalog, served by a static file server on loopback, browsed in Debian's chromium
// (playwright-core). A customer switches to Arabic, fills the cart, and "Order on WhatsApp"
// opens the exact wa.me link with the order written out; axe-core audits the pages.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";
import { chromium } from "playwright-core";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const NUMBER = "5511987654321";

/** The `vitrine` binary `make build` made; built here when it is missing. */
function vitrineBinary() {
  if (process.env.VITRINE_BIN) return process.env.VITRINE_BIN;
  const bin = join(process.env.CARGO_TARGET_DIR ?? join(REPO, "target"), "debug", "vitrine");
  if (!existsSync(bin)) {
    execFileSync("cargo", ["build", "--workspace", "--all-targets"], { cwd: REPO, stdio: "inherit" });
  }
  return bin;
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A 600×600 PNG photo: a gradient tinted by `tint`. */
function photo(tint) {
  const side = 600;
  const raw = Buffer.alloc(side * (side * 3 + 1));
  for (let y = 0; y < side; y++) {
    const row = y * (side * 3 + 1);
    for (let x = 0; x < side; x++) {
      raw[row + 1 + x * 3] = (x * 255) / side;
      raw[row + 2 + x * 3] = (y * 255) / side;
      raw[row + 3 + x * 3] = tint;
    }
  }
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".jpg": "image/jpeg",
  ".txt": "text/plain; charset=utf-8",
};

/** A static file server over `root` on 127.0.0.1. */
function serve(root) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** RFC 3986 percent-encoding, as wa.me links are written. */
function rfc3986(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

let dir;
let server;
let base;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "vitrine-storefront-"));
  const data = join(dir, "data");
  const site = join(dir, "site");
  const bin = vitrineBinary();
  const vitrine = (...args) => execFileSync(bin, ["--data-dir", data, ...args], { encoding: "utf8" });
  vitrine("shop", "set", "--name", "Loja da Ana", "--phone", "+55 11 98765-4321", "--currency", "BRL", "--languages", "pt-BR,ar");
  vitrine(
    "product",
    "add",
    "--sku",
    "VASO-1",
    "--title",
    "Vaso azul",
    "--price",
    "49.90",
    "--description",
    "Vaso de barro pintado à mão.",
    "--title-in",
    "ar=مزهرية زرقاء",
    "--collection",
    "Barro",
  );
  vitrine("product", "add", "--sku", "CANECA-2", "--title", "Caneca", "--price", "19.90", "--description", "Caneca esmaltada.", "--title-in", "ar=كوب");
  for (const [sku, tint] of [
    ["VASO-1", 40],
    ["CANECA-2", 200],
  ]) {
    const file = join(dir, `${sku}.png`);
    writeFileSync(file, photo(tint));
    vitrine("image", "add", sku, file);
  }
  server = await serve(site);
  base = `http://127.0.0.1:${server.address().port}`;
  vitrine("storefront", "build", "--out", site, "--base-url", base);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh browser context that never leaves loopback: wa.me answers with a stub page. */
async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const waMe = [];
  await context.route(/^https:\/\/wa\.me\//, (route) => {
    waMe.push(route.request().url());
    return route.fulfill({ status: 200, contentType: "text/html", body: "<title>WhatsApp</title>" });
  });
  await context.route(
    (url) => !url.href.startsWith(base) && !url.href.startsWith("https://wa.me/"),
    (route) => route.abort(),
  );
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  return { context, page, errors, waMe };
}

async function seriousViolations(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("a customer browses, switches to Arabic, fills the cart and orders on WhatsApp", async () => {
  const { context, page, errors, waMe } = await open();
  await page.goto(`${base}/`);
  await page.waitForURL(`${base}/pt-BR/index.html`);
  assert.equal(await page.locator("h1").textContent(), "Loja da Ana");
  assert.equal(await page.locator("html").getAttribute("dir"), "ltr");

  await page.getByRole("link", { name: "Vaso azul" }).click();
  await page.waitForURL(`${base}/pt-BR/p/VASO-1.html`);
  assert.equal(await page.locator(".details .price span").first().textContent(), "R$ 49,90");
  const ask = await page.locator("[data-ask]").getAttribute("href");
  assert.equal(
    ask,
    `https://wa.me/${NUMBER}?text=${rfc3986("Olá! Quero pedir Vaso azul (VASO-1), R$ 49,90.\n\nRef: storefront")}`,
    "Ask on WhatsApp prefills the product's order text with the storefront ref",
  );

  await page.getByRole("link", { name: "العربية" }).click();
  await page.waitForURL(`${base}/ar/p/VASO-1.html`);
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl", "Arabic pages are right to left");
  assert.equal(await page.locator("h1").textContent(), "مزهرية زرقاء");

  await page.getByLabel("الكمية").fill("2");
  await page.getByRole("button", { name: "أضف إلى الطلب" }).click();
  await page.getByRole("link", { name: "كل المنتجات" }).click();
  await page.waitForURL(`${base}/ar/index.html`);
  await page.locator(".card", { hasText: "كوب" }).getByRole("button", { name: "أضف إلى الطلب" }).click();
  assert.equal(await page.locator("[data-cart-lines] li").count(), 2, "two products in the cart");

  const expected = [
    "مرحبًا! أود طلب:",
    "2 × مزهرية زرقاء (VASO-1): 99.80 \u2066R$\u2069",
    "1 × كوب (CANECA-2): 19.90 \u2066R$\u2069",
    "الإجمالي: 119.70 \u2066R$\u2069",
    "",
    "المرجع: storefront",
  ].join("\n");
  const [popup] = await Promise.all([context.waitForEvent("page"), page.getByRole("link", { name: "اطلب عبر واتساب" }).click()]);
  await popup.waitForLoadState();
  const url = waMe.at(-1);
  assert.equal(url, `https://wa.me/${NUMBER}?text=${rfc3986(expected)}`, "the exact wa.me link");
  assert.equal(popup.url(), url, "the new tab opened it");
  assert.equal(decodeURIComponent(url.split("?text=")[1]), expected, "the order written out in Arabic");
  assert.deepEqual(errors, [], "no script errors");
  await context.close();
});

test("the cart survives navigation and the order text follows the page's language", async () => {
  const { context, page } = await open();
  await page.goto(`${base}/pt-BR/p/CANECA-2.html`);
  await page.getByLabel("Quantidade").fill("3");
  await page.getByRole("button", { name: "Adicionar ao pedido" }).click();
  await page.goto(`${base}/pt-BR/index.html`);
  const href = await page.locator("[data-order]").getAttribute("href");
  assert.equal(decodeURIComponent(href.split("?text=")[1]), "Olá! Quero pedir:\n3 × Caneca (CANECA-2): R$ 59,70\nTotal: R$ 59,70\n\nRef: storefront");
  await context.close();
});

test("browsing works without JavaScript", async () => {
  const { context, page } = await open({ javaScriptEnabled: false });
  await page.goto(`${base}/pt-BR/index.html`);
  await page.getByRole("link", { name: "Barro" }).click();
  await page.waitForURL(`${base}/pt-BR/c/barro.html`);
  await page.getByRole("link", { name: "Vaso azul" }).click();
  await page.waitForURL(`${base}/pt-BR/p/VASO-1.html`);
  assert.equal(await page.locator("h1").textContent(), "Vaso azul");
  assert.equal(await page.getByRole("button", { name: "Adicionar ao pedido" }).count(), 0, "no dead cart buttons");
  await context.close();
});

test("axe-core finds no serious or critical violations", async () => {
  const { context, page } = await open();
  for (const path of ["pt-BR/index.html", "pt-BR/p/VASO-1.html", "ar/index.html", "ar/p/CANECA-2.html"]) {
    await page.goto(`${base}/${path}`);
    if (path.startsWith("ar/p/")) await page.getByRole("button", { name: "أضف إلى الطلب" }).click();
    assert.deepEqual(await seriousViolations(page), [], path);
  }
  await context.close();
});
