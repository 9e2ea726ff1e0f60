import { describe, expect, it } from "vitest";
import { fileName, fileStem, labelsPerSheet, languageName, shareTarget, targetReady } from "./target";

describe("what is shared", () => {
  it("carries the ref tag trimmed, a blank one as none", () => {
    expect(shareTarget("catalog", "", "", "  poster-1 ")).toEqual({ kind: "catalog", refTag: "poster-1" });
    expect(shareTarget("catalog", "", "", "   ")).toEqual({ kind: "catalog", refTag: null });
  });

  it("keeps a chat's text as typed and trims a product's SKU", () => {
    expect(shareTarget("chat", "SKU-1", " Olá ", "")).toEqual({ kind: "chat", text: " Olá ", refTag: null });
    expect(shareTarget("product", " SKU-1 ", "", "")).toEqual({ kind: "product", sku: "SKU-1", metaId: null, refTag: null });
  });

  it("is ready to draw once a product has its SKU", () => {
    expect(targetReady("product", "  "), "a blank SKU draws nothing").toBe(false);
    expect(targetReady("product", "SKU-1")).toBe(true);
    expect(targetReady("catalog", ""), "the catalog needs nothing more").toBe(true);
  });
});

describe("suggested files", () => {
  it("are named after the product's SKU, else after the kind", () => {
    expect(fileStem("product", " SKU-1 ")).toBe("SKU-1");
    expect(fileStem("product", ""), "no SKU yet").toBe("product");
    expect(fileStem("chat", "SKU-1"), "a chat is not named after a SKU left in the form").toBe("chat");
  });

  it("are reported by their name alone, on Windows and elsewhere", () => {
    expect(fileName("/home/ana/poster.pdf")).toBe("poster.pdf");
    expect(fileName("C:\\Users\\Ana\\qr.png")).toBe("qr.png");
    expect(fileName("labels.pdf")).toBe("labels.pdf");
  });
});

describe("names shown", () => {
  it("give a language its own name, by its primary subtag", () => {
    expect(languageName("pt-BR")).toBe("Português");
    expect(languageName("ar")).toBe("العربية");
    expect(languageName("fr"), "an unknown language shows its tag").toBe("fr");
  });

  it("count the labels of a sheet layout", () => {
    expect(labelsPerSheet("3x8")).toBe(24);
    expect(labelsPerSheet("4x10")).toBe(40);
  });
});
