import { describe, expect, it } from "vitest";
import { currencyDecimals, formatPrice, normalisePrice, writePrice } from "./format";
import samples from "./price-samples.json";

describe("prices are written in their currency's decimals, for the reader's locale", () => {
  it("gives BRL two decimals, IDR none, KWD three", () => {
    expect(currencyDecimals("BRL")).toBe(2);
    expect(currencyDecimals("IDR")).toBe(0);
    expect(currencyDecimals("KWD")).toBe(3);
  });

  it("writes a Brazilian price the Brazilian way", () => {
    expect(formatPrice({ amount: "1234.50", currency: "BRL" }, "pt-BR")).toBe("R$ 1.234,50");
  });

  it("leaves out rupiah cents of zero, as Indonesian prices are written, but never rounds", () => {
    expect(formatPrice({ amount: "15000.00", currency: "IDR" }, "id")).toBe("Rp 15.000");
    expect(formatPrice({ amount: "15000.50", currency: "IDR" }, "id")).toBe("Rp 15.000,50");
  });

  it.each(samples.map((s) => [s.text, s.amount, s.currency, s.locale, s.localDigits] as const))(
    "writes %s exactly as Rust writes it on labels, posters, the storefront and in the CLI (%s %s in %s, local digits %s)",
    (text, amount, currency, locale, localDigits) => {
      expect(writePrice({ amount, currency }, locale, localDigits)).toBe(text);
    },
  );

  it("uses Arabic-Indic digits in Egyptian Arabic, Western digits when asked", () => {
    expect(formatPrice({ amount: "1234.50", currency: "EGP" }, "ar-EG")).toMatch(/١٬٢٣٤٫٥٠/);
    expect(formatPrice({ amount: "1234.50", currency: "EGP" }, "ar-EG-u-nu-latn")).toMatch(/1,234\.50/);
  });

  it("keeps a Latin currency symbol in one piece inside right-to-left text", () => {
    expect(formatPrice({ amount: "20.90", currency: "BRL" }, "ar-EG")).toContain("\u2066R$\u2069");
  });

  it("never rounds money through a float: a long exact amount stays exact", () => {
    expect(formatPrice({ amount: "90071992547409.93", currency: "USD" }, "en-US")).toBe("$90,071,992,547,409.93");
  });
});

describe("a typed price becomes the decimal string the back end reads", () => {
  it.each([
    ["149,9", "BRL", "149.90"],
    ["1.234,50", "BRL", "1234.50"],
    ["1,234.50", "USD", "1234.50"],
    ["1.234", "BRL", "1234.00"],
    ["425.000", "IDR", "425000"],
    ["425000", "IDR", "425000"],
    ["١٢٣٫٤٥", "EGP", "123.45"],
    ["१२०", "INR", "120.00"],
    ["1.250", "KWD", "1.250"],
  ])("%s in %s → %s", (typed, currency, expected) => {
    expect(normalisePrice(typed, currency)).toBe(expected);
  });

  it.each([["12,3,4"], ["abc"], [""], ["1.2.3"], ["1,2345"]])("refuses %s", (typed) => {
    expect(normalisePrice(typed, "BRL")).toBeNull();
  });
});
