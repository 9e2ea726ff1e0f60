// The order book behind the Orders view: the orders the filters select, the one open with
// its thread, its note being edited and why a reply failed. Refreshed when the filters
// change, when the relay brings orders, and after every change to an order.
import type { Toasts } from "../components/toasts.svelte";
import type { Backend, Order, OrderDetail, OrderQuery } from "../lib/backend";
import { errorText } from "../lib/errors";
import { t } from "../lib/i18n.svelte";

export class OrderBook {
  list = $state<Order[]>([]);
  selected = $state<number | null>(null);
  detail = $state<OrderDetail | null>(null);
  note = $state("");
  replyError = $state<string | null>(null);

  readonly #backend: Backend;
  readonly #toasts: Toasts;
  readonly #query: () => OrderQuery;
  readonly #onwaiting: (count: number) => void;

  /** `query` gives the filters now; `onwaiting` hears how many orders are still `new`. */
  constructor(backend: Backend, toasts: Toasts, query: () => OrderQuery, onwaiting: (count: number) => void) {
    this.#backend = backend;
    this.#toasts = toasts;
    this.#query = query;
    this.#onwaiting = onwaiting;
  }

  #fail(e: unknown): void {
    this.#toasts.show(t("common.error", { message: errorText(e) }), { tone: "bad" });
  }

  /** Reads the list again (opening the first order when none is open) and the count of new
   *  orders. */
  async refresh(): Promise<void> {
    try {
      const query = this.#query();
      this.list = await this.#backend.orders(query);
      if (this.selected === null && this.list[0]) await this.open(this.list[0].id);
      const waiting =
        query.status === null
          ? this.list.filter((o) => o.status === "new").length
          : (await this.#backend.orders({ status: "new", text: null, from: null, to: null })).length;
      this.#onwaiting(waiting);
    } catch (e) {
      this.#fail(e);
    }
  }

  async open(id: number): Promise<void> {
    this.selected = id;
    this.replyError = null;
    try {
      this.detail = await this.#backend.orderDetail(id);
      this.note = this.detail.order.note;
    } catch (e) {
      this.#fail(e);
    }
  }

  /** Applies a change to the open order (status, note) and shows the order as it now is. */
  async change(work: () => Promise<OrderDetail>): Promise<void> {
    try {
      this.detail = await work();
      this.note = this.detail.order.note;
      await this.refresh();
    } catch (e) {
      this.#fail(e);
    }
  }
}
