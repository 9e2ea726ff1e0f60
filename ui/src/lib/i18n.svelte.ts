// The UI's words, in six languages, through ICU MessageFormat (plural rules per language,
// numbers in the formatting locale's digits). `i18n` holds the chosen language; reading
// `t(...)` in a template re-renders it when the language changes.

import { IntlMessageFormat } from "intl-messageformat";
import { applyLocale, directionOf, formattingLocale, matchUiLanguage, systemLocale, type Digits, type Direction, type UiLanguage } from "./locale";
import { en, type MessageKey } from "./messages/en";
import { ar } from "./messages/ar";
import { ptBR } from "./messages/pt-BR";
import { es } from "./messages/es";
import { id } from "./messages/id";
import { hi } from "./messages/hi";

export type { MessageKey };
export type Values = Record<string, string | number | Date>;

const CATALOGS: Record<UiLanguage, Record<MessageKey, string>> = {
  en,
  ar,
  "pt-BR": ptBR,
  es,
  id,
  hi,
};

// A cache of compiled messages; nothing renders it, so it needs no reactivity.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const compiled = new Map<string, IntlMessageFormat>();

/** One message in `language`, formatted for `locale` (English when a message is missing). */
export function translate(language: UiLanguage, locale: string, key: MessageKey, values?: Values): string {
  const cacheKey = `${language}|${locale}|${key}`;
  let format = compiled.get(cacheKey);
  if (!format) {
    const source = CATALOGS[language][key] ?? en[key];
    format = new IntlMessageFormat(source, locale);
    compiled.set(cacheKey, format);
  }
  return String(format.format(values));
}

const LANGUAGE_KEY = "vitrine.language";
const DIGITS_KEY = "vitrine.digits";

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Private windows may refuse storage; the choice then lasts until the window closes.
  }
}

class I18n {
  /** The system's locale (navigator.language), which the UI follows unless told otherwise. */
  readonly system: string;
  /** `null`: follow the system. */
  chosen = $state<UiLanguage | null>(null);
  digits = $state<Digits>("auto");

  constructor() {
    this.system = systemLocale();
    const saved = stored(LANGUAGE_KEY);
    this.chosen = saved ? matchUiLanguage(saved) : null;
    const digits = stored(DIGITS_KEY);
    if (digits === "latn" || digits === "arab" || digits === "deva") this.digits = digits;
  }

  get language(): UiLanguage {
    return this.chosen ?? matchUiLanguage(this.system);
  }

  /** The locale numbers, prices and dates are written in. */
  get locale(): string {
    return formattingLocale(this.language, this.system, this.digits);
  }

  get dir(): Direction {
    return directionOf(this.language);
  }

  choose(language: UiLanguage | null): void {
    this.chosen = language;
    store(LANGUAGE_KEY, language);
    applyLocale(this.language);
  }

  chooseDigits(digits: Digits): void {
    this.digits = digits;
    store(DIGITS_KEY, digits === "auto" ? null : digits);
  }

  t = (key: MessageKey, values?: Values): string => translate(this.language, this.locale, key, values);
}

export const i18n = new I18n();
export const t = i18n.t;
