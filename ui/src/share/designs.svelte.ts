// What the merchant chose on each Share tab, kept while they move between tabs (a tab's
// component lives only while it is shown), and the requests the back end draws from it.
import type { Toasts } from "../components/toasts.svelte";
import type { Backend, CollectionInfo, LabelsRequest, PosterRequest, QrOptions, ShareTarget, ShortLink } from "../lib/backend";
import { errorText } from "../lib/errors";
import { t } from "../lib/i18n.svelte";
import type { Kind } from "./target";

export class QrDesign {
  foreground = $state("#000000");
  background = $state("#ffffff");
  logo = $state(false);
  /** The preview, as a `data:` URL of its SVG. */
  url = $state<string | null>(null);

  options(sizePx: number): QrOptions {
    return { sizePx, foreground: this.foreground, background: this.background, logo: this.logo };
  }
}

export class PosterDesign {
  size = $state("A4");
  languages = $state<string[]>([]);
  headline = $state("");
  accent = $state("#075e54");
  qrColour = $state("#000000");
  logo = $state(false);
  photo = $state(true);
  url = $state<string | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  constructor(languages: string[]) {
    this.languages = [...languages];
  }
}

/** The poster to draw: the chosen languages in the shop's order, a blank headline left to the
 *  back end, and a photo only for a product. */
export function posterRequest(design: PosterDesign, shopLanguages: string[], target: ShareTarget, kind: Kind): PosterRequest {
  return {
    size: design.size,
    languages: shopLanguages.filter((l) => design.languages.includes(l)),
    target,
    headline: design.headline.trim() === "" ? null : design.headline.trim(),
    accent: design.accent,
    qrColour: design.qrColour,
    logo: design.logo,
    photo: kind === "product" && design.photo,
  };
}

export class LabelSheet {
  layout = $state("3x8");
  of = $state<"product" | "collection">("collection");
  collection = $state("");
  collections = $state<CollectionInfo[]>([]);
  localDigits = $state(false);
  url = $state<string | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  constructor(of: "product" | "collection") {
    this.of = of;
  }
}

/** The labels to draw: the product being shared, or a whole collection. */
export function labelsRequest(sheet: LabelSheet, sku: string, refTag: string | null): LabelsRequest {
  return {
    layout: sheet.layout,
    selection: sheet.of === "product" ? { kind: "products", keys: [sku.trim()] } : { kind: "collection", collection: sheet.collection },
    refTag,
    localDigits: sheet.localDigits,
  };
}

/** Meta's short links of the shop's number: made, renamed and deleted here. */
export class ShortLinkBook {
  links = $state<ShortLink[]>([]);
  newMessage = $state("");
  newRef = $state("");
  editing = $state<ShortLink | null>(null);
  editMessage = $state("");
  deleting = $state<ShortLink | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  readonly #backend: Backend;
  readonly #toasts: Toasts;

  constructor(backend: Backend, toasts: Toasts) {
    this.#backend = backend;
    this.#toasts = toasts;
  }

  async #change(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await work();
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  create = () =>
    this.#change(async () => {
      const made = await this.#backend.createShortLink(this.newMessage, this.newRef.trim() === "" ? null : this.newRef.trim());
      this.links = [made, ...this.links.filter((l) => l.code !== made.code)];
      this.newMessage = "";
      this.newRef = "";
      this.#toasts.show(t("share.short.created"), { tone: "ok" });
    });

  refresh = () => this.#change(async () => void (this.links = await this.#backend.refreshShortLinks()));

  startEdit(link: ShortLink): void {
    this.editing = link;
    this.editMessage = link.message;
  }

  saveEdit = () =>
    this.#change(async () => {
      if (!this.editing) return;
      const updated = await this.#backend.updateShortLink(this.editing.code, this.editMessage, null);
      this.links = this.links.map((l) => (l.code === updated.code ? updated : l));
      this.editing = null;
    });

  confirmDelete = () =>
    this.#change(async () => {
      if (!this.deleting) return;
      const code = this.deleting.code;
      this.deleting = null;
      await this.#backend.deleteShortLink(code);
      this.links = this.links.filter((l) => l.code !== code);
    });
}
