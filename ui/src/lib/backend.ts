// The one door from the UI to the Rust back end. Components never call `invoke`, the
// generated bindings or Tauri's plugins directly: they get a `Backend`, which in the app
// wraps the generated bindings and, in a plain browser (development and the browser
// tests), is an in-memory mock with the same behaviour.
//
// Money is an exact decimal string plus an ISO 4217 code, never a float.

import type {
  Availability,
  BackupSummary,
  BulkChange,
  FileReading,
  Finding,
  ImportChoices,
  ImportFile,
  ImportFormat,
  ImportPreview,
  InputField,
  MenuActionKind,
  MenuLabels,
  NewProduct,
  RowOutcome,
  ProductQuery,
  RestoreReport,
  Shop,
  ShopUpdate,
  Translation,
  Variant,
} from "./bindings";

// The shapes shared with the Rust side come from the generated bindings (types only: no
// Tauri code reaches a plain browser). The few below are the UI's own, narrower views.
export type {
  Availability,
  BackupSummary,
  BulkChange,
  Condition,
  Delimiter,
  ErrorCode,
  FileReading,
  Finding,
  FindingField,
  ImportChoices,
  ImportFile,
  ImportFormat,
  ImportPreview,
  InputField,
  PreviewRow,
  RowError,
  RowNote,
  RowOutcome,
  RowResult,
  TextEncoding,
  MenuActionKind,
  MenuLabels,
  Phone,
  PriceAdjustment,
  ProblemFilter,
  ProductQuery,
  RestoreReport,
  Severity,
  Shop,
  ShopUpdate,
  Translation,
  Variant,
  VariantAttribute,
  CommerceSettings,
  ConnectInput,
  ConnectionCheck,
  HeldItem,
  ImageHosting,
  MetaConnection,
  MetaIssue,
  MetaItem,
  PlanAction,
  PlanLine,
  Rejection,
  SyncBadge,
  SyncCount,
  SyncItem,
  SyncItems,
  SyncPreview,
  SyncProgress,
  SyncReport,
  SyncState,
  TokenSource,
  S3Bucket,
  S3HostingInput,
  PublishReport,
  MetaImportIssue,
  MetaImportReport,
  ShareTarget,
  ShareLink,
  QrOptions,
  PosterRequest,
  LabelsRequest,
  LabelSelection,
  PrintSummary,
  OrderText,
  ShortLink,
  Order,
  OrderDetail,
  OrderLine,
  OrderQuery,
  OrderStatus,
  ThreadEntry,
  ReplyWindow,
  SentReply,
  QuickReplyText,
  RelayStatus,
  PullReport,
  OrdersExport,
  OrderAnalytics,
  PeriodTotals,
  ProductSales,
  ChannelCount,
  LineProduct,
  Customer,
  InboxChanged,
  PaymentDetails,
  StorefrontSettings,
  StorefrontUpdate,
  StorefrontBuild,
  StorefrontPublish,
  StorefrontProgress,
} from "./bindings";
import type {
  StorefrontSettings,
  StorefrontUpdate,
  StorefrontBuild,
  StorefrontPublish,
  StorefrontProgress,
  PaymentDetails,
  Order,
  OrderDetail,
  OrderQuery,
  OrderStatus,
  SentReply,
  QuickReplyText,
  RelayStatus,
  PullReport,
  OrdersExport,
  OrderAnalytics,
  InboxChanged,
  ShareTarget,
  ShareLink,
  QrOptions,
  PosterRequest,
  LabelsRequest,
  PrintSummary,
  OrderText,
  ShortLink,
  MetaImportReport,
  PublishReport,
  S3HostingInput,
  CommerceSettings,
  Condition,
  ConnectInput,
  ConnectionCheck,
  ErrorCode,
  ImageHosting,
  MetaConnection,
  MetaItem,
  SyncBadge,
  SyncItems,
  SyncPreview,
  SyncProgress,
  SyncReport,
  SyncState,
} from "./bindings";

/** A product as the editor sends it: prices are decimals in `currency` (the shop's if null). */
export type ProductInput = NewProduct;
export type MenuAction = MenuActionKind;

/** An exact amount: `{ amount: "1234.50", currency: "BRL" }`. */
export interface Money {
  amount: string;
  currency: string;
}

