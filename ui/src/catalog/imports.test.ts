import { describe, expect, it } from "vitest";
import type { RowOutcome } from "../lib/backend";
import { encodingLabel, filterCounts, isHttpsLink, matches, noteMessage, reportRows } from "./imports";

const row = (line: number, result: RowOutcome["result"], notes: RowOutcome["notes"] = []): RowOutcome => ({
  line,
  sku: `SKU-${line}`,
  result,
  notes,
});

describe("the import report's rows", () => {
  const rows = reportRows(
    [
      row(4, { kind: "created" }),
      row(2, { kind: "skipped", reason: "price: not a price" }),
      row(3, { kind: "updated" }, [{ kind: "notPublished", status: "draft" }]),
      row(5, { kind: "unchanged" }),
      row(6, { kind: "collection", name: "Camisas", members: 3 }),
    ],
    [{ line: 4, sku: "SKU-4", url: "https://cdn.example/4.jpg", reason: "timed out" }],
  );

  it("are in file order, each with the pending photos of its line", () => {
    expect(
      rows.map((r) => r.line),
      "an unreadable row reported first goes to its line",
    ).toEqual([2, 3, 4, 5, 6]);
    expect(
      rows[2]!.pending.map((p) => p.url),
      "line 4's photo is waiting",
    ).toEqual(["https://cdn.example/4.jpg"]);
    expect(rows[0]!.pending, "no photo waits for line 2").toEqual([]);
  });

  it("filter by result, by notes (a pending photo is one) and by pending photos", () => {
    expect(rows.filter((r) => matches(r, "skipped")).map((r) => r.line)).toEqual([2]);
    expect(
      rows.filter((r) => matches(r, "notes")).map((r) => r.line),
      "a note or a waiting photo",
    ).toEqual([3, 4]);
    expect(rows.filter((r) => matches(r, "photos")).map((r) => r.line)).toEqual([4]);
    expect(
      rows.filter((r) => matches(r, "all")),
      "all shows every row",
    ).toHaveLength(5);
  });

  it("count per filter; a collection row counts under All only", () => {
    expect(filterCounts(rows)).toEqual({ all: 5, created: 1, updated: 1, unchanged: 1, skipped: 1, notes: 2, photos: 1 });
  });

  it("a report without pending photos (an older back end) has none", () => {
    expect(reportRows([row(2, { kind: "created" })])[0]!.pending).toEqual([]);
  });
});

describe("notes", () => {
  it("name their message and isolate what came from the file", () => {
    expect(noteMessage({ kind: "skuGenerated", sku: "camisa-azul" })).toEqual({
      key: "import.note.skuGenerated",
      values: { sku: "\u2068camisa-azul\u2069" },
    });
    expect(noteMessage({ kind: "skuRenamed", original: "A-1", firstLine: 7 }).values, "the first line is a number").toEqual({
      original: "\u2068A-1\u2069",
      line: 7,
    });
  });

  it("a barcode a spreadsheet turned into a number says so", () => {
    expect(noteMessage({ kind: "barcodeIgnored", value: "7.89E+12", mangled: true }).key).toBe("import.note.barcodeMangled");
    expect(noteMessage({ kind: "barcodeIgnored", value: "123", mangled: false }).key).toBe("import.note.barcodeIgnored");
  });
});

describe("choices", () => {
  it("a code page is named with the languages it is usual for, in the UI's language", () => {
    expect(encodingLabel("windows1256", "en")).toBe("Windows-1256 — Arabic and Persian");
    expect(encodingLabel("windows1252", "pt-BR")).toBe("Windows-1252 — português, espanhol, francês e alemão");
    expect(encodingLabel("utf8", "ar"), "Unicode needs no languages").toBe("UTF-8");
  });

  it("only an https link to a host is a link to import from", () => {
    expect(isHttpsLink(" https://docs.google.com/spreadsheets/d/e/x/pub?output=csv ")).toBe(true);
    expect(isHttpsLink("http://docs.google.com/x"), "not encrypted").toBe(false);
    expect(isHttpsLink("https://localhost/x"), "no public host").toBe(false);
    expect(isHttpsLink("docs.google.com/x"), "no scheme").toBe(false);
  });
});
