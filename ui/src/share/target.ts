// What the Share view shares, as plain data: the target the back end builds links, QR codes,
// posters and labels for, the file names it suggests, and the names it shows.
import type { ShareTarget } from "../lib/backend";

export type Kind = "catalog" | "chat" | "product";

/** Meta's limit on a short link's prefilled message, in characters. */
export const SHORT_LINK_MAX = 140;

/** A blank ref tag is none. */
export const refOf = (refTag: string): string | null => (refTag.trim() === "" ? null : refTag.trim());

export function shareTarget(kind: Kind, sku: string, chatText: string, refTag: string): ShareTarget {
  const ref = refOf(refTag);
  if (kind === "catalog") return { kind: "catalog", refTag: ref };
  if (kind === "chat") return { kind: "chat", text: chatText, refTag: ref };
  return { kind: "product", sku: sku.trim(), metaId: null, refTag: ref };
}

/** A product target needs its SKU before anything is drawn. */
export const targetReady = (kind: Kind, sku: string): boolean => kind !== "product" || sku.trim() !== "";

/** The last part of a path, on any system. */
export const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** The part of a suggested file name that says what is shared: the SKU, or the kind. */
export const fileStem = (kind: Kind, sku: string): string => (kind === "product" && sku.trim() ? sku.trim() : kind);

const LANGUAGE_NAMES: Record<string, string> = {
  en: "English",
  ar: "العربية",
  pt: "Português",
  es: "Español",
  id: "Bahasa Indonesia",
  hi: "हिन्दी",
};

/** A language's own name, for a poster's language list; an unknown tag as it is. */
export const languageName = (tag: string): string => LANGUAGE_NAMES[tag.split("-")[0] ?? ""] ?? tag;

export const POSTER_SIZES = ["A4", "A5", "A6", "Letter"];
export const LABEL_LAYOUTS = ["3x8", "3x7", "2x7", "2x5", "4x10"];

/** Labels on one sheet of a `COLUMNSxROWS` layout. */
export const labelsPerSheet = (layout: string): number =>
  layout
    .split("x")
    .map(Number)
    .reduce((a, b) => a * b, 1);
