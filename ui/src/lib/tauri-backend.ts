// The Backend inside the app: the generated bindings (commands and events), Tauri's dialog
// plugin and the window's drag-and-drop events, adapted to the UI's types. Only this file
// knows the bindings' runtime shapes.

import { Channel, convertFileSrc } from "@tauri-apps/api/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { open, save } from "@tauri-apps/plugin-dialog";
import {
  commands,
  events,
  type Image,
  type ImportProgress,
  type StorefrontProgress,
  type ImportReport as ReportDto,
  type IpcError,
  type NewProduct,
  type ProductPatch,
  type ProductView,
} from "./bindings";
import { BackendError, type Backend, type ImportReport, type ProductDetail, type ProductImage } from "./backend";

/** The URI scheme the Rust side registers to serve content-addressed photos. */
export const IMAGE_SCHEME = "vitrine-img";
/** The URI scheme the Rust side serves the storefront preview on. */
const SITE_SCHEME = "vitrine-site";

/** `vitrine-img://localhost/` (Linux, macOS) or `http://vitrine-img.localhost/` (Windows). */
function imageBase(): string {
  return convertFileSrc("", IMAGE_SCHEME);
}

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: IpcError };

function isIpcError(value: unknown): value is IpcError {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

async function call<T>(pending: Promise<CommandResult<T>>): Promise<T> {
  let result: CommandResult<T>;
  try {
    result = await pending;
  } catch (e) {
    throw new BackendError("internal", e instanceof Error ? e.message : String(e));
  }
  if (result.status === "ok") return result.data;
  // Tauri itself rejects with a plain string (unknown command, bad arguments, ACL denial).
  const error: unknown = result.error;
  if (isIpcError(error)) {
    const refused = error.field ? { field: error.field, detail: error.detail ?? error.message } : null;
    throw new BackendError(error.code, error.message, error.key ?? null, (error.params ?? {}) as Record<string, string>, refused);
  }
  throw new BackendError("internal", String(error));
}

function images(list: Image[]): ProductImage[] {
  return list.map(({ hash, width, height }) => ({ hash, width, height }));
}

function detail(view: ProductView): ProductDetail {
  return {
    id: view.id,
    sku: view.sku,
    title: view.title,
    description: view.description,
    brand: view.brand,
    price: view.price,
    salePrice: view.salePrice,
    saleWindow: view.saleWindow,
    availability: view.availability,
    condition: view.condition,
    stock: view.stock,
    link: view.link,
    collections: view.collections.map((c) => c.name),
    variant: view.variant,
    translations: view.translations,
    gtin: view.gtin,
    published: view.published,
    images: images(view.images),
    findings: view.findings,
  };
}

/**
 * The whole form as a patch. Optional text fields clear with "" (a patch's `null` would
 * leave them as they were); `stock` and `variant` clear with `null`.
 */
function patchOf(input: NewProduct): ProductPatch {
  return {
    ...input,
    currency: input.currency,
    salePrice: input.salePrice ?? "",
    saleWindow: input.saleWindow ?? "",
    link: input.link ?? "",
    gtin: input.gtin ?? "",
  };
}

function report(dto: ReportDto): ImportReport {
  const { format, reading, created, updated, unchanged, errors, rows, photosPending, cancelled } = dto;
  return { format, reading, created, updated, unchanged, errors, rows, photosPending, cancelled };
}

function progressChannel<P = ImportProgress>(onProgress: (p: P) => void): Channel<P> {
  const channel = new Channel<P>();
  channel.onmessage = onProgress;
  return channel;
}

const IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "heic", "heif", "avif", "gif", "bmp", "tif", "tiff"];
const BACKUP_FILTER = { name: "Vitrine backup", extensions: ["zip", "vitrine"] };

