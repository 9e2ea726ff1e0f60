// The order inbox, as the mock back end plays it: a relay connection, a few carts joined with
// the sample catalog (one with a SKU the catalog lacks, one at an old price, one brought by a
// poster), the customers' threads, replies inside the 24-hour window and analytics. Tests push
// new carts with `window.__VITRINE_MOCK__.orders.push(…)`. Development and browser tests only.

import { BackendError, type Backend } from "./backend";
import type {
  InboxChanged,
  Money,
  Order,
  OrderAnalytics,
  OrderDetail,
  OrderLine,
  OrderStatus,
  QuickReplyText,
  RelayStatus,
  ReplyWindow,
  ThreadEntry,
} from "./bindings";

type OrderMethods = Pick<
  Backend,
  | "relayStatus"
  | "connectRelay"
  | "pullRelay"
  | "orders"
  | "orderDetail"
  | "setOrderStatus"
  | "setOrderNote"
  | "replyToOrder"
  | "quickReplyText"
  | "quickReplies"
  | "setQuickReply"
  | "paymentDetails"
  | "setPaymentDetails"
  | "markOrderRead"
  | "exportOrders"
  | "orderAnalytics"
  | "onInboxChanged"
>;

export interface CatalogFacts {
  id: string;
  sku: string;
  title: string;
  /** Decimal string in `currency`. */
  price: string;
  currency: string;
  thumbnail: string | null;
}

export interface MockCart {
  name: string;
  waId: string;
  lines: { sku: string; quantity: number; price: string }[];
  refTag?: string | null;
  text?: string;
}

export interface MockOrdersControl {
  /** A cart arrives through the relay (the live stream tells the window). */
  push(cart: MockCart): number;
  /** Texts sent as replies, by order id. */
  replies: { orderId: number; text: string }[];
}

const DAY = 24 * 3600 * 1000;
const ORDER: OrderStatus[] = ["new", "confirmed", "paid", "shipped", "delivered"];
const QUICK: Record<string, Record<string, string>> = {
  en: {
    confirm: "Hello {name}! Your order {order} is confirmed: {total}.",
    "ask-address": "Hello {name}! Where should we deliver order {order}?",
    "payment-info": "To pay {total}: Pix key {pix}.",
    "ready-for-pickup": "Your order {order} is ready for pickup!",
  },
  pt: {
    confirm: "Olá {name}! Seu pedido {order} está confirmado: {total}.",
    "ask-address": "Olá {name}! Qual o endereço de entrega do pedido {order}?",
    "payment-info": "Para pagar {total}: chave Pix {pix}.",
    "ready-for-pickup": "Seu pedido {order} está pronto para retirada!",
  },
};

function toMinor(amount: string, decimals = 2): number {
  const [whole = "0", fraction = ""] = amount.split(".");
  return Number(whole) * 10 ** decimals + Number((fraction + "00").slice(0, decimals) || "0");
}
function fromMinor(minor: number, currency: string): Money {
  return { amount: (minor / 100).toFixed(2), minor, currency };
}

