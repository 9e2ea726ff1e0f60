// An in-memory catalog behind the Backend interface, for working on the UI in a plain
// browser (`npm run dev --workspace ui`) and for the browser tests (ui/e2e). Development
// only: `connectBackend` imports it behind `import.meta.env.DEV`.
//
// Tests steer it through `window.__VITRINE_MOCK__` (drop files, fire a menu item, choose
// what the next file dialog returns) and size it with `window.__VITRINE_MOCK_OPTIONS__`.

import {
  BackendError,
  type Backend,
  type CollectionInfo,
  type FileDropHandlers,
  type Finding,
  type ImportProgress,
  type ImportReport,
  type PendingPhoto,
  type RowOutcome,
  type MenuAction,
  type MenuLabels,
  type ProductDetail,
  type ProductImage,
  type ProductInput,
  type ProductSummary,
  type RestoreReport,
  type Shop,
} from "./backend";
import { currencyDecimals, normalisePrice } from "./format";
import { isGtin } from "./gtin";
import { readMockFile, SLOW_PHOTO_HOST } from "./mock-import";
import { createMockMeta, type MetaSource, type MockMetaControl, type MockMetaOptions } from "./mock-meta";
import { createMockOrders, type MockOrdersControl } from "./mock-orders";
import { createMockShare, type MockShareControl } from "./mock-share";
import { createMockStorefront } from "./mock-storefront";

export interface MockOptions extends MockMetaOptions {
  /** How many sample products the catalog starts with (default 48). */
  products?: number;
  /** Milliseconds each call takes, to show spinners (default 0). */
  latency?: number;
  /** Milliseconds per imported row (default 40; 0 does not wait at all). */
  importStep?: number;
  /** Products in the product file the file dialog picks (default 40). */
  importRows?: number;
  /** Start with the order relay connected (default false). */
  relayConnected?: boolean;
  /** What a restore answers it set aside (canned, as the Rust side reports it; default none). */
  restoreNotApplied?: RestoreReport["notApplied"];
}

export interface MockControl {
  drop(paths: string[]): void;
  hover(over: boolean): void;
  menu(action: MenuAction): void;
  /** What the app menu says now (the last labels the UI sent; `null` before any). */
  menuLabels: MenuLabels | null;
  /** What the next file dialog returns (`null`: the person cancels). */
  nextPick: string[] | string | null | undefined;
  calls: { cmd: string; args: unknown[] }[];
  /** Presses the window's close button; true when the window closed. */
  requestClose(): boolean;
  /** The window was closed (by the close button or `closeWindow`). */
  closed: boolean;
  /** The mock Meta: orphans at Meta, a failure for the next call. */
  meta: MockMetaControl;
  /** What was copied and printed. */
  share: MockShareControl;
  /** Carts arriving through the relay, replies sent. */
  orders: MockOrdersControl;
  /** Whether the slow photo host answers now (a retry then fetches its photos). */
  photosReachable: boolean;
}

declare global {
  interface Window {
    __VITRINE_MOCK__?: MockControl;
    __VITRINE_MOCK_OPTIONS__?: MockOptions;
  }
}

const PALETTE = ["#14b8a6", "#f97316", "#6366f1", "#e11d48", "#84cc16", "#0ea5e9", "#a855f7"];
const NAMES = [
  ["Camisa de linho", "Vestido floral", "Sandália de couro", "Bolsa de palha", "Brinco dourado"],
  ["عباءة مطرزة", "حجاب حرير", "عطر عود", "سجادة صلاة", "فانوس نحاسي"],
  ["Kain batik tulis", "Kemeja batik", "Tas anyaman", "Sambal bawang", "Kopi Gayo"],
  ["Kurta de algodón", "Bolso artesanal", "Taza de barro", "Vela aromática", "Rebozo tejido"],
];
const CURRENCIES = ["BRL", "EGP", "IDR", "MXN"];
const COLLECTION_NAMES = ["Novidades", "Promoções", "Verão", "Acessórios"];

interface StoredProduct extends Omit<ProductDetail, "findings"> {}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function hashOf(n: number): string {
  return `mock-${n}`;
}

