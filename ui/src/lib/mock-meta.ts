// Meta, as the mock back end plays it: a connection (the token is kept here and never
// returned), photo hosting, a WhatsApp catalog that remembers what each sync sent, Meta's
// review, and orphans left by another tool. Follows the Rust side's rules: products with
// pre-flight errors are held, an unchanged product is not resent, an update sends only the
// changed fields, Meta refuses replicas (as its Commerce Policy does) and warns about titles
// over 100 characters (as items_batch does). Its review answers in Meta's own case
// (`FETCHED`, `FETCH_FAILED`): the first item synced is rejected by review and the second's
// photo could not be fetched.
//
// Tests steer it through `window.__VITRINE_MOCK__.meta`.

import {
  BackendError,
  type Backend,
  type ConnectionCheck,
  type Finding,
  type ImageHosting,
  type MetaConnection,
  type MetaItem,
  type PlanLine,
  type SyncBadge,
  type SyncItem,
  type SyncState,
} from "./backend";

/** A catalog product as far as Meta is concerned. */
export interface MetaSource {
  id: string;
  sku: string;
  title: string;
  /** Pre-flight errors (held while there are any). */
  errors: Finding[];
  /** Meta's field name → value, as the product would be sent now. */
  fields: Record<string, string>;
}

export interface MockMetaOptions {
  /** Start connected, with hosting set and nothing synced yet (default false). */
  metaConnected?: boolean;
  /** Milliseconds per batch of a sync (default 150). */
  syncStep?: number;
}

export interface MockMetaControl {
  /** Items at Meta that Vitrine does not have (left by another tool). */
  orphans: string[];
  /** Fail the next call to Meta with this code and message. */
  failNext: { code: "network" | "invalidInput"; message: string; key?: string } | null;
}

/** An item at Meta that an import brings into the catalog. */
export interface MetaOrphan {
  sku: string;
  title: string;
  /** Meta's price text, e.g. `"89.90 BRL"`. */
  price: string;
}

type MetaMethods = Pick<
  Backend,
  | "metaConnection"
  | "connectMeta"
  | "forgetMetaToken"
  | "checkMeta"
  | "setCommerce"
  | "imageHosting"
  | "setImageHosting"
  | "setS3Hosting"
  | "publishImages"
  | "importFromMeta"
  | "syncPreview"
  | "syncItems"
  | "runSync"
  | "reviewAtMeta"
  | "deleteOrphans"
>;

const BATCH = 5000;
const REPLICA = /r[ée]plica|replica/i;
const REPLICA_MESSAGE =
  "This item may be a counterfeit or replica, which isn't allowed by Meta's Commerce Policies.";

/** Meta's review of the first item synced: a rejection that names the field to fix. */
const REVIEW_REJECTION = {
  // What Rust reads from Meta's error type; `null` when Meta sends none.
  field: "price" as const,
  title: "Item rejected",
  description: "The price of this item is much higher than similar items.",
  callToAction: "Check the price, then save the item again.",
};

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const ORPHAN_TITLES: Record<string, string> = { "OLD-SHOP-001": "Cesta de vime", "OLD-SHOP-002": "Toalha bordada" };

