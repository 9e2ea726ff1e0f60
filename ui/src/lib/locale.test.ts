import { describe, expect, it } from "vitest";
import { directionOf, formattingLocale, matchUiLanguage } from "./locale";

describe("the UI language follows the system's", () => {
  it.each([
    ["pt-PT", "pt-BR"],
    ["pt-BR", "pt-BR"],
    ["ar-EG", "ar"],
    ["es-MX", "es"],
    ["in-ID", "id"],
    ["id", "id"],
    ["hi-IN", "hi"],
    ["fr-FR", "en"],
  ])("%s → %s", (system, ui) => {
    expect(matchUiLanguage(system)).toBe(ui);
  });
});

describe("writing direction", () => {
  it("is right-to-left for Arabic, left-to-right otherwise", () => {
    expect(directionOf("ar")).toBe("rtl");
    expect(directionOf("ar-EG")).toBe("rtl");
    expect(directionOf("pt-BR")).toBe("ltr");
    expect(directionOf("hi")).toBe("ltr");
  });
});

describe("numbers are formatted in the system's regional variant of the UI language", () => {
  it("keeps ar-EG when the UI is Arabic on an Egyptian system", () => {
    expect(formattingLocale("ar", "ar-EG", "auto")).toBe("ar-EG");
  });
  it("uses the UI language when the system speaks another", () => {
    expect(formattingLocale("pt-BR", "en-US", "auto")).toBe("pt-BR");
  });
  it("adds a numbering system when digits are chosen", () => {
    expect(formattingLocale("ar", "ar-EG", "latn")).toBe("ar-EG-u-nu-latn");
    expect(formattingLocale("ar", "ar", "arab")).toBe("ar-u-nu-arab");
  });
});
