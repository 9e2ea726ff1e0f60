// Numbers, prices and dates for people, through Intl and the UI's formatting locale.
// Money stays an exact decimal string ("1234.50"): it reaches Intl as a string, never a float.

import type { Money } from "./backend";
import { directionOf } from "./locale";

// Intl formatters are costly to build; a catalog page formats hundreds of prices.
const priceFormats = new Map<string, Intl.NumberFormat>();

function priceFormat(locale: string, currency: string): Intl.NumberFormat | null {
  const key = `${locale}|${currency}`;
  let format = priceFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: "currency", currency });
    } catch {
      return null;
    }
    priceFormats.set(key, format);
  }
  return format;
}

/**
 * A price in its own currency, written the way `locale` writes money. In right-to-left
 * locales a Latin symbol is isolated (U+2066…U+2069) so "R$" does not come out as "$R".
 */
export function formatPrice(money: Money, locale: string): string {
  const format = priceFormat(locale, money.currency);
  if (!format) return `${money.amount} ${money.currency}`;
  const amount = money.amount as Intl.StringNumericLiteral;
  if (directionOf(locale) === "ltr") return format.format(amount);
  return format
    .formatToParts(amount)
    .map((part) => (part.type === "currency" && /[A-Za-z]/.test(part.value) ? `\u2066${part.value}\u2069` : part.value))
    .join("");
}

/** How many decimals a currency's prices are shown with (BRL 2, JPY 0, KWD 3). */
export function currencyDecimals(currency: string): number {
  const format = priceFormat("en", currency);
  return format?.resolvedOptions().maximumFractionDigits ?? 2;
}

/** The currency's symbol as `locale` writes it ("R$", "ج.م.‏"). */
export function currencySymbol(currency: string, locale: string): string {
  const format = priceFormat(locale, currency);
  return format?.formatToParts(0).find((p) => p.type === "currency")?.value ?? currency;
}

/**
 * Normalises what a person typed in a price field to the decimal string the back end
 * reads ("1.234,5" in pt-BR → "1234.50" in BRL); `null` when it is not a number. Accepts
 * Arabic-Indic and Devanagari digits and either decimal separator.
 */
export function normalisePrice(text: string, currency: string): string | null {
  let s = text.trim().replace(/[\s\u00a0\u202f'’]/g, "");
  s = s.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
  s = s.replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
  s = s.replace(/[\u0966-\u096f]/g, (d) => String(d.charCodeAt(0) - 0x0966));
  s = s.replace(/\u066b/g, ".").replace(/\u066c/g, ",");
  if (s === "") return null;
  const lastDot = s.lastIndexOf(".");
  const lastComma = s.lastIndexOf(",");
  const decimals = currencyDecimals(currency);
  let separator = lastDot > lastComma ? "." : lastComma >= 0 ? "," : "";
  // "1.234" or "1,234" with three digits after the only separator is a thousands group,
  // unless the currency has three decimals (KWD).
  if (separator !== "") {
    const after = s.length - Math.max(lastDot, lastComma) - 1;
    const single = s.split(separator).length === 2 && (separator === "." ? lastComma : lastDot) < 0;
    if (single && after === 3 && decimals !== 3) separator = "";
  }
  const [whole = "", fraction = ""] =
    separator === "" ? [s.replace(/[.,]/g, "")] : splitAt(s, separator === "." ? lastDot : lastComma);
  // Thousands groups after the first must be three digits: "1.234.567" yes, "12,3" no.
  const groups = whole.split(/[.,]/);
  if (groups.slice(1).some((g) => g.length !== 3)) return null;
  const digitsOnly = groups.join("");
  if (!/^-?\d+$/.test(digitsOnly) || !/^\d*$/.test(fraction)) return null;
  if (decimals === 0) return fraction.replace(/0+$/, "") === "" ? digitsOnly : null;
  if (fraction.length > decimals) return null;
  return `${digitsOnly}.${fraction.padEnd(decimals, "0")}`;
}

function splitAt(s: string, index: number): [string, string] {
  return [s.slice(0, index), s.slice(index + 1)];
}

export function formatCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

export function formatDate(date: Date | string, locale: string): string {
  const d = typeof date === "string" ? new Date(date) : date;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(d);
}

/** `text` as a first-strong isolate (U+2068…U+2069): an address or id placed in a sentence keeps
 * its own order, so a Latin URL inside Arabic text is not reordered around its punctuation. */
export function isolated(text: string): string {
  return `\u2068${text}\u2069`;
}