export function createMockMeta(
  sources: () => MetaSource[],
  options: MockMetaOptions,
  /** Adds imported items to the catalog. */
  adopt: (items: MetaOrphan[]) => void,
): { methods: MetaMethods; badge(source: MetaSource): SyncBadge | null; control: MockMetaControl } {
  const step = options.syncStep ?? 150;
  let connection: MetaConnection | null = options.metaConnected
    ? { catalogId: "1234567890", wabaId: null, phoneNumberId: "1098765432", token: "keychain" }
    : null;
  let token: string | null = options.metaConnected ? "EAAmock" : null;
  let hosting: ImageHosting | null = options.metaConnected
    ? { publicBaseUrl: "https://fotos.loja-da-ana.example", folder: null, bucket: null }
    : null;
  let commerce = { catalogVisible: false, cartEnabled: true };
  let bucketSecret = false;
  const published = new Set<string>();
  /** What Meta holds from us: sku → fields as last sent. */
  const sent = new Map<string, Record<string, string>>();
  const metaIds = new Map<string, string>();
  /** Meta's refusals: sku → the fields refused and why. */
  const rejected = new Map<string, { fields: string; message: string }>();
  /** Meta's warnings on what it holds: sku → message. */
  const warned = new Map<string, string>();
  const lastRun = new Set<string>();
  let lastSyncedAt: string | null = null;
  let everSynced = false;
  const control: MockMetaControl = { orphans: ["OLD-SHOP-001", "OLD-SHOP-002"], failNext: null };

  const key = (fields: Record<string, string>) => JSON.stringify(fields);

  function withImages(source: MetaSource): Record<string, string> {
    const fields = { ...source.fields };
    if (fields.image_link && hosting) fields.image_link = `${hosting.publicBaseUrl}/${fields.image_link}.jpg`;
    return fields;
  }

  function badge(source: MetaSource): SyncBadge | null {
    if (!connection && !everSynced) return null;
    const now = withImages(source);
    const refusal = rejected.get(source.sku);
    const message = refusal?.message ?? null;
    if (source.errors.length > 0) return { state: "held", message: null };
    if (refusal && refusal.fields === key(now)) return { state: "rejected", message };
    const held = sent.get(source.sku);
    if (!held) return { state: "new", message };
    if (key(held) !== key(now)) return { state: "changed", message };
    const warning = warned.get(source.sku);
    return warning ? { state: "warning", message: warning } : { state: "synced", message };
  }

  function plan(): { lines: PlanLine[]; held: MetaSource[] } {
    const lines: PlanLine[] = [];
    const held: MetaSource[] = [];
    const present = new Set<string>();
    for (const source of sources()) {
      present.add(source.sku);
      if (source.errors.length > 0) {
        held.push(source);
        continue;
      }
      const now = withImages(source);
      const before = sent.get(source.sku);
      if (!before) lines.push({ sku: source.sku, action: "create", fields: Object.keys(now) });
      else {
        const changed = Object.keys(now).filter((f) => now[f] !== before[f]);
        if (changed.length > 0) lines.push({ sku: source.sku, action: "update", fields: changed });
      }
    }
    for (const sku of sent.keys()) if (!present.has(sku)) lines.push({ sku, action: "delete", fields: [] });
    return { lines, held };
  }

  function needConnection(): MetaConnection {
    if (!connection) throw new BackendError("invalidInput", "Meta: connect to your Meta catalog first");
    if (!token)
      throw new BackendError("invalidInput", "token: no access token saved; connect again with a token");
    const failure = control.failNext;
    if (failure) {
      control.failNext = null;
      throw new BackendError(failure.code, failure.message, failure.key ?? null);
    }
    return connection;
  }

  function numericId(field: string, value: string | null): string | null {
    const v = value?.trim() ?? "";
    if (v === "") return null;
    if (!/^\d+$/.test(v))
      throw new BackendError("invalidInput", `${field}: “${v}” is not a Meta id (only digits, as shown in Commerce Manager)`, "error.invalid.metaId");
    return v;
  }

  const methods: MetaMethods = {
    async metaConnection() {
      return connection ? { ...connection } : null;
    },
    async connectMeta(input) {
      const catalogId = numericId("catalog id", input.catalogId);
      if (!catalogId)
        throw new BackendError("invalidInput", "catalog id: “” is not a Meta id (only digits, as shown in Commerce Manager)", "error.invalid.metaId");
      const wabaId = numericId("WhatsApp Business account id", input.wabaId);
      const phoneNumberId = numericId("phone number id", input.phoneNumberId);
      if (input.token && input.token.trim() !== "") token = input.token.trim();
      connection = { catalogId, wabaId, phoneNumberId, token: token ? "keychain" : "missing" };
      return { ...connection };
    },
    async forgetMetaToken() {
      token = null;
      if (connection) connection = { ...connection, token: "missing" };
    },
    async checkMeta(): Promise<ConnectionCheck> {
      const c = needConnection();
      if (token?.includes("expired"))
        throw new BackendError(
          "network",
          "Meta: the access token has expired or was revoked; create a new system-user token and connect again",
          "error.meta.token",
        );
      const warnings = [];
      if (c.phoneNumberId && !commerce.catalogVisible)
        warnings.push(
          "The catalog is hidden on WhatsApp: customers see no storefront icon and wa.me/c/ links say “Invalid catalog link”. Turn on “catalog visible”.",
        );
      return {
        catalogId: c.catalogId,
        catalogName: "Loja da Ana — WhatsApp",
        productCount: sent.size + control.orphans.length,
        commerce: c.phoneNumberId ? { catalogId: c.catalogId, ...commerce } : null,
        warnings,
      };
    },
    async setCommerce(catalogVisible, cartEnabled) {
      const c = needConnection();
      if (!c.phoneNumberId)
        throw new BackendError("invalidInput", "phone number id: add the WhatsApp phone number id to the connection to change what customers see");
      commerce = { catalogVisible, cartEnabled };
      return { catalogId: c.catalogId, ...commerce };
    },
    async imageHosting() {
      return hosting ? { ...hosting } : null;
    },
    async setImageHosting(publicBaseUrl, folder) {
      const url = publicBaseUrl.trim().replace(/\/+$/, "");
      if (!/^https?:\/\/\S+$/.test(url))
        throw new BackendError(
          "invalidInput",
          "public URL: give the web address the photos will be served from, starting with https://",
          "error.invalid.publicUrl",
        );
      hosting = { publicBaseUrl: url, folder: folder?.trim() || null, bucket: null };
      return { ...hosting };
    },
    async setS3Hosting(input) {
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(input.bucket.bucket))
        throw new BackendError(
          "invalidInput",
          "bucket: a bucket name is 3–63 lowercase letters, digits, dots and dashes",
        );
      const url = input.publicBaseUrl.trim().replace(/\/+$/, "");
      if (!/^https?:\/\/\S+$/.test(url))
        throw new BackendError(
          "invalidInput",
          "public URL: give the web address the photos will be served from, starting with https://",
          "error.invalid.publicUrl",
        );
      if (input.secretKey) bucketSecret = true;
      hosting = { publicBaseUrl: url, folder: null, bucket: { ...input.bucket } };
      return structuredClone(hosting);
    },
    async publishImages() {
      if (!hosting) return { uploaded: 0, alreadyPresent: 0 };
      if (hosting.bucket && !bucketSecret)
        throw new BackendError("invalidInput", "secret access key: save the bucket's secret access key first");
      const photos = new Set(sources().flatMap((s) => (s.fields.image_link ? [s.fields.image_link] : [])));
      const uploaded = [...photos].filter((p) => !published.has(p));
      uploaded.forEach((p) => published.add(p));
      return { uploaded: uploaded.length, alreadyPresent: photos.size - uploaded.length };
    },
    async importFromMeta(onProgress) {
      needConnection();
      const local = new Set(sources().map((s) => s.sku));
      const items = control.orphans.filter((sku) => !local.has(sku));
      items.forEach((_, i) => onProgress({ done: i, total: items.length }));
      adopt(items.map((sku) => ({ sku, title: ORPHAN_TITLES[sku] ?? sku, price: "89.90 BRL" })));
      for (const source of sources()) if (items.includes(source.sku)) sent.set(source.sku, withImages(source));
      onProgress({ done: items.length, total: items.length });
      everSynced = true;
      return { imported: items.length, alreadyInVitrine: sent.size - items.length, skipped: [], photosMissing: [] };
    },
    async syncPreview() {
      const { lines, held } = plan();
      const count = (action: PlanLine["action"]) => lines.filter((l) => l.action === action).length;
      const all = sources();
      return {
        unfinished: false,
        atMeta: sent.size,
        toCreate: count("create"),
        toUpdate: count("update"),
        toDelete: count("delete"),
        unchanged: all.length - held.length - count("create") - count("update"),
        held: held.map((s) => ({ sku: s.sku, title: s.title, errors: s.errors })),
        rejected: [...rejected].map(([sku, r]) => ({ sku, message: r.message })),
        warnings: [...warned].map(([sku, message]) => ({ sku, message })),
        lastSyncedAt,
        lines: lines.slice(0, 200),
      };
    },
    async syncItems(state) {
      const counts = new Map<SyncState, number>();
      const items: SyncItem[] = [];
      for (const source of sources()) {
        const b = badge(source) ?? { state: "new" as const, message: null };
        counts.set(b.state, (counts.get(b.state) ?? 0) + 1);
        if (state === null || b.state === state)
          items.push({ id: source.id, sku: source.sku, title: source.title, state: b.state, message: b.message });
      }
      const states: SyncState[] = ["new", "synced", "warning", "changed", "rejected", "held"];
      return {
        items: items.slice(0, 500),
        total: items.length,
        counts: states.map((s) => ({ state: s, count: counts.get(s) ?? 0 })),
      };
    },
    async runSync(onProgress) {
      needConnection();
      const { lines, held } = plan();
      const bySku = new Map(sources().map((s) => [s.sku, s]));
      if (!hosting && lines.some((l) => bySku.get(l.sku)?.fields.image_link))
        throw new BackendError(
          "invalidInput",
          "image hosting: set where product photos are published for Meta to fetch before syncing",
        );
      const report = {
        resumed: false,
        resumedItems: 0,
        created: 0,
        updated: 0,
        deleted: 0,
        unchanged: 0,
        held: held.length,
        rejected: [] as { sku: string; message: string }[],
        warnings: [] as { sku: string; message: string }[],
        leftToSend: 0,
      };
      report.unchanged = bySku.size - held.length - lines.filter((l) => l.action !== "delete").length;
      const batches = Math.ceil(lines.length / BATCH);
      everSynced = true;
      lastRun.clear();
      for (let b = 0; b < batches; b++) {
        onProgress({ batchesDone: b, batchesTotal: batches, phase: "sending", polls: 0 });
        await delay(step / 4);
        // Meta processes the batch; the back end checks its status a few times.
        for (let polls = 0; polls < 3; polls++) {
          onProgress({ batchesDone: b, batchesTotal: batches, phase: "waiting", polls });
          await delay(step / 4);
        }
        for (const line of lines.slice(b * BATCH, (b + 1) * BATCH)) {
          const source = bySku.get(line.sku);
          if (line.action === "delete" || !source) {
            sent.delete(line.sku);
            rejected.delete(line.sku);
            warned.delete(line.sku);
            report.deleted++;
            continue;
          }
          const fields = withImages(source);
          if (REPLICA.test(source.title)) {
            rejected.set(line.sku, { fields: key(fields), message: REPLICA_MESSAGE });
            report.rejected.push({ sku: line.sku, message: REPLICA_MESSAGE });
            continue;
          }
          rejected.delete(line.sku);
          warned.delete(line.sku);
          if ([...source.title].length > 100) {
            const message = `The title of item ${line.sku} is longer than 100 characters.`;
            warned.set(line.sku, message);
            report.warnings.push({ sku: line.sku, message });
          }
          sent.set(line.sku, fields);
          if (!metaIds.has(line.sku)) metaIds.set(line.sku, String(7_000_000_000_000 + metaIds.size));
          lastRun.add(line.sku);
          if (line.action === "create") report.created++;
          else report.updated++;
        }
      }
      onProgress({ batchesDone: batches, batchesTotal: batches, phase: "done", polls: 0 });
      lastSyncedAt = new Date().toISOString();
      // A rejected product goes again with the next sync: it is not at Meta yet.
      report.leftToSend = report.rejected.length;
      return report;
    },
    async reviewAtMeta(): Promise<MetaItem[]> {
      needConnection();
      const local = new Set(sources().map((s) => s.sku));
      control.orphans = control.orphans.filter((sku) => !local.has(sku));
      const ours: MetaItem[] = [...sent].map(([sku, fields], i) => ({
        sku,
        metaId: metaIds.get(sku) ?? "",
        reviewStatus: i === 0 ? "rejected" : lastRun.has(sku) ? "pending" : "approved",
        imageFetchStatus: !fields.image_link ? "NO_STATUS" : i === 1 ? "FETCH_FAILED" : "FETCHED",
        issues: i === 0 ? [REVIEW_REJECTION] : [],
        inVitrine: true,
      }));
      const others: MetaItem[] = control.orphans.map((sku, i) => ({
        sku,
        metaId: String(8_000_000_000_000 + i),
        reviewStatus: "approved",
        imageFetchStatus: "DIRECT_UPLOAD",
        issues: [],
        inVitrine: false,
      }));
      return [...ours, ...others];
    },
    async deleteOrphans() {
      needConnection();
      const removed = control.orphans.length;
      control.orphans = [];
      return removed;
    },
  };
  return { methods, badge, control };
}
