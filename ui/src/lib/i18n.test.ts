import { describe, expect, it } from "vitest";
import { IntlMessageFormat } from "intl-messageformat";
import { translate } from "./i18n.svelte";
import { UI_LANGUAGES } from "./locale";
import { en, type MessageKey } from "./messages/en";
import { ar } from "./messages/ar";
import { ptBR } from "./messages/pt-BR";
import { es } from "./messages/es";
import { id } from "./messages/id";
import { hi } from "./messages/hi";

const CATALOGS = { ar, "pt-BR": ptBR, es, id, hi };

/** The `{name}` arguments a message uses (plural arguments included). */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  for (const match of message.matchAll(/\{\s*([a-zA-Z]+)\s*(?:[,}])/g)) names.add(match[1]!);
  return [...names].sort();
}

describe("every language says everything English says", () => {
  for (const [language, catalog] of Object.entries(CATALOGS)) {
    it(`${language} has every message, each valid ICU with English's arguments`, () => {
      for (const key of Object.keys(en) as MessageKey[]) {
        const message = catalog[key];
        expect(message, `${language} ${key}`).toBeTypeOf("string");
        expect(() => new IntlMessageFormat(message, language), `${language} ${key}`).not.toThrow();
        expect(argumentsOf(message), `${language} ${key}`).toEqual(argumentsOf(en[key]));
      }
    });
  }

  it("offers the six languages of the issue", () => {
    expect(UI_LANGUAGES.map((l) => l.code)).toEqual(["en", "ar", "pt-BR", "es", "id", "hi"]);
  });
});

describe("plural rules follow each language", () => {
  const count = (language: Parameters<typeof translate>[0], locale: string, n: number) => translate(language, locale, "catalog.count", { count: n });

  it("Arabic has six forms", () => {
    expect(count("ar", "ar", 0)).toBe("لا منتجات");
    expect(count("ar", "ar", 1)).toBe("منتج واحد");
    expect(count("ar", "ar", 2)).toBe("منتجان");
    expect(count("ar", "ar", 3)).toBe("3 منتجات");
    expect(count("ar", "ar", 11)).toBe("11 منتجًا");
    expect(count("ar", "ar", 100)).toBe("100 منتج");
  });

  it("Arabic counts in Arabic-Indic digits where the locale asks", () => {
    expect(count("ar", "ar-EG", 48)).toBe("٤٨ منتجًا");
  });

  it("Portuguese, Spanish and English have one and other", () => {
    expect(count("pt-BR", "pt-BR", 1)).toBe("1 produto");
    expect(count("pt-BR", "pt-BR", 1500)).toBe("1.500 produtos");
    expect(count("es", "es", 2)).toBe("2 productos");
    expect(count("en", "en", 1)).toBe("1 product");
  });

  it("Indonesian does not inflect; Hindi treats 0 and 1 alike", () => {
    expect(count("id", "id", 1)).toBe("1 produk");
    expect(count("id", "id", 7)).toBe("7 produk");
    expect(translate("hi", "hi", "status.errors", { count: 0 })).toBe("0 समस्या");
    expect(translate("hi", "hi", "status.errors", { count: 3 })).toBe("3 समस्याएँ");
  });
});
