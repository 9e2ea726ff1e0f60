// Numbers, prices and dates for people. Prices are written by the table Rust writes them
// with (`price-formats.json`, generated from `Money::to_local_string` and drift-tested), so a
// price reads the same in the app, on a shelf label, a poster, the storefront and in the CLI.
// Money stays an exact decimal string ("1234.50"): it is never a float.

import type { Money } from "./backend";
import table from "./price-formats.json";

interface Style {
  group: string;
  decimal: string;
  indian: boolean;
  zero: string;
  affixes: Record<string, [string, string]>;
}
type Layer = { [K in keyof Style]?: Style[K] };
interface Entry {
  western?: Layer;
  local?: Layer;
}

const languages = table.languages as unknown as Record<string, Entry>;
const exponents = table.exponents as Record<string, number>;
const wholeWhenEven = new Set<string>(table.wholeWhenEven);

const styles = new Map<string, Style>();

/** The style of `locale`: `es-MX`, else `es-*`, else `es`, else `en`, each over the next. */
function styleOf(locale: string, local: boolean): Style {
  const key = `${locale}|${local}`;
  let style = styles.get(key);
  if (!style) {
    const [language = "en", ...rest] = locale.split("-u-")[0]!.split("-");
    const region = rest.find((p) => /^[A-Za-z]{2}$/.test(p))?.toUpperCase();
    const base = languages[language.toLowerCase()] ? language.toLowerCase() : "en";
    const digits = local && languages[base]?.local ? "local" : "western";
    const layers = [languages[base]?.[digits], region ? (languages[`${base}-${region}`] ?? languages[`${base}-*`])?.[digits] : undefined];
    // `es-MX` and `es-*` are both written over `es`; `es-*` does not apply where `es-MX` exists.
    style = { group: ",", decimal: ".", indian: false, zero: "0", affixes: {} };
    for (const layer of layers) {
      if (!layer) continue;
      style = { ...style, ...layer, affixes: { ...style.affixes, ...layer.affixes } };
    }
    styles.set(key, style);
  }
  return style;
}

/** Whether `locale` writes numbers in its own digits (Arabic-Indic, Devanagari). */
function usesLocalDigits(locale: string): boolean {
  try {
    const system = new Intl.NumberFormat(locale).resolvedOptions().numberingSystem;
    return system === "arab" || system === "arabext" || system === "deva";
  } catch {
    return false;
  }
}

/**
 * A price in its own currency, written as Rust's `Money::to_local_string` writes it for
 * `locale`'s language, with `locale`'s digits. In right-to-left languages a Latin sign is
 * isolated (U+2066…U+2069), so "R$" does not come out as "$R".
 */
export function formatPrice(money: Money, locale: string): string {
  return writePrice(money, locale, usesLocalDigits(locale));
}

/** `formatPrice` with the digits chosen: what the tests compare with Rust's samples. */
export function writePrice(money: Money, locale: string, localDigits: boolean): string {
  const exponent = exponents[money.currency];
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(money.amount);
  if (exponent === undefined || !match) return `${money.amount} ${money.currency}`;
  const [, sign = "", whole = "0", given = ""] = match;
  const style = styleOf(locale, localDigits);
  const [prefix, suffix] = style.affixes[money.currency] ?? [`${money.currency} `, ""];
  const fraction = given.padEnd(exponent, "0").slice(0, exponent);
  let amount = "";
  for (let i = 0; i < whole.length; i++) {
    const left = whole.length - i;
    const boundary = style.indian ? left === 3 || (left > 3 && (left - 3) % 2 === 0) : left % 3 === 0;
    if (boundary && i > 0) amount += style.group;
    amount += whole[i];
  }
  if (exponent > 0 && !(wholeWhenEven.has(money.currency) && /^0*$/.test(fraction))) amount += style.decimal + fraction;
  const zero = style.zero.charCodeAt(0);
  if (zero !== 48) amount = amount.replace(/[0-9]/g, (d) => String.fromCharCode(zero + d.charCodeAt(0) - 48));
  return `${sign}${prefix}${amount}${suffix}`;
}

/**
 * How many decimals people type in a currency's prices: BRL 2, JPY 0, KWD 3, and IDR 0,
 * whose cents exist but are not used in everyday prices.
 */
export function currencyDecimals(currency: string): number {
  return wholeWhenEven.has(currency) ? 0 : (exponents[currency] ?? 2);
}

/** The currency's sign as `locale` writes it ("R$", "ج.م.‏"), or its code. */
export function currencySymbol(currency: string, locale: string): string {
  const [prefix, suffix] = styleOf(locale, false).affixes[currency] ?? [currency, ""];
  return (prefix + suffix).replace(/[\s\u2066\u2069]/g, "") || currency;
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
  const [whole = "", fraction = ""] = separator === "" ? [s.replace(/[.,]/g, "")] : splitAt(s, separator === "." ? lastDot : lastComma);
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
