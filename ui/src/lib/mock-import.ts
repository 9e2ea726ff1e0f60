// The product files the mock back end can import, as the Rust side would read them: a
// Shopify export saved by Excel on Windows (Windows-1252, which nothing in the file says,
// semicolons, decimal commas, no currency) and a published Google Sheet in Meta's columns.
// Reading one in another encoding or with another delimiter than its own gives what the back
// end gives: replacement characters, or a header it does not know.

import {
  BackendError,
  type Delimiter,
  type FileReading,
  type ImportChoices,
  type ImportFile,
  type ImportFormat,
  type RowNote,
  type TextEncoding,
} from "./backend";

/** One product row of a mock file, as read. */
export interface MockRow {
  line: number;
  /** `null`: none in the file (a generated one is in `notes`). */
  sku: string | null;
  title: string;
  price: string | null;
  currency: string | null;
  availability: string;
  stock: number | null;
  photos: string[];
  published: boolean;
  notes: RowNote[];
  /** A cell that cannot be read: the row is skipped with this reason. */
  problem: string | null;
}

export interface MockFile {
  format: ImportFormat;
  reading: FileReading;
  rows: MockRow[];
  unreadable: { line: number; sku: string | null; message: string }[];
}

/** Photos on this host time out in the mock: they stay pending until a retry. */
export const SLOW_PHOTO_HOST = "https://cdn.loja-antiga.example/";

const TITLES = ["Camisa de algodão", "Vestido estampado", "Sandália de couro", "Bolsa de palha", "Brinco dourado", "Calça de linho"];

/** The Windows-1252 text read as `encoding`: other single-byte pages and UTF-8 get letters
 *  outside ASCII wrong, and that is what the person sees in the preview. */
function decoded(text: string, encoding: TextEncoding): string {
  if (encoding === "windows1252") return text;
  return text.replace(/[^\u0000-\u007f]/g, "\ufffd");
}

function shopifyExport(choices: ImportChoices, count: number): MockFile {
  const delimiter: Delimiter = choices.delimiter ?? "semicolon";
  if (delimiter !== "semicolon")
    throw new BackendError(
      "invalidInput",
      `csv: the header is not one Vitrine knows (read with the ${delimiter} between columns): expected Meta's feed columns, a Shopify product export, a WooCommerce product export, or an RSS/Atom product feed`,
    );
  const encoding = choices.encoding ?? "windows1252";
  const rows: MockRow[] = [];
  for (let i = 0; i < count; i++) {
    const line = i + 2;
    const notes: RowNote[] = [];
    // Line 9 repeats line 3's SKU, as exports of merged shops do.
    let sku: string | null = i === 7 ? "CSV-002" : `CSV-${String(i + 1).padStart(3, "0")}`;
    const title = decoded(`${TITLES[i % TITLES.length]} ${i + 1}`, encoding);
    if (i === 2) {
      sku = null;
      notes.push({ kind: "skuGenerated", sku: "vestido-estampado-3-azul" });
    }
    if (i === 3) notes.push({ kind: "notPublished", status: "draft" });
    if (i === 5) notes.push({ kind: "barcodeIgnored", value: "7,89100E+12", mangled: true });
    const whole = 39 + ((i * 23) % 160);
    rows.push({
      line,
      sku,
      title,
      price: i % 9 === 4 ? null : `${whole}.90`,
      currency: null,
      availability: i % 11 === 6 ? "out of stock" : "in stock",
      stock: i % 11 === 6 ? 0 : (i * 3) % 25,
      photos: i % 10 === 8 ? [`${SLOW_PHOTO_HOST}files/${i + 1}.jpg`] : [`https://cdn.shopify.example/files/${i + 1}.jpg`],
      published: i !== 3,
      notes,
      problem: i % 9 === 4 ? "price: “12,3,4” is not a price" : null,
    });
  }
  return {
    format: "shopify",
    reading: { encoding, encodingGuessed: choices.encoding == null, delimiter, decimalComma: true, currencyInFile: false },
    rows,
    unreadable: [{ line: count + 3, sku: null, message: "the row has 3 columns but the header has 48; check for a missing or extra semicolon or an unclosed quote" }],
  };
}

function publishedSheet(choices: ImportChoices): MockFile {
  const delimiter: Delimiter = choices.delimiter ?? "comma";
  if (delimiter !== "comma")
    throw new BackendError("invalidInput", `csv: the header is not one Vitrine knows (read with the ${delimiter} between columns)`);
  const rows: MockRow[] = ["Kurta bordada", "Rebozo tejido", "Taza de barro"].map((title, i) => ({
    line: i + 2,
    sku: `SHEET-${i + 1}`,
    title,
    price: `${120 + i * 35}.00`,
    currency: "MXN",
    availability: "in stock",
    stock: null,
    photos: [`https://fotos.example/sheet-${i + 1}.jpg`],
    published: true,
    notes: [],
    problem: null,
  }));
  return {
    format: "meta",
    reading: { encoding: choices.encoding ?? "utf8", encodingGuessed: false, delimiter, decimalComma: false, currencyInFile: true },
    rows,
    unreadable: [],
  };
}

/** The file at `file` as the back end reads it under `choices`; a path holds `rows` products. */
export function readMockFile(file: ImportFile, choices: ImportChoices, rows = 40): MockFile {
  if (file.kind === "url") {
    if (!file.url.startsWith("https://"))
      throw new BackendError("invalidInput", "link: only https links can be imported");
    if (!file.url.includes("docs.google.com"))
      throw new BackendError("network", `the link ${file.url} did not answer; check it opens in a browser`);
    return publishedSheet(choices);
  }
  if (!/\.(csv|txt|tsv|xml)$/i.test(file.path))
    throw new BackendError("invalidInput", "csv: this is not a product file Vitrine can read");
  return shopifyExport(choices, rows);
}
