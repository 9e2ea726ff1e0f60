// Sharing, as the mock back end plays it: wa.me links from the shop's number, QR codes and
// previews as stand-in SVGs that carry what they encode (tests read `data-url`), order
// messages per language and Meta's short links. Development and browser tests only.

import { BackendError, type Backend, type Shop } from "./backend";
import type { LabelsRequest, OrderText, PosterRequest, PrintSummary, ShareLink, ShareTarget, ShortLink } from "./bindings";

type ShareMethods = Pick<
  Backend,
  | "shareLink"
  | "qrSvg"
  | "saveQr"
  | "posterPreview"
  | "savePoster"
  | "printPoster"
  | "labelsPreview"
  | "saveLabels"
  | "printLabels"
  | "orderText"
  | "setOrderText"
  | "shortLinks"
  | "refreshShortLinks"
  | "createShortLink"
  | "updateShortLink"
  | "deleteShortLink"
  | "copyText"
>;

export interface MockShareControl {
  /** What was copied to the clipboard, latest last. */
  copied: string[];
  /** PDFs handed to the system viewer. */
  printed: string[];
}

export interface ProductFacts {
  id: string;
  sku: string;
  title: string;
  price: string;
  currency: string;
  collections: string[];
}

const DEFAULT_ORDER: Record<string, string> = {
  pt: "Olá! Quero pedir {title} ({sku}), {price}.",
  es: "¡Hola! Me gustaría pedir {title} ({sku}), {price}.",
  id: "Halo! Saya mau pesan {title} ({sku}), {price}.",
  hi: "नमस्ते! मुझे {title} ({sku}), {price} ऑर्डर करना है।",
  ar: "مرحبًا! أود طلب {title} ({sku})، {price}.",
  en: "Hello! I'd like to order {title} ({sku}), {price}.",
};
const CATALOG_REQUEST: Record<string, string> = {
  pt: "Olá! Quero ver o catálogo.",
  es: "¡Hola! Me gustaría ver el catálogo.",
  id: "Halo! Saya mau lihat katalognya.",
  hi: "नमस्ते! मुझे आपका कैटलॉग देखना है।",
  ar: "مرحبًا! أود رؤية الكتالوج.",
  en: "Hello! I'd like to see your catalog.",
};
const REF_LABEL: Record<string, string> = { pt: "Ref", es: "Ref", id: "Ref", hi: "Ref", ar: "المرجع", en: "Ref" };

const primary = (language: string) => language.split("-")[0] ?? "en";

