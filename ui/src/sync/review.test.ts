import { describe, expect, it } from "vitest";
import type { HeldItem, MetaItem, SyncPreview } from "../lib/backend";
import { canFix, fixFocus, issueField, orphansOf, reviewCounts } from "./review";

const item = (sku: string, reviewStatus: string, imageFetchStatus = "", inVitrine = true): MetaItem => ({
  sku,
  metaId: `meta-${sku}`,
  reviewStatus,
  imageFetchStatus,
  issues: [],
  inVitrine,
});

const previewHolding = (held: HeldItem[]): SyncPreview => ({
  unfinished: false,
  atMeta: 0,
  toCreate: 0,
  toUpdate: 0,
  toDelete: 0,
  unchanged: 0,
  held,
  rejected: [],
  warnings: [],
  lastSyncedAt: null,
  lines: [],
});

describe("Meta's review", () => {
  const review = [
    item("A", "approved", "FETCHED"),
    item("B", "PENDING"),
    item("C", ""),
    item("D", "Rejected", "fetch_failed"),
    item("E", "approved", "DIRECT_UPLOAD"),
    item("F", "approved", "PARTIAL_FETCH"),
    item("OLD", "approved", "", false),
  ];

  it("is counted without regard to case, an empty status waiting for review", () => {
    const counts = reviewCounts(review);
    expect(counts.approved, "A, E and F are approved; the orphan is not counted").toBe(3);
    expect(
      counts.pending.map((m) => m.sku),
      "upper-case PENDING and no status both wait",
    ).toEqual(["B", "C"]);
    expect(counts.rejected.map((m) => m.sku)).toEqual(["D"]);
  });

  it("counts a photo as missing only for Meta's failure states", () => {
    expect(
      reviewCounts(review).noImage.map((m) => m.sku),
      "FETCHED and DIRECT_UPLOAD are photos Meta has",
    ).toEqual(["D", "F"]);
  });

  it("lists as orphans only the items Vitrine does not hold", () => {
    expect(orphansOf(review).map((m) => m.sku)).toEqual(["OLD"]);
    expect(orphansOf(null), "no review read yet: no orphans").toEqual([]);
    expect(reviewCounts(null).pending, "no review read yet: nothing waits").toEqual([]);
  });

  it("takes the field an issue is about from its type, skipping untyped issues", () => {
    expect(
      issueField([
        { field: null, title: "Price", description: "The price of this item is too high", callToAction: null },
        { field: "images", title: null, description: "Image too small", callToAction: null },
      ]),
      "the words of the first issue name a price, but only the second is typed",
    ).toBe("images");
    expect(
      issueField([{ field: null, title: "The picture is blurry", description: null, callToAction: null }]),
      "no type: no field, whatever the words",
    ).toBeNull();
  });
});

describe("a Fix", () => {
  it("is offered for held, rejected and warned products only", () => {
    expect(canFix("held") && canFix("rejected") && canFix("warning")).toBe(true);
    expect(canFix("new") || canFix("changed") || canFix("synced"), "nothing to fix in a product Meta can take").toBe(false);
  });

  it("opens a held product at its first blocking finding, not at a warning before it", () => {
    const preview = previewHolding([
      {
        sku: "SKU-1",
        title: "Bolsa",
        errors: [
          { rule: "title_long", severity: "warning", field: "title", message: "long" },
          { rule: "description_missing", severity: "error", field: "description", message: "missing" },
        ],
      },
    ]);
    expect(fixFocus(preview, "SKU-1", "price"), "the held product's own finding comes before Meta's").toBe("description");
  });

  it("opens a held product with only warnings at the first of them", () => {
    const preview = previewHolding([{ sku: "SKU-1", title: "Bolsa", errors: [{ rule: "title_long", severity: "warning", field: "title", message: "long" }] }]);
    expect(fixFocus(preview, "SKU-1", null)).toBe("title");
  });

  it("opens a product Meta refused at the field Meta's error type names, or at none", () => {
    const preview = previewHolding([]);
    expect(fixFocus(preview, "SKU-2", "price")).toBe("price");
    expect(fixFocus(null, "SKU-2", "images")).toBe("images");
    expect(fixFocus(preview, "SKU-2", null), "no typed field: the editor opens where it always does").toBeNull();
  });
});
