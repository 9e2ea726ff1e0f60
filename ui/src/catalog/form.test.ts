import { describe, expect, it } from "vitest";
import type { Finding } from "../lib/backend";
import { emptyForm, findingsByField, formFieldOf, inputFromForm, readyToSync, withOffset } from "./form";

const finding = (rule: string, severity: Finding["severity"], field: Finding["field"]): Finding => ({
  rule,
  severity,
  field,
  message: rule,
});

describe("the editor's form becomes the back end's input", () => {
  it("blank optional fields are null, not empty strings", () => {
    const input = inputFromForm({ ...emptyForm("BRL", ["pt-BR"]), sku: " A-1 ", title: "Camisa", price: "10.00" });
    expect(input).toMatchObject({ sku: "A-1", salePrice: null, saleWindow: null, link: null, stock: null, variant: null });
  });

  it("collections split on Latin and Arabic commas", () => {
    const input = inputFromForm({ ...emptyForm("SAR", ["ar"]), collections: "جديد، عروض, Verão" });
    expect(input.collections).toEqual(["جديد", "عروض", "Verão"]);
  });

  it("a variant keeps its named attributes; empty rows are dropped", () => {
    const form = {
      ...emptyForm("BRL", []),
      variantGroup: "CAMISA",
      attributes: [
        { name: "Tamanho", value: "M" },
        { name: "", value: "" },
      ],
    };
    expect(inputFromForm(form).variant).toEqual({ groupId: "CAMISA", attributes: [{ name: "Tamanho", value: "M" }] });
  });

  it("a sale window is sent in Meta's interval form with this computer's offset", () => {
    const input = inputFromForm({ ...emptyForm("BRL", []), salePrice: "9.90", saleStart: "2026-11-27T00:00", saleEnd: "2026-11-30T23:59" });
    expect(input.saleWindow).toMatch(/^2026-11-27T00:00[+-]\d\d:\d\d\/2026-11-30T23:59[+-]\d\d:\d\d$/);
    expect(withOffset("2026-01-01T10:00", new Date(Date.UTC(2026, 0, 1, 13)))).toMatch(/^2026-01-01T10:00[+-]\d\d:\d\d$/);
  });

  it("one translation per shop language after the first", () => {
    expect(emptyForm("BRL", ["pt-BR", "en", "es"]).translations.map((t) => t.language)).toEqual(["en", "es"]);
  });
});

describe("findings next to their field", () => {
  it("groups findings by field, errors before warnings", () => {
    const byField = findingsByField([
      finding("title_long", "warning", "title"),
      finding("title_too_long", "error", "title"),
      finding("image_missing", "error", "images"),
    ]);
    expect(byField.get("title")?.map((f) => f.rule)).toEqual(["title_too_long", "title_long"]);
    expect(byField.get("images")).toHaveLength(1);
  });

  it("errors block ready-to-sync, warnings do not", () => {
    expect(readyToSync([finding("title_long", "warning", "title")])).toBe(true);
    expect(readyToSync([finding("image_missing", "error", "images")])).toBe(false);
  });

  it("a refused input is shown at the field the back end names", () => {
    expect(formFieldOf("salePrice")).toBe("salePrice");
    expect(formFieldOf("saleWindow"), "the window's end is where a person types it").toBe("saleEnd");
    expect(formFieldOf(null), "a refusal about no field").toBeNull();
    expect(formFieldOf("relayUrl"), "a field the product form does not have").toBeNull();
  });
});

describe("barcodes and drafts", () => {
  it("a barcode is sent without the spaces people type between its digit groups; empty clears it", () => {
    const form = { ...emptyForm("BRL", ["pt-BR"]), gtin: " 789 1000 315507 " };
    expect(inputFromForm(form).gtin, "digits only").toBe("7891000315507");
    expect(inputFromForm({ ...form, gtin: "" }).gtin, "an empty field clears the saved barcode").toBe("");
  });

  it("a new product is published unless the person makes it a draft", () => {
    const form = emptyForm("BRL", ["pt-BR"]);
    expect(inputFromForm(form).published, "published by default").toBe(true);
    expect(inputFromForm({ ...form, published: false }).published, "a draft stays a draft").toBe(false);
  });

  it("the back end's refusal of a barcode is shown under the barcode field", () => {
    expect(formFieldOf("gtin")).toBe("gtin");
  });
});