export function createMockOrders(
  catalog: () => CatalogFacts[],
  options: { relayConnected?: boolean } = {},
): { methods: OrderMethods; control: MockOrdersControl } {
  const handlers = new Set<(change: InboxChanged) => void>();
  let relay: RelayStatus | null = options.relayConnected
    ? { url: "https://relay.loja.example", cursor: "12", lastPullAt: new Date().toISOString(), token: "keychain", events: 12, orders: 0 }
    : null;
  const orders: Order[] = [];
  const threads = new Map<number, ThreadEntry[]>();
  const lastInbound = new Map<number, number>();
  const control: MockOrdersControl = { push, replies: [] };
  let nextId = 1;
  const ownReplies = new Map<string, string>();
  let payment: { pixKey: string | null; upiId: string | null } = { pixKey: null, upiId: null };

  function line(sku: string, quantity: number, price: string): OrderLine {
    const product = catalog().find((p) => p.sku === sku);
    const unit = fromMinor(toMinor(price), product?.currency ?? "BRL");
    return {
      sku,
      quantity,
      itemPrice: price,
      unitPrice: unit,
      lineTotal: fromMinor(unit.minor * quantity, unit.currency),
      product: product
        ? { id: product.id, title: product.title, thumbnail: product.thumbnail, variant: null, price: fromMinor(toMinor(product.price), product.currency) }
        : null,
      priceDiffers: product !== undefined && toMinor(product.price) !== unit.minor,
    };
  }

  function add(cart: MockCart, receivedAt: number, status: OrderStatus = "new"): number {
    const id = nextId++;
    const lines = cart.lines.map((l) => line(l.sku, l.quantity, l.price));
    const currency = lines[0]?.unitPrice?.currency ?? "BRL";
    const total = fromMinor(lines.reduce((sum, l) => sum + (l.lineTotal?.minor ?? 0), 0), currency);
    const order: Order = {
      id,
      wamid: `wamid.MOCK${id}`,
      phoneNumberId: "1098765432",
      customer: { waId: cart.waId, name: cart.name },
      receivedAt: new Date(receivedAt).toISOString().replace(/\.\d+Z$/, "Z"),
      status,
      note: "",
      refTag: cart.refTag ?? null,
      catalogId: "1234567890",
      customerText: cart.text ?? "",
      lines,
      total,
      itemCount: lines.reduce((n, l) => n + l.quantity, 0),
      hasUnknownProducts: lines.some((l) => l.product === null),
      hasPriceDifferences: lines.some((l) => l.priceDiffers),
    };
    orders.unshift(order);
    lastInbound.set(id, receivedAt);
    threads.set(id, [
      ...(cart.text
        ? [{ wamid: `wamid.T${id}`, inbound: true, kind: "text", body: cart.text, referredSku: null, referredProduct: null, refTag: cart.refTag ?? null, at: order.receivedAt, status: null, error: null }]
        : []),
      { wamid: order.wamid, inbound: true, kind: "order", body: "", referredSku: null, referredProduct: null, refTag: null, at: order.receivedAt, status: null, error: null },
    ]);
    if (relay) relay = { ...relay, orders: orders.length };
    return id;
  }

  function push(cart: MockCart): number {
    const id = add(cart, Date.now());
    const change: InboxChanged = { newOrder: id, waiting: orders.filter((o) => o.status === "new").length };
    queueMicrotask(() => handlers.forEach((h) => h(change)));
    return id;
  }

  // The sample inbox: four carts over the last days.
  const seed = () => {
    const products = catalog();
    const [a, b, c] = products;
    if (!a || !b || !c) return;
    const now = Date.now();
    add({ name: "Mariana Souza", waId: "5511912345678", lines: [{ sku: c.sku, quantity: 1, price: c.price }], refTag: null }, now - 3 * DAY, "delivered");
    add({ name: "Rafael Lima", waId: "5521998765432", lines: [{ sku: b.sku, quantity: 2, price: b.price }, { sku: "GONE-99", quantity: 1, price: "15.00" }], text: "Entrega amanhã?" }, now - 30 * 3600 * 1000, "confirmed");
    add({ name: "Ana Paula", waId: "5511987650000", lines: [{ sku: a.sku, quantity: 1, price: (Number(a.price) - 5).toFixed(2) }], refTag: "poster-window", text: "Vi o cartaz na vitrine!" }, now - 2 * 3600 * 1000);
    add({ name: "", waId: "5531955554444", lines: [{ sku: b.sku, quantity: 3, price: b.price }] }, now - 20 * 60 * 1000);
  };
  let seeded = false;
  // The carts are at the relay: they appear once it is connected.
  const ensure = () => {
    if (!seeded && relay) {
      seeded = true;
      seed();
    }
  };

  function find(id: number): Order {
    ensure();
    const order = orders.find((o) => o.id === id);
    if (!order) throw new BackendError("notFound", `no order ${id}`);
    return order;
  }

  function window(id: number): ReplyWindow {
    const last = lastInbound.get(id) ?? 0;
    const closes = last + DAY;
    const remaining = Math.max(0, Math.floor((closes - Date.now()) / 1000));
    return { open: remaining > 0, lastCustomerMessageAt: new Date(last).toISOString(), closesAt: new Date(closes).toISOString(), remainingSeconds: remaining };
  }

  const detail = (id: number): OrderDetail => ({ order: structuredClone(find(id)), thread: structuredClone(threads.get(id) ?? []), window: window(id) });

  function filtered(query: { status: OrderStatus | null; text: string | null; from: string | null; to: string | null }): Order[] {
    ensure();
    const needle = query.text?.trim().toLocaleLowerCase() ?? "";
    return orders.filter(
      (o) =>
        (!query.status || o.status === query.status) &&
        (needle === "" ||
          `${o.customer.name} ${o.customer.waId} ${o.note} ${o.refTag ?? ""} ${o.lines.map((l) => `${l.sku} ${l.product?.title ?? ""}`).join(" ")}`.toLocaleLowerCase().includes(needle)) &&
        (!query.from || o.receivedAt.slice(0, 10) >= query.from) &&
        (!query.to || o.receivedAt.slice(0, 10) <= query.to),
    );
  }

  const methods: OrderMethods = {
    async relayStatus() {
      return relay ? structuredClone(relay) : null;
    },
    async connectRelay(url, token) {
      if (!/^https?:\/\//.test(url.trim())) throw new BackendError("invalidInput", "relay: give the relay's address, like https://relay.example");
      if (!relay && !token) throw new BackendError("invalidInput", "token: paste the device token `vitrine-relay device add` printed");
      if (token === "wrong") throw new BackendError("invalidInput", "token: the relay refused this device token (revoked or mistyped)");
      ensure();
      relay = { url: url.trim(), cursor: "0", lastPullAt: null, token: "keychain", events: 0, orders: orders.length };
      return structuredClone(relay);
    },
    async pullRelay() {
      if (!relay) throw new BackendError("invalidInput", "relay: connect to your relay first");
      relay = { ...relay, lastPullAt: new Date().toISOString() };
      return { events: 0, newOrders: [], messages: 0 };
    },
    async orders(query) {
      return structuredClone(filtered(query));
    },
    async orderDetail(id) {
      return detail(id);
    },
    async setOrderStatus(id, status) {
      const order = find(id);
      const open = order.status !== "delivered" && order.status !== "cancelled";
      const forward = ORDER.indexOf(status) > ORDER.indexOf(order.status) || status === "cancelled";
      if (!open || !forward) throw new BackendError("invalidInput", `status: an order that is ${order.status} cannot become ${status}`);
      order.status = status;
      return detail(id);
    },
    async setOrderNote(id, note) {
      find(id).note = note;
      return detail(id);
    },
    async replyToOrder(id, text) {
      find(id);
      if (text.trim() === "") throw new BackendError("invalidInput", "reply: the message is empty");
      const w = window(id);
      if (!w.open) throw new BackendError("invalidInput", "reply: more than 24 hours since the customer last wrote: WhatsApp only lets a template message reach them now");
      const wamid = `wamid.R${control.replies.length + 1}`;
      control.replies.push({ orderId: id, text });
      threads.get(id)?.push({ wamid, inbound: false, kind: "text", body: text, referredSku: null, referredProduct: null, refTag: null, at: new Date().toISOString(), status: "sent", error: null });
      return { orderId: id, wamid, text, window: w };
    },
    async quickReplyText(id, name, language) {
      const order = find(id);
      const texts = QUICK[(language ?? "pt").split("-")[0] ?? "en"] ?? QUICK.en!;
      const template = ownReplies.get(`${name}/${language ?? "pt-BR"}`) ?? texts[name];
      if (!template) throw new BackendError("invalidInput", `quick reply: “${name}” is not a quick reply`);
      return template
        .replace("{name}", order.customer.name || "")
        .replace("{order}", `#${order.id}`)
        .replace("{total}", order.total ? `${order.total.amount} ${order.total.currency}` : "")
        .replace("{pix}", payment.pixKey ?? "");
    },
    async quickReplies(language) {
      const lang = language ?? "pt-BR";
      const texts = QUICK[lang.split("-")[0] ?? "en"] ?? QUICK.en!;
      return Object.entries(texts).map(([name, text]): QuickReplyText => {
        const own = ownReplies.get(`${name}/${lang}`);
        return { name, language: lang, text: own ?? text, isDefault: own === undefined };
      });
    },
    async setQuickReply(name, language, text) {
      const unknown = [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).find((p) => !["name", "order", "total", "items", "shop", "payment", "pix"].includes(p));
      if (unknown) throw new BackendError("invalidInput", `quick reply: “{${unknown}}” is not a placeholder`);
      if (text.trim() === "") ownReplies.delete(`${name}/${language}`);
      else ownReplies.set(`${name}/${language}`, text);
      return (await methods.quickReplies(language)).find((q) => q.name === name)!;
    },
    async paymentDetails() {
      return { ...payment };
    },
    async setPaymentDetails(details) {
      payment = { pixKey: details.pixKey?.trim() || null, upiId: details.upiId?.trim() || null };
      return { ...payment };
    },
    async markOrderRead(id) {
      find(id);
      return 1;
    },
    async exportOrders(query) {
      const list = filtered(query);
      return { orders: list.length, lines: list.reduce((n, o) => n + o.lines.length, 0) };
    },
    async orderAnalytics(query): Promise<OrderAnalytics> {
      const list = filtered(query);
      const byDay = new Map<string, { orders: number; minor: number; currency: string }>();
      const byProduct = new Map<string, { title: string | null; quantity: number; orders: number; minor: number; currency: string }>();
      const byChannel = new Map<string | null, { orders: number; minor: number; currency: string }>();
      for (const o of list) {
        const day = o.receivedAt.slice(0, 10);
        const total = o.total ?? fromMinor(0, "BRL");
        const d = byDay.get(day) ?? { orders: 0, minor: 0, currency: total.currency };
        byDay.set(day, { ...d, orders: d.orders + 1, minor: d.minor + total.minor });
        const c = byChannel.get(o.refTag) ?? { orders: 0, minor: 0, currency: total.currency };
        byChannel.set(o.refTag, { ...c, orders: c.orders + 1, minor: c.minor + total.minor });
        for (const l of o.lines) {
          const p = byProduct.get(l.sku) ?? { title: l.product?.title ?? null, quantity: 0, orders: 0, minor: 0, currency: total.currency };
          byProduct.set(l.sku, { ...p, quantity: p.quantity + l.quantity, orders: p.orders + 1, minor: p.minor + (l.lineTotal?.minor ?? 0) });
        }
      }
      const perDay = [...byDay.entries()].sort().map(([start, d]) => ({ start, orders: d.orders, revenue: [fromMinor(d.minor, d.currency)] }));
      return {
        perDay,
        perWeek: perDay,
        topProducts: [...byProduct.entries()]
          .sort((a, b) => b[1].quantity - a[1].quantity)
          .map(([sku, p]) => ({ sku, title: p.title, quantity: p.quantity, orders: p.orders, revenue: [fromMinor(p.minor, p.currency)] })),
        perChannel: [...byChannel.entries()]
          .sort((a, b) => b[1].orders - a[1].orders)
          .map(([refTag, c]) => ({ refTag, orders: c.orders, revenue: [fromMinor(c.minor, c.currency)] })),
      };
    },
    async onInboxChanged(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
  return { methods, control };
}