/** RFC 3986: encodeURIComponent leaves !'()* alone; WhatsApp links escape them too. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function standIn(kind: string, url: string, extra = ""): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="210" height="297" viewBox="0 0 210 297" data-kind="${kind}" data-url="${url.replace(/"/g, "&quot;")}"${extra}><rect width="210" height="297" fill="#fff"/><rect x="55" y="90" width="100" height="100" fill="#111"/></svg>`;
  return svg;
}

export function createMockShare(
  shop: () => Shop,
  products: () => ProductFacts[],
  phoneNumberId: () => Promise<string | null>,
): { methods: ShareMethods; control: MockShareControl } {
  const control: MockShareControl = { copied: [], printed: [] };
  const templates = new Map<string, string>();
  let links: ShortLink[] = [];
  let counter = 0;
  const product = (key: string) => products().find((p) => p.sku === key || p.id === key);

  function digits(): string {
    const phone = shop().phone;
    if (!phone) throw new BackendError("invalidInput", "phone: set the shop's WhatsApp number first", "error.share.noPhone");
    return phone.e164.replace(/\D/g, "");
  }
  const language = () => shop().languages[0] ?? "en";
  const withRef = (text: string, ref: string | null) => (ref && ref.trim() ? `${text}\n\n${REF_LABEL[primary(language())] ?? "Ref"}: ${ref.trim()}` : text);
  const chat = (text: string): ShareLink => ({ url: `https://wa.me/${digits()}?text=${encode(text)}`, kind: "chat", text });

  function link(target: ShareTarget): ShareLink {
    switch (target.kind) {
      case "url":
        throw new BackendError("invalidInput", "target: a plain address is not a WhatsApp link");
      case "catalog":
        return target.refTag ? chat(withRef(CATALOG_REQUEST[primary(language())] ?? CATALOG_REQUEST.en!, target.refTag)) : { url: `https://wa.me/c/${digits()}`, kind: "catalog", text: null };
      case "chat":
        return chat(withRef(target.text, target.refTag));
      case "product": {
        const p = product(target.sku);
        if (!p) throw new BackendError("notFound", `no product ${target.sku}`);
        if (target.metaId && !target.refTag) return { url: `https://wa.me/p/${target.metaId}/${digits()}`, kind: "product", text: null };
        const template = templates.get(language()) ?? DEFAULT_ORDER[primary(language())] ?? DEFAULT_ORDER.en!;
        const text = template.replace("{title}", p.title).replace("{sku}", p.sku).replace("{price}", `${p.price} ${p.currency}`).replace("{shop}", shop().name);
        return chat(withRef(text, target.refTag));
      }
    }
  }
  const url = (target: ShareTarget) => (target.kind === "url" ? target.url : link(target).url);

  function checkColour(colour: string | null): void {
    if (!colour) return;
    const n = parseInt(colour.slice(1), 16);
    const luminance = ((n >> 16) & 255) * 0.299 + ((n >> 8) & 255) * 0.587 + (n & 255) * 0.114;
    if (luminance > 160) throw new BackendError("invalidInput", `colour: the QR colour ${colour} is too light to scan on white; choose a darker colour`);
  }

  function posterSvg(request: PosterRequest): string {
    checkColour(request.qrColour);
    if (!["A4", "A5", "A6", "LETTER"].includes(request.size.toUpperCase())) throw new BackendError("invalidInput", `size: “${request.size}” is not a paper size`);
    const extra = ` data-size="${request.size}" data-languages="${request.languages.join(",")}" data-headline="${(request.headline ?? "").replace(/"/g, "&quot;")}"`;
    return standIn("poster", url(request.target), extra);
  }

  function labelProducts(request: LabelsRequest): ProductFacts[] {
    const chosen =
      request.selection.kind === "products"
        ? request.selection.keys.map((k) => product(k)).filter((p): p is ProductFacts => p !== undefined)
        : products().filter((p) => request.selection.kind === "collection" && p.collections.includes(request.selection.collection));
    if (chosen.length === 0) throw new BackendError("invalidInput", "products: there are no products to label");
    return chosen;
  }
  const perPage = (layout: string) => {
    const [c, r] = layout.split("x").map(Number);
    if (!c || !r) throw new BackendError("invalidInput", `layout: “${layout}” is not a label sheet layout`);
    return c * r;
  };
  function labelsSummary(request: LabelsRequest, file: string | null): PrintSummary {
    const count = labelProducts(request).length;
    return { pages: Math.ceil(count / perPage(request.layout)), labels: count, bytes: 40_000 + count * 3_000, url: "", file };
  }

  async function needConnection(): Promise<string> {
    const id = await phoneNumberId();
    if (!id) throw new BackendError("invalidInput", "phone number id: add the WhatsApp phone number id to the Meta connection to make short links", "error.share.noPhoneNumberId");
    return id;
  }
  function shortMessage(message: string, ref: string | null): string {
    const text = withRef(message.trim(), ref);
    if (message.trim() === "") throw new BackendError("invalidInput", "message: write the message the chat starts with");
    if ([...text].length > 140) throw new BackendError("invalidInput", `message: WhatsApp allows 140 characters in a short link's message; this one has ${[...text].length}`);
    return text;
  }
  const refOf = (message: string) => /\n\n[^:\n]+: ([a-z0-9-]+)$/.exec(message)?.[1] ?? null;

  const methods: ShareMethods = {
    async shareLink(target) {
      return link(target);
    },
    async qrSvg(target, options) {
      checkColour(options.foreground);
      return standIn("qr", url(target), ` data-logo="${options.logo}"`);
    },
    async saveQr(target, options, path) {
      checkColour(options.foreground);
      if (!/\.(png|svg)$/i.test(path)) throw new BackendError("invalidInput", "file: save the code as a .png or .svg file");
      return url(target);
    },
    async posterPreview(request) {
      return `data:image/svg+xml,${encodeURIComponent(posterSvg(request))}`;
    },
    async savePoster(request, path) {
      posterSvg(request);
      return { pages: 1, labels: 0, bytes: 61_234, url: url(request.target), file: path };
    },
    async printPoster(request) {
      posterSvg(request);
      const file = `/home/ana/.local/share/org.vitrine.desktop/print/poster-${++counter}.pdf`;
      control.printed.push(file);
      return { pages: 1, labels: 0, bytes: 61_234, url: url(request.target), file };
    },
    async labelsPreview(request) {
      const first = labelProducts(request).slice(0, perPage(request.layout));
      const codes = first.map((p) => link({ kind: "product", sku: p.sku, metaId: null, refTag: request.refTag }).url);
      return `data:image/svg+xml,${encodeURIComponent(standIn("labels", codes.join(" "), ` data-count="${first.length}"`))}`;
    },
    async saveLabels(request, path) {
      return labelsSummary(request, path);
    },
    async printLabels(request) {
      const file = `/home/ana/.local/share/org.vitrine.desktop/print/labels-${++counter}.pdf`;
      control.printed.push(file);
      return labelsSummary(request, file);
    },
    async orderText(lang): Promise<OrderText> {
      const own = templates.get(lang);
      return { language: lang, template: own ?? DEFAULT_ORDER[primary(lang)] ?? DEFAULT_ORDER.en!, isDefault: own === undefined };
    },
    async setOrderText(lang, template) {
      if (template.trim() === "") templates.delete(lang);
      else {
        const unknown = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).find((p) => !["title", "sku", "price", "shop"].includes(p));
        if (unknown) throw new BackendError("invalidInput", `order text: “{${unknown}}” is not a placeholder; use {title}, {sku}, {price} or {shop}`);
        templates.set(lang, template);
      }
      return methods.orderText(lang);
    },
    async shortLinks() {
      return structuredClone(links);
    },
    async refreshShortLinks() {
      await needConnection();
      return structuredClone(links);
    },
    async createShortLink(message, refTag) {
      await needConnection();
      const text = shortMessage(message, refTag);
      const code = `MOCK${String(++counter).padStart(10, "0")}`;
      const created: ShortLink = { code, message: text, url: `https://wa.me/message/${code}`, updatedAt: new Date().toISOString(), refTag: refOf(text) };
      links = [created, ...links];
      return structuredClone(created);
    },
    async updateShortLink(code, message, refTag) {
      await needConnection();
      const text = shortMessage(message, refTag);
      const found = links.find((l) => l.code === code);
      if (!found) throw new BackendError("invalidInput", `The QR code '${code}' does not exist.`);
      Object.assign(found, { message: text, refTag: refOf(text), updatedAt: new Date().toISOString() });
      return structuredClone(found);
    },
    async deleteShortLink(code) {
      await needConnection();
      links = links.filter((l) => l.code !== code);
    },
    async copyText(text) {
      control.copied.push(text);
    },
  };
  return { methods, control };
}
