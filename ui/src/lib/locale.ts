// The UI language, the locale numbers and dates are formatted with, and the writing
// direction. The language follows the system (navigator.language) until the person picks
// one in Settings; product text carries its own direction (dir="auto", <bdi>).

const RTL_LANGUAGES = new Set(["ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"]);

/** The languages the UI is translated into, each named in itself. */
export const UI_LANGUAGES = [
  { code: "en", name: "English" },
  { code: "ar", name: "العربية" },
  { code: "pt-BR", name: "Português (Brasil)" },
  { code: "es", name: "Español" },
  { code: "id", name: "Bahasa Indonesia" },
  { code: "hi", name: "हिन्दी" },
] as const;

export type UiLanguage = (typeof UI_LANGUAGES)[number]["code"];

/**
 * Which digits numbers are written with. `auto` lets the locale decide (Egyptian Arabic
 * uses Arabic-Indic digits, Moroccan Arabic Western ones).
 */
export type Digits = "auto" | "latn" | "arab" | "deva";

export type Direction = "ltr" | "rtl";

export function systemLocale(): string {
  const candidate = navigator.languages?.[0] ?? navigator.language ?? "en";
  return canonical(candidate) ?? "en";
}

function canonical(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

function languageOf(tag: string): string {
  return tag.split("-")[0]?.toLowerCase() ?? "";
}

/** The UI language closest to a BCP 47 tag; English when none is close. */
export function matchUiLanguage(tag: string): UiLanguage {
  const language = languageOf(tag);
  if (language === "in") return "id"; // Java's old code for Indonesian.
  if (language === "pt") return "pt-BR";
  const match = UI_LANGUAGES.find((l) => languageOf(l.code) === language);
  return match?.code ?? "en";
}

/**
 * The locale to format numbers, prices and dates with: the system's own regional variant
 * when it speaks the UI language (ar-EG keeps Egyptian conventions), else the UI language;
 * `digits` other than `auto` adds a Unicode numbering-system extension (`-u-nu-arab`).
 */
export function formattingLocale(language: UiLanguage, system: string, digits: Digits): string {
  const base = languageOf(system) === languageOf(language) ? system.split("-u-")[0]! : language;
  if (digits === "auto") return base;
  return canonical(`${base}-u-nu-${digits}`) ?? base;
}

export function directionOf(locale: string): Direction {
  return RTL_LANGUAGES.has(languageOf(locale)) ? "rtl" : "ltr";
}

/** Sets `lang` and `dir` on <html> so the whole layout mirrors for right-to-left languages. */
export function applyLocale(language: string): void {
  document.documentElement.lang = language;
  document.documentElement.dir = directionOf(language);
}
