// The product editor's model: every field as the person types it (strings), converted to
// and from the back end's shapes, and the pre-flight findings grouped by the field they
// concern. Pure, so it is unit-tested.

import type {
  Availability,
  Condition,
  Finding,
  FindingField,
  InputField,
  ProductDetail,
  ProductInput,
  Translation,
} from "../lib/backend";

export interface ProductForm {
  sku: string;
  title: string;
  description: string;
  brand: string;
  price: string;
  currency: string;
  salePrice: string;
  /** `datetime-local` values; both empty: a sale with no window. */
  saleStart: string;
  saleEnd: string;
  availability: Availability;
  condition: Condition;
  stock: string;
  link: string;
  collections: string;
  variantGroup: string;
  attributes: { name: string; value: string }[];
  /** One entry per shop language other than the main one. */
  translations: Translation[];
  /** The barcode; empty for none. */
  gtin: string;
  /** False: a draft, kept out of WhatsApp, the feed and the storefront. */
  published: boolean;
}

export const MAX_ATTRIBUTES = 4;

export function emptyForm(currency: string, languages: string[]): ProductForm {
  return {
    sku: "",
    title: "",
    description: "",
    brand: "",
    price: "",
    currency,
    salePrice: "",
    saleStart: "",
    saleEnd: "",
    availability: "inStock",
    condition: "new",
    stock: "",
    link: "",
    collections: "",
    variantGroup: "",
    attributes: [],
    translations: languages.slice(1).map((language) => ({ language, title: "", description: "" })),
    gtin: "",
    published: true,
  };
}

export function formFromProduct(p: ProductDetail, languages: string[]): ProductForm {
  const [start = "", end = ""] = (p.saleWindow ?? "").split("/");
  const others = languages.slice(1);
  const known = new Set(others);
  return {
    sku: p.sku,
    title: p.title,
    description: p.description,
    brand: p.brand,
    price: p.price.amount,
    currency: p.price.currency,
    salePrice: p.salePrice?.amount ?? "",
    saleStart: toLocalInput(start),
    saleEnd: toLocalInput(end),
    availability: p.availability,
    condition: p.condition,
    stock: p.stock === null ? "" : String(p.stock),
    link: p.link ?? "",
    collections: p.collections.join(", "),
    variantGroup: p.variant?.groupId ?? "",
    attributes: (p.variant?.attributes ?? []).map(({ name, value }) => ({ name, value })),
    translations: [
      ...others.map(
        (language) =>
          p.translations.find((t) => t.language === language) ?? { language, title: "", description: "" },
      ),
      // Languages the shop no longer lists stay editable rather than silently dropped.
      ...p.translations.filter((t) => !known.has(t.language)),
    ],
    gtin: p.gtin ?? "",
    published: p.published,
  };
}

/** `2025-11-01T09:00-03:00` → `2025-11-01T09:00` (the wall-clock time as it was typed). */
function toLocalInput(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})/.exec(iso);
  return match?.[1] ?? "";
}

/** `2025-11-01T09:00` in this computer's time zone → `2025-11-01T09:00-03:00`. */
export function withOffset(local: string, date = new Date(local)): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${local}${sign}${hh}:${mm}`;
}

function blankToNull(s: string): string | null {
  const t = s.trim();
  return t === "" ? null : t;
}

/** The form as the back end reads it; `price` is normalised by the caller. */
export function inputFromForm(form: ProductForm, price = form.price, salePrice = form.salePrice): ProductInput {
  const stock = form.stock.trim();
  const attributes = form.attributes
    .filter((a) => a.name.trim() !== "" || a.value.trim() !== "")
    .map((a) => ({ name: a.name.trim(), value: a.value.trim() }));
  const hasSale = salePrice.trim() !== "";
  const window =
    hasSale && form.saleStart && form.saleEnd ? `${withOffset(form.saleStart)}/${withOffset(form.saleEnd)}` : null;
  return {
    sku: form.sku.trim(),
    title: form.title,
    description: form.description,
    brand: form.brand,
    price: price.trim(),
    currency: form.currency,
    salePrice: blankToNull(salePrice),
    saleWindow: window,
    availability: form.availability,
    condition: form.condition,
    stock: stock === "" || !/^\d+$/.test(stock) ? null : Number(stock),
    link: blankToNull(form.link),
    collections: form.collections
      .split(/[,،]/)
      .map((c) => c.trim())
      .filter(Boolean),
    variant:
      form.variantGroup.trim() === "" && attributes.length === 0
        ? null
        : { groupId: form.variantGroup.trim(), attributes },
    translations: form.translations.map((t) => ({
      language: t.language,
      title: t.title.trim(),
      description: t.description.trim(),
    })),
    // Empty clears a saved barcode.
    gtin: form.gtin.replace(/\s/g, ""),
    published: form.published,
  };
}

export function sameForm(a: ProductForm, b: ProductForm): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The findings for each field, errors first. */
export function findingsByField(findings: Finding[]): Map<FindingField, Finding[]> {
  const byField = new Map<FindingField, Finding[]>();
  const sorted = [...findings].sort((x, y) => (x.severity === y.severity ? 0 : x.severity === "error" ? -1 : 1));
  for (const f of sorted) byField.set(f.field, [...(byField.get(f.field) ?? []), f]);
  return byField;
}

/** A product can be synced when no finding is an error; warnings don't block. */
export function readyToSync(findings: Finding[]): boolean {
  return findings.every((f) => f.severity !== "error");
}

/** The form field for each input the back end can refuse in a product. */
const FORM_FIELD: Partial<Record<InputField, keyof ProductForm>> = {
  sku: "sku",
  title: "title",
  price: "price",
  salePrice: "salePrice",
  saleWindow: "saleEnd",
  currency: "currency",
  availability: "availability",
  condition: "condition",
  variant: "variantGroup",
  translation: "translations",
  gtin: "gtin",
};

/** Which form field a refused input concerns, from the field the back end names (typed);
 *  `null` when it names none of the form's. */
export function formFieldOf(field: InputField | null): keyof ProductForm | null {
  return (field && FORM_FIELD[field]) ?? null;
}