/** One line of the catalog list. */
export interface ProductSummary {
  id: string;
  sku: string;
  title: string;
  price: Money;
  salePrice: Money | null;
  availability: Availability;
  /** `null`: stock is not tracked for this product. */
  stock: number | null;
  /** Content hash of the main photo. */
  thumbnail: string | null;
  /** Meta pre-flight findings that block a sync. */
  errors: number;
  /** Meta pre-flight findings worth a look. */
  warnings: number;
  /** Against the WhatsApp catalog; `null` until a Meta catalog is connected. */
  sync: SyncBadge | null;
  /** False for a draft. Absent (taken as published) until the back end's list sends it. */
  published?: boolean;
}

export interface ProductPage {
  items: ProductSummary[];
  /** All products matching the query, not just this page. */
  total: number;
}

export interface ProductImage {
  hash: string;
  width: number;
  height: number;
}

/** A saved product with what the editor shows around it. */
export interface ProductDetail {
  id: string;
  sku: string;
  title: string;
  description: string;
  brand: string;
  price: Money;
  salePrice: Money | null;
  saleWindow: string | null;
  availability: Availability;
  condition: Condition;
  stock: number | null;
  link: string | null;
  /** Collection names. */
  collections: string[];
  variant: Variant | null;
  translations: Translation[];
  /** The barcode (GTIN), sent to Meta. */
  gtin: string | null;
  /** False for a draft kept out of WhatsApp, the feed and the storefront. */
  published: boolean;
  images: ProductImage[];
  findings: Finding[];
}

export interface CollectionInfo {
  id: string;
  name: string;
  count: number;
}

export interface RemovedBatch {
  batch: number;
  removed: string[];
}

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportRowError {
  /** 1-based, the header being line 1 (for a photo folder, the photo's position). */
  line: number;
  sku: string | null;
  message: string;
}

/** A product's photo that could not be downloaded during an import; it is fetched again
 *  by `retryPhotos`. */
export interface PendingPhoto {
  line: number;
  sku: string | null;
  url: string;
  reason: string;
}

export interface ImportReport {
  format: ImportFormat;
  /** How the file's text was read; `null` for a folder of photos. */
  reading: FileReading | null;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows that were not imported, and why. */
  errors: ImportRowError[];
  /** Every row, in file order. */
  rows: RowOutcome[];
  /** Photos left to download later (absent when the back end does not report them). */
  photosPending?: PendingPhoto[];
  /** Stopped by `cancelImport`; rows before that were saved. */
  cancelled: boolean;
}

/** What a retry of the pending photos did. */
export interface PhotoRetry {
  fetched: number;
  stillPending: { sku: string; url: string; reason: string }[];
}

export interface FileDropHandlers {
  /** Files are being dragged over the window (true) or left it (false). */
  hover(over: boolean): void;
  drop(paths: string[]): void;
}

export interface Backend {
  shop(): Promise<Shop>;
  updateShop(update: ShopUpdate): Promise<Shop>;

  listProducts(query: ProductQuery): Promise<ProductPage>;
  getProduct(key: string): Promise<ProductDetail>;
  addProduct(input: ProductInput): Promise<ProductDetail>;
  editProduct(key: string, input: ProductInput): Promise<ProductDetail>;
  /** Meta's findings for an unsaved form; `existing` (id) supplies its saved photos. */
  checkInput(existing: string | null, input: ProductInput): Promise<Finding[]>;
  removeProducts(keys: string[]): Promise<RemovedBatch>;
  undoRemoval(batch: number): Promise<void>;
  bulkEdit(keys: string[], change: BulkChange): Promise<number>;

  /** Each returns the product's photos afterwards, in order (the first is the main one). */
  addImages(key: string, paths: string[]): Promise<ProductImage[]>;
  removeImage(key: string, index: number): Promise<ProductImage[]>;
  moveImage(key: string, from: number, to: number): Promise<ProductImage[]>;

  collections(): Promise<CollectionInfo[]>;
  createCollection(name: string): Promise<CollectionInfo>;
  renameCollection(key: string, name: string): Promise<CollectionInfo>;
  deleteCollection(key: string): Promise<void>;

