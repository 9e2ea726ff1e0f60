import { describe, expect, it } from "vitest";
import { LabelSheet, labelsRequest, PosterDesign, posterRequest, QrDesign } from "./designs.svelte";

describe("a poster request", () => {
  const target = { kind: "catalog" as const, refTag: null };

  it("lists the chosen languages in the shop's order, whatever order they were ticked in", () => {
    const design = new PosterDesign(["pt-BR", "en", "ar"]);
    design.languages = ["ar", "pt-BR"];
    expect(posterRequest(design, ["pt-BR", "en", "ar"], target, "catalog").languages).toEqual(["pt-BR", "ar"]);
  });

  it("leaves a blank headline to the back end and trims a written one", () => {
    const design = new PosterDesign(["en"]);
    design.headline = "   ";
    expect(posterRequest(design, ["en"], target, "catalog").headline).toBeNull();
    design.headline = " Promoção! ";
    expect(posterRequest(design, ["en"], target, "catalog").headline).toBe("Promoção!");
  });

  it("puts a photo only on a product's poster", () => {
    const design = new PosterDesign(["en"]);
    expect(design.photo, "a product's poster has its photo unless told otherwise").toBe(true);
    expect(posterRequest(design, ["en"], target, "catalog").photo, "the catalog has no one photo").toBe(false);
    expect(posterRequest(design, ["en"], { kind: "product", sku: "S", metaId: null, refTag: null }, "product").photo).toBe(true);
  });

  it("starts with every language of the shop, a copy the shop's list does not share", () => {
    const languages = ["en", "ar"];
    const design = new PosterDesign(languages);
    design.languages = design.languages.filter((l) => l !== "ar");
    expect(languages, "the shop's languages are untouched").toEqual(["en", "ar"]);
  });
});

describe("a labels request", () => {
  it("prints the shared product, by its trimmed SKU", () => {
    const sheet = new LabelSheet("product");
    expect(labelsRequest(sheet, " SKU-1 ", "shelf")).toEqual({
      layout: "3x8",
      selection: { kind: "products", keys: ["SKU-1"] },
      refTag: "shelf",
      localDigits: false,
    });
  });

  it("prints a whole collection", () => {
    const sheet = new LabelSheet("collection");
    sheet.collection = "Verão";
    sheet.layout = "2x5";
    expect(labelsRequest(sheet, "SKU-1", null).selection).toEqual({ kind: "collection", collection: "Verão" });
  });
});

describe("QR options", () => {
  it("carry the chosen colours and logo at the size asked", () => {
    const qr = new QrDesign();
    qr.foreground = "#075e54";
    qr.logo = true;
    expect(qr.options(1024)).toEqual({ sizePx: 1024, foreground: "#075e54", background: "#ffffff", logo: true });
  });
});
