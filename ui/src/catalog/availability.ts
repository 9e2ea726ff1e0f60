import type { Availability } from "../lib/bindings";
import type { Tone } from "../components/Badge.svelte";

/** How each availability reads and looks in the catalog. Exhaustive: a new variant fails type-checking. */
export const AVAILABILITY: Record<Availability, { label: string; tone: Tone }> = {
  inStock: { label: "In stock", tone: "ok" },
  availableForOrder: { label: "Available for order", tone: "info" },
  outOfStock: { label: "Out of stock", tone: "bad" },
  discontinued: { label: "Discontinued", tone: "neutral" },
};