export const tauriBackend: Backend = {
  shop: () => call(commands.shop()),
  updateShop: (update) => call(commands.updateShop(update)),

  listProducts: (query) => call(commands.listProducts(query)),
  getProduct: async (key) => detail(await call(commands.getProduct(key))),
  addProduct: async (input) => detail(await call(commands.addProduct(input))),
  editProduct: async (key, input) => detail(await call(commands.editProduct(key, patchOf(input)))),
  checkInput: (existing, input) => call(commands.checkInput(existing, input)),
  removeProducts: (keys) => call(commands.removeProducts(keys)),
  undoRemoval: async (batch) => {
    await call(commands.undoRemoval(batch));
  },
  bulkEdit: async (keys, change) => (await call(commands.bulkEdit(keys, change))).changed,

  addImages: async (key, paths) => images((await call(commands.addImages(key, paths))).images),
  removeImage: async (key, index) => images((await call(commands.removeImage(key, index))).images),
  moveImage: async (key, from, to) => images((await call(commands.moveImage(key, from, to))).images),

  collections: async () => (await call(commands.collections())).map((c) => ({ id: c.id, name: c.name, count: c.products })),
  createCollection: async (name) => ({ ...(await call(commands.createCollection(name))), count: 0 }),
  renameCollection: async (key, name) => ({ ...(await call(commands.renameCollection(key, name))), count: 0 }),
  deleteCollection: async (key) => {
    await call(commands.deleteCollection(key));
  },

  previewImport: (file, choices) => call(commands.previewImport(file, choices)),
  importCsv: async (file, choices, onProgress) => report(await call(commands.importCsv(file, choices, progressChannel(onProgress)))),
  saveImportReport: async (path) => {
    await call(commands.saveImportReport(path));
  },
  pendingPhotoCount: () => call(commands.pendingPhotoCount()),
  retryPhotos: async () => {
    const { fetched, stillPending } = await call(commands.retryPhotos());
    return { fetched, stillPending: stillPending.map(({ sku, url, reason }) => ({ sku, url, reason })) };
  },
  importPhotoFolder: async (dir, onProgress) => report(await call(commands.importPhotoFolder(dir, progressChannel(onProgress)))),
  cancelImport: async () => {
    await call(commands.cancelImport());
  },
  exportCsv: async (path) => (await call(commands.exportCsv(path))).products,
  backup: (path) => call(commands.backup(path)),
  restore: (path) => call(commands.restore(path)),

  metaConnection: () => call(commands.metaConnection()),
  connectMeta: (input) => call(commands.connectMeta(input)),
  forgetMetaToken: async () => {
    await call(commands.forgetMetaToken());
  },
  checkMeta: () => call(commands.checkMeta()),
  setCommerce: (catalogVisible, cartEnabled) => call(commands.setCommerce(catalogVisible, cartEnabled)),
  imageHosting: () => call(commands.imageHosting()),
  setImageHosting: (publicBaseUrl, folder) => call(commands.setImageHosting(publicBaseUrl, folder)),
  setS3Hosting: (input) => call(commands.setS3Hosting(input)),
  publishImages: () => call(commands.publishImages()),
  importFromMeta: (onProgress) => call(commands.importFromMeta(progressChannel(onProgress))),
  syncPreview: () => call(commands.syncPreview()),
  syncItems: (state) => call(commands.syncItems(state)),
  runSync: (onProgress) => call(commands.runSync(progressChannel(onProgress))),
  reviewAtMeta: () => call(commands.reviewAtMeta()),
  deleteOrphans: () => call(commands.deleteOrphans()),

  shareLink: (target) => call(commands.shareLink(target)),
  qrSvg: (target, options) => call(commands.qrSvg(target, options)),
  saveQr: (target, options, path) => call(commands.saveQr(target, options, path)),
  posterPreview: (request) => call(commands.posterPreview(request)),
  savePoster: (request, path) => call(commands.savePoster(request, path)),
  printPoster: (request) => call(commands.printPoster(request)),
  labelsPreview: (request) => call(commands.labelsPreview(request)),
  saveLabels: (request, path) => call(commands.saveLabels(request, path)),
  printLabels: (request) => call(commands.printLabels(request)),
  orderText: (language) => call(commands.orderText(language)),
  setOrderText: (language, template) => call(commands.setOrderText(language, template)),
  shortLinks: () => call(commands.shortLinks()),
  refreshShortLinks: () => call(commands.refreshShortLinks()),
  createShortLink: (message, refTag) => call(commands.createShortLink(message, refTag)),
  updateShortLink: (code, message, refTag) => call(commands.updateShortLink(code, message, refTag)),
  deleteShortLink: async (code) => {
    await call(commands.deleteShortLink(code));
  },
  relayStatus: () => call(commands.relayStatus()),
  connectRelay: (url, token) => call(commands.connectRelay(url, token)),
  pullRelay: () => call(commands.pullRelay()),
  orders: (query) => call(commands.orders(query)),
  orderDetail: (id) => call(commands.orderDetail(id)),
  setOrderStatus: (id, status) => call(commands.setOrderStatus(id, status)),
  setOrderNote: (id, note) => call(commands.setOrderNote(id, note)),
  replyToOrder: (id, text) => call(commands.replyToOrder(id, text)),
  quickReplyText: (id, name, language) => call(commands.quickReplyText(id, name, language)),
  quickReplies: (language) => call(commands.quickReplies(language)),
  setQuickReply: (name, language, text) => call(commands.setQuickReply(name, language, text)),
  paymentDetails: () => call(commands.paymentDetails()),
  setPaymentDetails: (details) => call(commands.setPaymentDetails(details)),
  markOrderRead: (id) => call(commands.markOrderRead(id)),
  exportOrders: (query, path) => call(commands.exportOrders(query, path)),
  orderAnalytics: (query) => call(commands.orderAnalytics(query, Intl.DateTimeFormat().resolvedOptions().timeZone)),
  storefront: () => call(commands.storefront()),
  setStorefront: (update) => call(commands.setStorefront(update)),
  previewStorefront: () => call(commands.previewStorefront()),
  buildStorefront: (outDir) => call(commands.buildStorefront(outDir)),
  async publishStorefront(onProgress) {
    const channel = new Channel<StorefrontProgress>();
    channel.onmessage = onProgress;
    return call(commands.publishStorefront(channel));
  },
  storefrontPreviewUrl: (path) => convertFileSrc(path, SITE_SCHEME),
  async onInboxChanged(handler) {
    return events.inboxChanged.listen((event) => handler(event.payload));
  },
  async copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // WebKitGTK may refuse the async clipboard outside a user gesture: the old way works.
      const area = document.createElement("textarea");
      area.value = text;
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      const copied = document.execCommand("copy");
      area.remove();
      if (!copied) throw new BackendError("internal", "The clipboard is not available.");
    }
  },

  async pickImages() {
    const picked = await open({
      multiple: true,
      directory: false,
      filters: [{ name: "Photos", extensions: IMAGE_EXTENSIONS }],
    });
    return picked ?? [];
  },
  async pickCsv() {
    return open({ multiple: false, directory: false, filters: [{ name: "CSV", extensions: ["csv"] }] });
  },
  async pickFolder() {
    return open({ multiple: false, directory: true });
  },
  async pickBackup() {
    return open({ multiple: false, directory: false, filters: [BACKUP_FILTER] });
  },
  async pickSavePath(suggestedName, kind) {
    const filters = kind === "backup" ? [BACKUP_FILTER] : [{ name: kind.toUpperCase(), extensions: [kind] }];
    return save({ defaultPath: suggestedName, filters });
  },

  async onFileDrop(handlers) {
    return getCurrentWebview().onDragDropEvent((event) => {
      const payload = event.payload;
      if (payload.type === "enter" || payload.type === "over") handlers.hover(true);
      else if (payload.type === "leave") handlers.hover(false);
      else {
        handlers.hover(false);
        handlers.drop(payload.paths);
      }
    });
  },
  async onCloseRequested(keepOpen) {
    return getCurrentWindow().onCloseRequested((event) => {
      if (keepOpen()) event.preventDefault();
    });
  },
  async closeWindow() {
    await getCurrentWindow().destroy();
  },
  async onMenu(handler) {
    return events.menuAction.listen((event) => handler(event.payload.action));
  },
  setMenuLabels: (labels) => commands.setMenuLabels(labels),

  imageUrl: (hash) => `${imageBase()}${hash}`,
  thumbnailUrl: (hash) => `${imageBase()}thumb/${hash}`,
};
