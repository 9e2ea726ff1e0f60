import type { Money } from "./bindings";

// Intl formatters are costly to build; a catalog page formats hundreds of prices.
const priceFormats = new Map<string, Intl.NumberFormat>();

/**
 * Formats a price in its own currency for the UI locale. `money.amount` is an exact
 * decimal string ("1234.50"), passed to Intl as a string so no float ever touches money.
 */
export function formatPrice(money: Money, locale: string): string {
  const key = `${locale}|${money.currency}`;
  let format = priceFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: "currency", currency: money.currency });
    } catch {
      return `${money.amount} ${money.currency}`;
    }
    priceFormats.set(key, format);
  }
  return format.format(money.amount as Intl.StringNumericLiteral);
}

export function formatCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}
