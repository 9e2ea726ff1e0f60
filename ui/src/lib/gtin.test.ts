import { describe, expect, test } from "vitest";
import { isGtin } from "./gtin";

describe("isGtin", () => {
  test("accepts real barcodes of every length GS1 defines", () => {
    expect(isGtin("96385074"), "GTIN-8").toBe(true);
    expect(isGtin("036000291452"), "UPC-A").toBe(true);
    expect(isGtin("4006381333931"), "EAN-13").toBe(true);
    expect(isGtin("7891000315507"), "a Brazilian EAN-13").toBe(true);
    expect(isGtin("10614141000415"), "GTIN-14").toBe(true);
    expect(isGtin(" 4006381333931 "), "spaces around are ignored").toBe(true);
  });

  test("refuses a wrong check digit, other lengths and what a spreadsheet made of one", () => {
    expect(isGtin("4006381333932"), "check digit off by one").toBe(false);
    expect(isGtin("40063813339"), "eleven digits").toBe(false);
    expect(isGtin("3.65275E+11"), "scientific notation").toBe(false);
    expect(isGtin(""), "empty").toBe(false);
  });
});
