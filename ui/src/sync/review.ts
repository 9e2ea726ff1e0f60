// What the Sync view makes of Meta's review and of its own plan: the counts of items
// approved, waiting, rejected or without a photo Meta could fetch, the orphans, and the field
// a Fix opens a product at.
import type { FindingField, MetaIssue, MetaItem, SyncPreview, SyncState } from "../lib/backend";
import type { Tone } from "../components/Badge.svelte";
import type { MessageKey } from "../lib/i18n.svelte";
import { fieldNamed } from "./meta-words";

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

/** Meta's issues as one text, for finding the field they are about. */
export const issueText = (issues: MetaIssue[]): string => issues.map((i) => [i.title, i.description, i.callToAction].filter(Boolean).join(" ")).join(" ");

/** The field a Fix opens the product at: the one its first blocking finding concerns, or
 *  the one Meta's message names. */
export function fixFocus(preview: SyncPreview | null, sku: string, message: string | null): FindingField | null {
  const held = preview?.held.find((h) => h.sku === sku);
  const first = held?.errors.find((f) => f.severity === "error") ?? held?.errors[0];
  return first?.field ?? fieldNamed(message ?? "");
}
