// The import dialog's model: the encodings and delimiters a person can choose, each
// encoding named by the languages it is usual for (in the UI's language, through Intl),
// and the report's rows with their pending photos, filtered. Pure, so it is unit-tested.

import type { Delimiter, PendingPhoto, RowNote, RowOutcome, TextEncoding } from "../lib/backend";
import { isolated } from "../lib/format";
import type { MessageKey } from "../lib/i18n.svelte";

/** Every encoding, with its usual name and languages it is common for (BCP 47 codes). */
export const ENCODINGS: Record<TextEncoding, { name: string; languages: string[] }> = {
  utf8: { name: "UTF-8", languages: [] },
  utf16Le: { name: "UTF-16 LE", languages: [] },
  utf16Be: { name: "UTF-16 BE", languages: [] },
  windows1252: { name: "Windows-1252", languages: ["pt", "es", "fr", "de"] },
  windows1250: { name: "Windows-1250", languages: ["pl", "cs", "hu"] },
  windows1251: { name: "Windows-1251", languages: ["ru", "uk"] },
  windows1253: { name: "Windows-1253", languages: ["el"] },
  windows1254: { name: "Windows-1254", languages: ["tr"] },
  windows1255: { name: "Windows-1255", languages: ["he"] },
  windows1256: { name: "Windows-1256", languages: ["ar", "fa"] },
  windows1258: { name: "Windows-1258", languages: ["vi"] },
  windows874: { name: "Windows-874", languages: ["th"] },
  shiftJis: { name: "Shift_JIS", languages: ["ja"] },
  gbk: { name: "GBK", languages: ["zh-Hans"] },
  big5: { name: "Big5", languages: ["zh-Hant"] },
  eucKr: { name: "EUC-KR", languages: ["ko"] },
};

export const TEXT_ENCODINGS = Object.keys(ENCODINGS) as TextEncoding[];

/** "Windows-1252 — Portuguese, Spanish, French and German", in `language`'s words. */
export function encodingLabel(encoding: TextEncoding, language: string): string {
  const { name, languages } = ENCODINGS[encoding];
  if (languages.length === 0) return name;
  let names: string[];
  let list: string;
  try {
    const display = new Intl.DisplayNames([language], { type: "language" });
    names = languages.map((code) => display.of(code) ?? code);
    list = new Intl.ListFormat([language], { type: "conjunction" }).format(names);
  } catch {
    list = languages.join(", ");
  }
  return `${name} — ${list}`;
}

export const DELIMITERS: Record<Delimiter, { label: MessageKey; char: string }> = {
  comma: { label: "import.delimiter.comma", char: "," },
  semicolon: { label: "import.delimiter.semicolon", char: ";" },
  tab: { label: "import.delimiter.tab", char: "⇥" },
  pipe: { label: "import.delimiter.pipe", char: "|" },
};

export const DELIMITER_KINDS = Object.keys(DELIMITERS) as Delimiter[];

/** What the report's filter can show. */
export type ReportFilter = "all" | "created" | "updated" | "unchanged" | "skipped" | "notes" | "photos";

export const REPORT_FILTERS: ReportFilter[] = ["all", "created", "updated", "unchanged", "skipped", "notes", "photos"];

/** A report row with the photos of that row still waiting to download. */
export interface ReportRow extends RowOutcome {
  pending: PendingPhoto[];
}

/** The report's rows in file order (rows the file could not read come first from the back
 *  end), each with its pending photos (matched by line). */
export function reportRows(rows: RowOutcome[], pending: PendingPhoto[] = []): ReportRow[] {
  const byLine = new Map<number, PendingPhoto[]>();
  for (const photo of pending) byLine.set(photo.line, [...(byLine.get(photo.line) ?? []), photo]);
  return rows.map((row) => ({ ...row, pending: byLine.get(row.line) ?? [] })).sort((a, b) => a.line - b.line);
}

export function matches(row: ReportRow, filter: ReportFilter): boolean {
  switch (filter) {
    case "all":
      return true;
    case "notes":
      return row.notes.length > 0 || row.pending.length > 0;
    case "photos":
      return row.pending.length > 0;
    case "created":
    case "updated":
    case "unchanged":
    case "skipped":
      return row.result.kind === filter;
  }
}

/** How many rows each filter shows. A row grouping others (a collection) counts in All only. */
export function filterCounts(rows: ReportRow[]): Record<ReportFilter, number> {
  const counts = Object.fromEntries(REPORT_FILTERS.map((f) => [f, 0])) as Record<ReportFilter, number>;
  for (const row of rows) for (const f of REPORT_FILTERS) if (matches(row, f)) counts[f]++;
  return counts;
}

/** The message (and its values) that tells a note to the merchant; codes from the file are
 *  isolated so a Latin SKU keeps its order in an Arabic sentence. */
export function noteMessage(note: RowNote): { key: MessageKey; values: Record<string, string | number> } {
  switch (note.kind) {
    case "skuGenerated":
      return { key: "import.note.skuGenerated", values: { sku: isolated(note.sku) } };
    case "notPublished":
      return { key: "import.note.notPublished", values: { status: isolated(note.status) } };
    case "barcodeIgnored":
      return {
        key: note.mangled ? "import.note.barcodeMangled" : "import.note.barcodeIgnored",
        values: { value: isolated(note.value) },
      };
    case "skuRenamed":
      return { key: "import.note.skuRenamed", values: { original: isolated(note.original), line: note.firstLine } };
  }
}

/** An `https` address, the only kind of link a product file is read from. */
export function isHttpsLink(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return url.protocol === "https:" && url.hostname.includes(".");
  } catch {
    return false;
  }
}
