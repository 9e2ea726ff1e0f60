// The UI locale and its writing direction. The UI follows the system language
// (navigator.language); product text carries its own direction (dir="auto").

const RTL_LANGUAGES = new Set(["ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"]);

export type Direction = "ltr" | "rtl";

export function uiLocale(): string {
  const candidate = navigator.languages?.[0] ?? navigator.language ?? "en";
  try {
    return Intl.getCanonicalLocales(candidate)[0] ?? "en";
  } catch {
    return "en";
  }
}

export function directionOf(locale: string): Direction {
  const language = locale.split("-")[0]?.toLowerCase() ?? "";
  return RTL_LANGUAGES.has(language) ? "rtl" : "ltr";
}

/** Sets `lang` and `dir` on <html> so the whole layout mirrors for right-to-left languages. */
export function applyLocale(locale: string): void {
  document.documentElement.lang = locale;
  document.documentElement.dir = directionOf(locale);
}