  /** How a product file (a path, or the `https` link of a published sheet) reads, with
   *  its first products, under `choices`. */
  previewImport(file: ImportFile, choices: ImportChoices): Promise<ImportPreview>;
  importCsv(file: ImportFile, choices: ImportChoices, onProgress: (p: ImportProgress) => void): Promise<ImportReport>;
  /** Writes the last file import's row-by-row report as CSV at `path`. */
  saveImportReport(path: string): Promise<void>;
  /** Photos imports could not download yet. */
  pendingPhotoCount(): Promise<number>;
  /** Tries the pending photos again. */
  retryPhotos(): Promise<PhotoRetry>;
  importPhotoFolder(dir: string, onProgress: (p: ImportProgress) => void): Promise<ImportReport>;
  cancelImport(): Promise<void>;
  exportCsv(path: string): Promise<number>;
  backup(path: string): Promise<BackupSummary>;
  restore(path: string): Promise<RestoreReport>;

  /** The WhatsApp catalog: connection (the token goes to the OS keychain), photo hosting,
   *  the plan, a sync with progress, each product's state, and Meta's own review. */
  metaConnection(): Promise<MetaConnection | null>;
  connectMeta(input: ConnectInput): Promise<MetaConnection>;
  forgetMetaToken(): Promise<void>;
  checkMeta(): Promise<ConnectionCheck>;
  setCommerce(catalogVisible: boolean, cartEnabled: boolean): Promise<CommerceSettings>;
  imageHosting(): Promise<ImageHosting | null>;
  setImageHosting(publicBaseUrl: string, folder: string | null): Promise<ImageHosting>;
  /** Photos to an S3-compatible bucket; the secret key goes to the keychain. */
  setS3Hosting(input: S3HostingInput): Promise<ImageHosting>;
  publishImages(): Promise<PublishReport>;
  /** Brings the WhatsApp catalog's items Vitrine lacks into the catalog. */
  importFromMeta(onProgress: (p: ImportProgress) => void): Promise<MetaImportReport>;
  syncPreview(): Promise<SyncPreview>;
  syncItems(state: SyncState | null): Promise<SyncItems>;
  runSync(onProgress: (p: SyncProgress) => void): Promise<SyncReport>;
  reviewAtMeta(): Promise<MetaItem[]>;
  deleteOrphans(): Promise<number>;

  /** Sharing: wa.me links, QR codes, posters and shelf labels (previews are image URLs the
   *  page shows as they are), the order message per language, and Meta's short links. */
  shareLink(target: ShareTarget): Promise<ShareLink>;
  /** SVG markup of the target's QR code. */
  qrSvg(target: ShareTarget, options: QrOptions): Promise<string>;
  /** Writes the code to a .png or .svg file; returns the URL it opens. */
  saveQr(target: ShareTarget, options: QrOptions, path: string): Promise<string>;
  posterPreview(request: PosterRequest): Promise<string>;
  savePoster(request: PosterRequest, path: string): Promise<PrintSummary>;
  /** Writes the PDF and opens it in the system's viewer to print. */
  printPoster(request: PosterRequest): Promise<PrintSummary>;
  labelsPreview(request: LabelsRequest): Promise<string>;
  saveLabels(request: LabelsRequest, path: string): Promise<PrintSummary>;
  printLabels(request: LabelsRequest): Promise<PrintSummary>;
  orderText(language: string): Promise<OrderText>;
  /** Empty restores the built-in message. */
  setOrderText(language: string, template: string): Promise<OrderText>;
  /** As last seen, without calling Meta. */
  shortLinks(): Promise<ShortLink[]>;
  refreshShortLinks(): Promise<ShortLink[]>;
  createShortLink(message: string, refTag: string | null): Promise<ShortLink>;
  updateShortLink(code: string, message: string, refTag: string | null): Promise<ShortLink>;
  deleteShortLink(code: string): Promise<void>;
  /** Puts text on the system clipboard. */
  copyText(text: string): Promise<void>;

