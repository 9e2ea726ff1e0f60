// The order workflow as the Orders view shows it: the statuses in order, the moves allowed
// from each, and the quick replies offered.
import type { OrderStatus } from "../lib/backend";

/** In the order an order goes through them; `cancelled` can end any open order. */
export const STATUSES: OrderStatus[] = ["new", "confirmed", "paid", "shipped", "delivered", "cancelled"];

/** The quick replies, by the back end's names. */
export const QUICK = ["confirm", "ask-address", "payment-info", "ready-for-pickup"] as const;

export type Move = Exclude<OrderStatus, "new">;

/** The moves the workflow allows from where the order is: any later status up to
 *  delivered, or cancelled; none once it is delivered or cancelled. */
export function nextStatuses(current: OrderStatus): Move[] {
  if (current === "delivered" || current === "cancelled") return [];
  const at = STATUSES.indexOf(current);
  return [...(STATUSES.slice(at + 1, 5) as Move[]), "cancelled"];
}
