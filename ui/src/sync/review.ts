// What the Sync view makes of Meta's review and of its own plan: the counts of items
// approved, waiting, rejected or without a photo Meta could fetch, the orphans, and the field
// a Fix opens a product at (from the types Rust reads from Meta, never from Meta's words).
import type { FindingField, MetaIssue, MetaItem, SyncPreview, SyncState } from "../lib/backend";
import type { Tone } from "../components/Badge.svelte";
import type { MessageKey } from "../lib/i18n.svelte";

/** The states a product can be in, in the order the filters show them. */
export const STATES: SyncState[] = ["new", "changed", "synced", "warning", "rejected", "held"];

export const STATE_TONE: Record<SyncState, Tone> = {
  new: "info",
  changed: "warn",
  synced: "ok",
  warning: "warn",
  rejected: "bad",
  held: "bad",
};

/** Meta's `image_fetch_status` values (upper case) that mean the photo is not there. */
export const IMAGE_FAILED: Record<string, MessageKey> = {
  FETCH_FAILED: "sync.image.fetchFailed",
  PARTIAL_FETCH: "sync.image.partialFetch",
  OUTDATED: "sync.image.outdated",
};

/** The states whose products get a Fix button. */
export const canFix = (state: SyncState): boolean => state === "held" || state === "rejected" || state === "warning";

export interface ReviewCounts {
  approved: number;
  pending: MetaItem[];
  rejected: MetaItem[];
  noImage: MetaItem[];
}

/** Meta's review of the items Vitrine sent (orphans aside). */
export function reviewCounts(review: MetaItem[] | null): ReviewCounts {
  const ours = review?.filter((m) => m.inVitrine) ?? [];
  // Meta documents lower-case review states and sends upper-case fetch states: compare
  // without case.
  const status = (m: MetaItem) => m.reviewStatus.toLowerCase();
  return {
    approved: ours.filter((m) => status(m) === "approved").length,
    pending: ours.filter((m) => status(m) === "pending" || status(m) === ""),
    rejected: ours.filter((m) => status(m) === "rejected"),
    noImage: ours.filter((m) => m.imageFetchStatus.toUpperCase() in IMAGE_FAILED),
  };
}

/** Items at Meta that are not in Vitrine (another tool put them there). */
export const orphansOf = (review: MetaItem[] | null): MetaItem[] => review?.filter((m) => !m.inVitrine) ?? [];

/** The field the first of Meta's issues names (by its error type), if any does. */
export const issueField = (issues: MetaIssue[]): FindingField | null => issues.find((i) => i.field)?.field ?? null;

/** The field a Fix opens the product at: the one its first blocking finding concerns, or
 *  the one Meta named, typed. */
export function fixFocus(preview: SyncPreview | null, sku: string, metaField: FindingField | null): FindingField | null {
  const held = preview?.held.find((h) => h.sku === sku);
  const first = held?.errors.find((f) => f.severity === "error") ?? held?.errors[0];
  return first?.field ?? metaField;
}
