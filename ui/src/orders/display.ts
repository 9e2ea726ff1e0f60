// How an order's customer, times and replies read in the Orders view.
import type { Order } from "../lib/backend";
import { t } from "../lib/i18n.svelte";

/** The customer's WhatsApp name, or their number when they have none. */
export const who = (o: Order): string => (o.customer.name.trim() === "" ? `+${o.customer.waId}` : o.customer.name);

/** A time in the UI's locale: date and hour. */
export const when = (iso: string, locale: string): string => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));

/** Whole hours and the minutes past them. */
export const hoursAndMinutes = (seconds: number): { hours: number; minutes: number } => ({
  hours: Math.floor(seconds / 3600),
  minutes: Math.floor((seconds % 3600) / 60),
});

/** What is left of WhatsApp's 24-hour window to reply for free. */
export const windowLeft = (seconds: number): string => t("orders.windowLeft", hoursAndMinutes(seconds));

const DELIVERY = ["sent", "delivered", "read", "failed"] as const;

/** A reply's delivery status in the UI's language; one Meta adds later as Meta says it. */
export const deliveryText = (status: string): string =>
  (DELIVERY as readonly string[]).includes(status) ? t(`orders.delivery.${status as (typeof DELIVERY)[number]}`) : status;
