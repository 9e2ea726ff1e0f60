import type { Availability, Condition } from "../lib/backend";
import type { Tone } from "../components/Badge.svelte";
import type { MessageKey } from "../lib/i18n.svelte";

/** How each availability reads and looks. Exhaustive: a new variant fails type-checking. */
export const AVAILABILITY: Record<Availability, { label: MessageKey; tone: Tone }> = {
  inStock: { label: "availability.inStock", tone: "ok" },
  availableForOrder: { label: "availability.availableForOrder", tone: "info" },
  outOfStock: { label: "availability.outOfStock", tone: "bad" },
  discontinued: { label: "availability.discontinued", tone: "neutral" },
};

export const AVAILABILITIES = Object.keys(AVAILABILITY) as Availability[];

export const CONDITIONS: Record<Condition, MessageKey> = {
  new: "condition.new",
  refurbished: "condition.refurbished",
  used: "condition.used",
};