export function createMockBackend(options: MockOptions = window.__VITRINE_MOCK_OPTIONS__ ?? {}): Backend {
  const latency = options.latency ?? 0;
  const importStep = options.importStep ?? 40;
  let imageCounter = 0;
  let shop: Shop = {
    name: "Loja da Ana",
    phone: { e164: "+5511987654321", international: "+55 11 98765-4321" },
    currency: "BRL",
    currencyDecimals: 2,
    languages: ["pt-BR", "en"],
    direction: "ltr",
    brand: "",
    logo: null,
  };
  const images = new Map<string, ProductImage & { colour: string }>();
  const products: StoredProduct[] = [];
  const collections: { id: string; name: string }[] = COLLECTION_NAMES.map((name, i) => ({
    id: `c${i + 1}`,
    name,
  }));
  const trash = new Map<number, { index: number; product: StoredProduct }[]>();
  let nextBatch = 1;
  let cancelRequested = false;
  const dropHandlers = new Set<FileDropHandlers>();
  const menuHandlers = new Set<(action: MenuAction) => void>();
  const closeHandlers = new Set<() => boolean>();

  function newImage(name: string): ProductImage {
    const n = imageCounter++;
    const wide = name.length % 3;
    const image = {
      hash: hashOf(n),
      width: wide === 0 ? 1200 : wide === 1 ? 800 : 1000,
      height: wide === 0 ? 800 : wide === 1 ? 1200 : 1000,
      colour: PALETTE[n % PALETTE.length]!,
    };
    images.set(image.hash, image);
    return { hash: image.hash, width: image.width, height: image.height };
  }

  function seed(count: number): void {
    for (let i = 0; i < count; i++) {
      const family = i % NAMES.length;
      const names = NAMES[family]!;
      const base = names[Math.floor(i / NAMES.length) % names.length]!;
      const currency = CURRENCIES[family]!;
      const decimals = currencyDecimals(currency);
      const whole = 20 + ((i * 37) % 480);
      const amount = decimals === 0 ? String(whole * 1000) : `${whole}.${"90".padEnd(decimals, "0")}`;
      const withPhoto = i % 7 !== 3;
      products.push({
        id: `p-${String(i + 1).padStart(5, "0")}`,
        sku: `SKU-${String(i + 1).padStart(5, "0")}`,
        title: `${base} ${i + 1}`,
        description: i % 5 === 2 ? "" : `${base}, feito à mão com carinho.`,
        brand: "Loja da Ana",
        price: { amount, currency },
        salePrice: null,
        saleWindow: null,
        availability: i % 11 === 5 ? "outOfStock" : i % 13 === 7 ? "availableForOrder" : "inStock",
        condition: "new",
        stock: i % 4 === 0 ? null : (i * 7) % 30,
        link: i % 6 === 1 ? null : `https://loja-da-ana.example/p/${i + 1}`,
        collections: [COLLECTION_NAMES[i % COLLECTION_NAMES.length]!],
        variant: null,
        translations: [],
        gtin: null,
        published: true,
        images: withPhoto ? [newImage(base + i)] : [],
      });
    }
  }
  seed(options.products ?? 48);

  function findingsFor(p: {
    title: string;
    description: string;
    brand: string;
    price: string;
    salePrice: string | null;
    availability: string | null;
    stock: number | null;
    link: string | null;
    images: number;
    attributes: number;
  }): Finding[] {
    const out: Finding[] = [];
    const add = (rule: string, severity: Finding["severity"], field: Finding["field"], message: string) =>
      out.push({ rule, severity, field, message });
    const title = p.title.trim();
    if (title.length > 200) add("title_too_long", "error", "title", "The title is longer than Meta's 200 characters.");
    if (title.length > 5 && title === title.toUpperCase() && /\p{Lu}/u.test(title))
      add("title_all_caps", "warning", "title", "A title in capitals looks like shouting.");
    const description = p.description.trim();
    if (description === "") add("description_missing", "error", "description", "Meta needs a description.");
    else if (description.toLowerCase() === title.toLowerCase())
      add("description_same_as_title", "error", "description", "The description repeats the title.");
    if (p.brand.trim() === "" && shop.brand.trim() === "")
      add("brand_missing", "error", "brand", "Meta needs a brand; set one here or a default in Settings.");
    if (Number(p.price) === 0) add("price_zero", "warning", "price", "The price is zero.");
    if (p.salePrice !== null && Number(p.salePrice) >= Number(p.price))
      add("sale_not_lower", "error", "salePrice", "The sale price must be lower than the price.");
    const link = p.link?.trim() ?? "";
    if (link === "") add("link_missing", "error", "link", "Meta needs a link to the product's page.");
    else if (!/^https?:\/\/[^\s/]+\.[^\s]+$/.test(link))
      add("link_invalid", "error", "link", "The link must start with https:// and be a web address.");
    if (p.images === 0) add("image_missing", "error", "images", "Meta needs at least one photo.");
    if (p.stock === 0 && p.availability === "inStock")
      add("stock_contradicts_availability", "warning", "availability", "Stock is 0 but the product says in stock.");
    if (p.attributes > 4)
      add("too_many_variant_attributes", "error", "variant", "Meta takes at most 4 variant attributes.");
    return out;
  }

  function stored(p: StoredProduct): Finding[] {
    return findingsFor({
      ...p,
      price: p.price.amount,
      salePrice: p.salePrice?.amount ?? null,
      images: p.images.length,
      attributes: p.variant?.attributes.length ?? 0,
    });
  }

  /** A product as the mock Meta sees it: Meta's field names, the photo by its hash. */
  function metaSource(p: StoredProduct): MetaSource {
    const fields: Record<string, string> = {
      title: p.title,
      description: p.description,
      brand: p.brand || shop.brand,
      price: `${p.price.amount} ${p.price.currency}`,
      availability: p.availability,
      condition: p.condition,
    };
    if (p.salePrice) fields.sale_price = `${p.salePrice.amount} ${p.salePrice.currency}`;
    if (p.link) fields.link = p.link;
    if (p.images[0]) fields.image_link = p.images[0].hash;
    const errors = stored(p).filter((f) => f.severity === "error");
    return { id: p.id, sku: p.sku, title: p.title, errors, fields };
  }
  const meta = createMockMeta(() => products.map(metaSource), options, (items) => {
    for (const item of items) {
      const [amount = "0", currency = shop.currency] = item.price.split(" ");
      products.unshift({
        id: `p-meta-${item.sku}`,
        sku: item.sku,
        title: item.title,
        description: `${item.title}, do catálogo do WhatsApp.`,
        brand: shop.brand || "Loja da Ana",
        price: { amount, currency },
        salePrice: null,
        saleWindow: null,
        availability: "inStock",
        condition: "new",
        stock: null,
        link: `https://loja-da-ana.example/p/${item.sku.toLowerCase()}`,
        collections: [],
        variant: null,
        translations: [],
        gtin: null,
        published: true,
        images: [newImage(item.sku)],
      });
    }
  });

  function detail(p: StoredProduct): ProductDetail {
    return structuredClone({ ...p, findings: stored(p) });
  }

  function summary(p: StoredProduct): ProductSummary {
    const findings = stored(p);
    return {
      id: p.id,
      sku: p.sku,
      title: p.title,
      price: p.price,
      salePrice: p.salePrice,
      availability: p.availability,
      stock: p.stock,
      thumbnail: p.images[0]?.hash ?? null,
      errors: findings.filter((f) => f.severity === "error").length,
      warnings: findings.filter((f) => f.severity === "warning").length,
      sync: meta.badge(metaSource(p)),
      published: p.published,
    };
  }

  function find(key: string): StoredProduct {
    const p = products.find((x) => x.id === key || x.sku === key);
    if (!p) throw new BackendError("notFound", `No product “${key}”.`);
    return p;
  }

  /** Validates a form the way the back end does; throws `invalidInput` naming the field. */
  function parse(input: ProductInput, existingId: string | null): Omit<StoredProduct, "id" | "images"> {
    const sku = input.sku.trim();
    // eslint-disable-next-line no-control-regex
    if (sku === "" || [...sku].length > 100 || /[\u0000-\u001f\u007f-\u009f]/.test(sku))
      throw new BackendError("invalidInput", "sku: up to 100 characters on one line", "error.invalid.sku", {}, { field: "sku", detail: "up to 100 characters on one line" });
    const clash = products.find((p) => p.sku === sku && p.id !== existingId);
    if (clash) throw new BackendError("conflict", `sku: another product already uses ${sku}`);
    const currency = input.currency ?? shop.currency;
    const price = normalisePrice(input.price, currency);
    if (price === null || price.startsWith("-"))
      throw new BackendError("invalidInput", `price: “${input.price}” is not a price in ${currency}`, "error.invalid.price", {}, { field: "price", detail: `“${input.price}” is not a price in ${currency}` });
    let salePrice = null;
    if (input.salePrice !== null && input.salePrice.trim() !== "") {
      const sale = normalisePrice(input.salePrice, currency);
      if (sale === null)
        throw new BackendError("invalidInput", `sale price: “${input.salePrice}” is not a price`, "error.invalid.salePrice", {}, { field: "salePrice", detail: `“${input.salePrice}” is not a price` });
      salePrice = { amount: sale, currency };
    }
    const gtin = input.gtin?.trim() ?? "";
    if (gtin !== "" && !isGtin(gtin))
      throw new BackendError("invalidInput", `gtin: “${gtin}” is not a barcode (GTIN): it needs 8, 12, 13 or 14 digits with a valid check digit`, null, {}, { field: "gtin", detail: `“${gtin}” is not a barcode (GTIN): it needs 8, 12, 13 or 14 digits with a valid check digit` });
    return {
      sku,
      title: input.title.trim(),
      description: input.description.trim(),
      brand: input.brand.trim(),
      price: { amount: price, currency },
      salePrice,
      saleWindow: salePrice ? input.saleWindow : null,
      availability: input.availability ?? "inStock",
      condition: input.condition ?? "new",
      stock: input.stock,
      link: input.link?.trim() || null,
      collections: [...input.collections],
      variant: input.variant,
      translations: input.translations.filter((t) => t.title.trim() !== "" || t.description.trim() !== ""),
      gtin: gtin === "" ? null : gtin,
      published: input.published ?? true,
    };
  }

  function ensureCollections(names: string[]): void {
    for (const name of names) {
      if (!collections.some((c) => c.name === name)) collections.push({ id: `c${collections.length + 1}`, name });
    }
  }

  function collectionInfo(c: { id: string; name: string }): CollectionInfo {
    return { ...c, count: products.filter((p) => p.collections.includes(c.name)).length };
  }

  async function runImport(
    rows: number,
    onProgress: (p: ImportProgress) => void,
    make: (i: number) => { product: StoredProduct | null; problem: string | null; name: string },
  ): Promise<ImportReport> {
    cancelRequested = false;
    const report = emptyReport("photoFolder", null);
    for (let i = 0; i < rows; i++) {
      if (cancelRequested) {
        report.cancelled = true;
        break;
      }
      const { product, problem, name } = make(i);
      onProgress({ done: i, total: rows });
      await delay(importStep);
      if (product) {
        products.push(product);
        report.created++;
        report.rows.push({ line: i + 1, sku: product.sku, result: { kind: "created" }, notes: [] });
      } else {
        report.errors.push({ line: i + 1, sku: name, message: problem ?? "" });
        report.rows.push({ line: i + 1, sku: name, result: { kind: "skipped", reason: problem ?? "" }, notes: [] });
      }
    }
    onProgress({ done: report.created + report.errors.length, total: rows });
    return report;
  }

  /** Photos imports could not download, until a retry fetches them. */
  let pendingPhotos: PendingPhoto[] = [];
  let lastImport: ImportReport | null = null;

  const share = createMockShare(
    () => shop,
    () =>
      products.map((p) => ({
        id: p.id,
        sku: p.sku,
        title: p.title,
        price: p.salePrice?.amount ?? p.price.amount,
        currency: p.price.currency,
        collections: p.collections,
      })),
    async () => (await meta.methods.metaConnection())?.phoneNumberId ?? null,
  );

  const inbox = createMockOrders(
    () =>
      products.map((p) => ({
        id: p.id,
        sku: p.sku,
        title: p.title,
        price: p.salePrice?.amount ?? p.price.amount,
        currency: p.price.currency,
        thumbnail: p.images[0]?.hash ?? null,
      })),
    { relayConnected: options.relayConnected ?? false },
  );

  const control: MockControl = {
    drop: (paths) => dropHandlers.forEach((h) => h.drop(paths)),
    hover: (over) => dropHandlers.forEach((h) => h.hover(over)),
    menu: (action) => menuHandlers.forEach((h) => h(action)),
    menuLabels: null,
    nextPick: undefined,
    calls: [],
    requestClose() {
      const kept = [...closeHandlers].some((keepOpen) => keepOpen());
      if (!kept) control.closed = true;
      return !kept;
    },
    closed: false,
    meta: meta.control,
    share: share.control,
    orders: inbox.control,
    photosReachable: true,
  };
  window.__VITRINE_MOCK__ = control;

  function pick<T>(fallback: T): T {
    const next = control.nextPick;
    control.nextPick = undefined;
    return next === undefined ? fallback : (next as T);
  }

  /** Wraps every method: records the call, waits `latency`, and copies results. */
  function recorded<B extends object>(impl: B): B {
    const out = {} as Record<string, unknown>;
    for (const [name, fn] of Object.entries(impl)) {
      if (typeof fn !== "function" || name.endsWith("Url") || name.startsWith("on")) {
        out[name] = fn;
        continue;
      }
      out[name] = async (...args: unknown[]) => {
        // Arguments cross as JSON, as they do over Tauri's IPC (no proxies, no shared objects).
        const plain = args.map((a) => (typeof a === "function" || a === undefined ? a : JSON.parse(JSON.stringify(a))));
        control.calls.push({ cmd: name, args: plain.filter((a) => typeof a !== "function") });
        if (latency > 0) await delay(latency);
        return (fn as (...a: unknown[]) => Promise<unknown>)(...plain);
      };
    }
    return out as B;
  }

  const backend: Backend = {
    ...meta.methods,
    ...share.methods,
    ...inbox.methods,
    ...createMockStorefront(
      () => shop.name,
      () => products.map((p) => p.title),
      () => collections.map((c) => c.name),
      async () => (await meta.methods.imageHosting()) !== null,
    ),
    async shop() {
      return structuredClone(shop);
    },
    async updateShop(update) {
      if (typeof update.phone === "string") {
        const digits = update.phone.replace(/[^\d+]/g, "");
        if (update.phone.trim() === "") {
          shop = { ...shop, phone: null };
        } else if (!/^\+?\d{10,15}$/.test(digits)) {
          throw new BackendError("invalidInput", "phone: this is not a WhatsApp number", "error.invalid.phone", {}, { field: "phone", detail: "this is not a WhatsApp number" });
        } else {
          const e164 = digits.startsWith("+") ? digits : `+55${digits}`;
          const d = e164.slice(3);
          shop = { ...shop, phone: { e164, international: `${e164.slice(0, 3)} ${d.slice(0, 2)} ${d.slice(2, -4)}-${d.slice(-4)}` } };
        }
      }
      if (update.logo) shop = { ...shop, logo: newImage(update.logo).hash };
      shop = {
        ...shop,
        name: update.name ?? shop.name,
        currency: update.currency ?? shop.currency,
        currencyDecimals: currencyDecimals(update.currency ?? shop.currency),
        languages: update.languages ?? shop.languages,
        brand: update.brand ?? shop.brand,
      };
      return structuredClone(shop);
    },
    async listProducts(query) {
      const needle = query.search?.trim().toLocaleLowerCase() ?? "";
      const matching = products.filter((p) => {
        if (needle !== "" && !`${p.title}\n${p.sku}\n${p.description}`.toLocaleLowerCase().includes(needle)) return false;
        if (query.collection && !p.collections.includes(query.collection)) return false;
        if (query.availability && p.availability !== query.availability) return false;
        if (query.problems) {
          const f = stored(p);
          if (query.problems === "errors" ? !f.some((x) => x.severity === "error") : f.length === 0) return false;
        }
        return true;
      });
      return {
        items: matching.slice(query.offset, query.offset + query.limit).map(summary),
        total: matching.length,
      };
    },
    async getProduct(key) {
      return detail(find(key));
    },
    async addProduct(input) {
      const fields = parse(input, null);
      ensureCollections(fields.collections);
      const product: StoredProduct = { ...fields, id: `p-new-${products.length + 1}-${Date.now()}`, images: [] };
      products.unshift(product);
      return detail(product);
    },
    async editProduct(key, input) {
      const product = find(key);
      const fields = parse(input, product.id);
      ensureCollections(fields.collections);
      Object.assign(product, fields);
      return detail(product);
    },
    async checkInput(existing, input) {
      const fields = parse(input, existing);
      return findingsFor({
        ...fields,
        price: fields.price.amount,
        salePrice: fields.salePrice?.amount ?? null,
        images: existing ? find(existing).images.length : 0,
        attributes: fields.variant?.attributes.length ?? 0,
      });
    },
    async removeProducts(keys) {
      const batch = nextBatch++;
      const removed: { index: number; product: StoredProduct }[] = [];
      for (const key of keys) {
        const index = products.findIndex((p) => p.id === key);
        if (index >= 0) removed.push({ index, product: products.splice(index, 1)[0]! });
      }
      trash.set(batch, removed);
      return { batch, removed: removed.map((r) => r.product.id) };
    },
    async undoRemoval(batch) {
      const removed = trash.get(batch);
      if (!removed) throw new BackendError("notFound", "That deletion can no longer be undone.");
      trash.delete(batch);
      for (const { index, product } of [...removed].reverse()) products.splice(index, 0, product);
    },
    async bulkEdit(keys, change) {
      let changed = 0;
      for (const key of keys) {
        const p = find(key);
        changed++;
        switch (change.kind) {
          case "setAvailability":
            p.availability = change.value;
            break;
          case "addToCollection":
            ensureCollections([change.value]);
            if (!p.collections.includes(change.value)) p.collections.push(change.value);
            break;
          case "removeFromCollection":
            p.collections = p.collections.filter((c) => c !== change.value);
            break;
          case "moveToCollection":
            ensureCollections([change.value]);
            p.collections = [change.value];
            break;
          case "adjustPrice": {
            const decimals = currencyDecimals(p.price.currency);
            const scale = 10 ** decimals;
            const minor = Math.round(Number(p.price.amount) * scale);
            const delta = Number(change.value.value);
            if (!Number.isFinite(delta)) throw new BackendError("invalidInput", "amount: not a number");
            const next =
              change.value.kind === "percent"
                ? Math.round(minor * (1 + delta / 100))
                : minor + Math.round(delta * scale);
            if (next < 0) throw new BackendError("invalidInput", `price: ${p.sku} would cost less than zero`, "error.invalid.price");
            p.price = { ...p.price, amount: (next / scale).toFixed(decimals) };
            break;
          }
        }
      }
      return changed;
    },
    async addImages(key, paths) {
      const p = find(key);
      for (const path of paths) {
        if (!/\.(jpe?g|png|webp|heic|gif)$/i.test(path))
          throw new BackendError("invalidInput", `${path.split("/").pop()}: not a photo Vitrine can read`, "error.image.notImage", {
            name: path.split("/").pop() ?? path,
          });
        p.images.push(newImage(path));
      }
      return structuredClone(p.images);
    },
    async removeImage(key, index) {
      const p = find(key);
      p.images.splice(index, 1);
      return structuredClone(p.images);
    },
    async moveImage(key, from, to) {
      const p = find(key);
      const [moved] = p.images.splice(from, 1);
      if (moved) p.images.splice(to, 0, moved);
      return structuredClone(p.images);
    },
    async collections() {
      return collections.map(collectionInfo);
    },
    async createCollection(name) {
      ensureCollections([name]);
      return collectionInfo(collections.find((c) => c.name === name)!);
    },
    async renameCollection(key, name) {
      const c = collections.find((x) => x.id === key || x.name === key);
      if (!c) throw new BackendError("notFound", "No such collection.");
      for (const p of products) p.collections = p.collections.map((n) => (n === c.name ? name : n));
      c.name = name;
      return collectionInfo(c);
    },
    async deleteCollection(key) {
      const index = collections.findIndex((x) => x.id === key || x.name === key);
      const [c] = collections.splice(index, 1);
      if (c) for (const p of products) p.collections = p.collections.filter((n) => n !== c.name);
    },
    async previewImport(file, choices) {
      const read = readMockFile(file, choices, options.importRows);
      return {
        format: read.format,
        reading: read.reading,
        products: read.rows.length,
        unreadable: read.unreadable,
        rows: read.rows.slice(0, 8).map((r) => ({
          line: r.line,
          sku: r.sku,
          title: r.title,
          price: r.price,
          currency: r.currency,
          availability: r.availability,
          stock: r.stock,
          photos: r.photos.length,
          notes: r.notes,
        })),
      };
    },
    async importCsv(file, choices, onProgress) {
      const read = readMockFile(file, choices, options.importRows);
      cancelRequested = false;
      const currency = choices.currency ?? shop.currency;
      const report: ImportReport = { ...emptyReport(read.format, read.reading), photosPending: [] };
      const record = (row: RowOutcome) => {
        report.rows.push(row);
        if (row.result.kind === "skipped") report.errors.push({ line: row.line, sku: row.sku, message: row.result.reason });
        else if (row.result.kind === "created" || row.result.kind === "updated" || row.result.kind === "unchanged")
          report[row.result.kind]++;
      };
      for (const e of read.unreadable) record({ line: e.line, sku: e.sku, result: { kind: "skipped", reason: e.message }, notes: [] });
      const seen = new Map<string, number>();
      const total = read.rows.length;
      for (const [i, row] of read.rows.entries()) {
        if (cancelRequested) {
          report.cancelled = true;
          break;
        }
        onProgress({ done: i, total });
        if (importStep > 0) await delay(importStep);
        const notes = [...row.notes];
        let sku = row.sku ?? (row.notes.find((n) => n.kind === "skuGenerated") as { sku: string } | undefined)?.sku ?? "";
        const first = seen.get(sku);
        if (first !== undefined && choices.dedupeSkus) {
          let n = 2;
          while (seen.has(`${sku}-${n}`)) n++;
          notes.push({ kind: "skuRenamed", original: sku, firstLine: first });
          sku = `${sku}-${n}`;
        }
        if (row.problem) {
          record({ line: row.line, sku, result: { kind: "skipped", reason: row.problem }, notes });
          continue;
        }
        const earlier = seen.get(sku);
        if (earlier !== undefined) {
          const reason = `this SKU already appeared on line ${earlier}; each product must appear once (or import with “give duplicates new SKUs”)`;
          record({ line: row.line, sku, result: { kind: "skipped", reason }, notes });
          continue;
        }
        seen.set(sku, row.line);
        const price = { amount: row.price ?? "0", currency: row.currency ?? currency };
        const availability = row.availability === "out of stock" ? "outOfStock" : "inStock";
        const existing = products.find((p) => p.sku === sku);
        if (existing) {
          const same = existing.title === row.title && existing.price.amount === price.amount && existing.price.currency === price.currency;
          if (!same) Object.assign(existing, { title: row.title, price, availability, stock: row.stock, published: row.published });
          record({ line: row.line, sku, result: { kind: same ? "unchanged" : "updated" }, notes });
          continue;
        }
        const product: StoredProduct = {
          ...products[0]!,
          id: `p-csv-${i}-${Date.now()}`,
          sku,
          title: row.title,
          price,
          salePrice: null,
          saleWindow: null,
          availability,
          stock: row.stock,
          collections: [],
          variant: null,
          translations: [],
          gtin: null,
          published: row.published,
          images: [],
        };
        for (const url of row.photos) {
          if (url.startsWith(SLOW_PHOTO_HOST)) report.photosPending!.push({ line: row.line, sku, url, reason: "the photo's server did not answer in time" });
          else product.images.push(newImage(url));
        }
        products.push(product);
        record({ line: row.line, sku, result: { kind: "created" }, notes });
      }
      onProgress({ done: report.rows.length, total });
      pendingPhotos = [...pendingPhotos, ...report.photosPending!];
      lastImport = report;
      return report;
    },
    async saveImportReport() {
      if (!lastImport) throw new BackendError("notFound", "There is no import report to save yet.");
    },
    async pendingPhotoCount() {
      return pendingPhotos.length;
    },
    async retryPhotos() {
      if (!control.photosReachable)
        return { fetched: 0, stillPending: pendingPhotos.map(({ sku, url, reason }) => ({ sku: sku ?? "", url, reason })) };
      let fetched = 0;
      for (const photo of pendingPhotos) {
        const product = products.find((p) => p.sku === photo.sku);
        if (product) {
          product.images.push(newImage(photo.url));
          fetched++;
        }
      }
      pendingPhotos = [];
      return { fetched, stillPending: [] };
    },
    async importPhotoFolder(dir, onProgress) {
      return runImport(12, onProgress, (i) => {
        const name = `foto-${i + 1}.jpg`;
        if (i === 7) return { product: null, problem: "not a photo Vitrine can read", name };
        return {
          name,
          problem: null,
          product: {
            ...products[0]!,
            id: `p-photo-${i}-${Date.now()}`,
            sku: `FOTO-${i + 1}`,
            title: `Foto ${i + 1}`,
            description: "",
            images: [newImage(`${dir}/${name}`)],
            collections: [],
          },
        };
      });
    },
    async cancelImport() {
      cancelRequested = true;
    },
    async exportCsv() {
      return products.length;
    },
    async backup() {
      return { products: products.length, images: images.size };
    },
    async restore() {
      return { products: products.length, images: images.size, notApplied: options.restoreNotApplied ?? [] };
    },
    async pickImages() {
      return pick<string[]>(["/home/ana/Fotos/produto-frente.jpg", "/home/ana/Fotos/produto-costas.jpg"]);
    },
    async pickCsv() {
      return pick<string | null>("/home/ana/catalogo.csv");
    },
    async pickFolder() {
      return pick<string | null>("/home/ana/Fotos");
    },
    async pickBackup() {
      return pick<string | null>("/home/ana/vitrine-backup.zip");
    },
    async pickSavePath(suggestedName) {
      return pick<string | null>(`/home/ana/${suggestedName}`);
    },
    async onFileDrop(handlers) {
      dropHandlers.add(handlers);
      return () => dropHandlers.delete(handlers);
    },
    async onCloseRequested(keepOpen) {
      closeHandlers.add(keepOpen);
      return () => closeHandlers.delete(keepOpen);
    },
    async closeWindow() {
      control.closed = true;
    },
    async onMenu(handler) {
      menuHandlers.add(handler);
      return () => menuHandlers.delete(handler);
    },
    async setMenuLabels(labels) {
      control.menuLabels = labels;
    },
    imageUrl: (hash) => picture(images.get(hash)),
    thumbnailUrl: (hash) => picture(images.get(hash)),
  };
  return recorded(backend);
}

function emptyReport(format: ImportReport["format"], reading: ImportReport["reading"]): ImportReport {
  return { format, reading, created: 0, updated: 0, unchanged: 0, cancelled: false, errors: [], rows: [] };
}

/** A flat-colour stand-in photo with the stored image's proportions. */
function picture(image: { colour: string; width: number; height: number } | undefined): string {
  const { colour = "#999", width = 600, height = 600 } = image ?? {};
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="${colour}"/><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#fff" opacity=".35"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