  /** The order inbox: the relay connection (the device token goes to the keychain), orders
   *  joined with the catalog, their status and note, replies in WhatsApp's 24-hour window,
   *  CSV export and analytics. */
  relayStatus(): Promise<RelayStatus | null>;
  connectRelay(url: string, token: string | null): Promise<RelayStatus>;
  pullRelay(): Promise<PullReport>;
  orders(query: OrderQuery): Promise<Order[]>;
  orderDetail(id: number): Promise<OrderDetail>;
  setOrderStatus(id: number, status: OrderStatus): Promise<OrderDetail>;
  setOrderNote(id: number, note: string): Promise<OrderDetail>;
  replyToOrder(id: number, text: string): Promise<SentReply>;
  /** A quick reply filled in for the order, to review before sending. */
  quickReplyText(id: number, name: string, language: string | null): Promise<string>;
  quickReplies(language: string | null): Promise<QuickReplyText[]>;
  /** Empty restores the built-in text. */
  setQuickReply(name: string, language: string, text: string): Promise<QuickReplyText>;
  paymentDetails(): Promise<PaymentDetails>;
  setPaymentDetails(details: PaymentDetails): Promise<PaymentDetails>;
  markOrderRead(id: number): Promise<number>;
  exportOrders(query: OrderQuery, path: string): Promise<OrdersExport>;
  /** Days and weeks in the computer's time zone, which the backend names. */
  orderAnalytics(query: OrderQuery): Promise<OrderAnalytics>;
  /** The storefront: settings, an in-app preview (`storefrontPreviewUrl` shows it), a
   *  build into a folder, and a publish beside the photos with progress. */
  storefront(): Promise<StorefrontSettings>;
  setStorefront(update: StorefrontUpdate): Promise<StorefrontSettings>;
  previewStorefront(): Promise<StorefrontBuild>;
  buildStorefront(outDir: string): Promise<StorefrontBuild>;
  publishStorefront(onProgress: (p: StorefrontProgress) => void): Promise<StorefrontPublish>;
  /** Where the webview loads the preview's page at `path` (`index.html`). */
  storefrontPreviewUrl(path: string): string;
  /** Something arrived from the relay. Returns the unsubscribe. */
  onInboxChanged(handler: (change: InboxChanged) => void): Promise<() => void>;

  /** Native dialogs; `null` or `[]` when the person cancels. */
  pickImages(): Promise<string[]>;
  pickCsv(): Promise<string | null>;
  pickFolder(): Promise<string | null>;
  pickBackup(): Promise<string | null>;
  pickSavePath(suggestedName: string, kind: "csv" | "backup" | "pdf" | "png" | "svg"): Promise<string | null>;

  /** Files dropped on the window (their paths on disk). Returns the unsubscribe. */
  onFileDrop(handlers: FileDropHandlers): Promise<() => void>;
  /** The window's close button: `keepOpen` returning true stops the close (to ask first).
   *  Returns the unsubscribe. */
  onCloseRequested(keepOpen: () => boolean): Promise<() => void>;
  /** Closes the window now, without asking. */
  closeWindow(): Promise<void>;
  /** The app menu's items (File → Import CSV…). Returns the unsubscribe. */
  onMenu(handler: (action: MenuAction) => void): Promise<() => void>;
  /** The app menu's words, in the UI's language. */
  setMenuLabels(labels: MenuLabels): Promise<void>;

  /** A URL the webview can load a stored photo from, by its content hash. */
  imageUrl(hash: string): string;
  /** The same photo's 256-pixel thumbnail, for lists. */
  thumbnailUrl(hash: string): string;
}

/** A failed back-end call. `code` is what the UI branches on; `message` is for people. */
export class BackendError extends Error {
  readonly code: ErrorCode;
  /** The UI's message id for this failure, when the back end gives one; `message` is the
   *  English fallback. */
  readonly key: string | null;
  readonly params: Record<string, string>;
  /** The input refused, typed: a form shows the refusal next to it. */
  readonly field: InputField | null;
  /** What is wrong with `field`, in English, without naming it (`message` names it). */
  readonly detail: string | null;

  constructor(
    code: ErrorCode,
    message: string,
    key: string | null = null,
    params: Record<string, string> = {},
    refused: { field: InputField; detail: string } | null = null,
  ) {
    super(message);
    this.name = "BackendError";
    this.code = code;
    this.key = key;
    this.params = params;
    this.field = refused?.field ?? null;
    this.detail = refused?.detail ?? null;
  }
}

function inTauri(): boolean {
  return "__TAURI_INTERNALS__" in window;
}

/**
 * The back end for this page: the Rust one inside the app (or under Tauri's IPC mocks in
 * tests); in a plain browser during development, an in-memory catalog so the UI can be
 * worked on without building the app. Production bundles contain no mock.
 */
export async function connectBackend(): Promise<Backend> {
  if (inTauri()) {
    const { tauriBackend } = await import("./tauri-backend");
    return tauriBackend;
  }
  if (import.meta.env.DEV) {
    const { createMockBackend } = await import("./mock-backend");
    return createMockBackend();
  }
  throw new BackendError("internal", "Vitrine's back end is not available in this window.");
}
