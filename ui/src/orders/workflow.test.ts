import { describe, expect, it } from "vitest";
import { nextStatuses } from "./workflow";

describe("the order workflow", () => {
  it("moves a new order to any later status, or cancels it", () => {
    expect(nextStatuses("new")).toEqual(["confirmed", "paid", "shipped", "delivered", "cancelled"]);
  });

  it("never moves an order back: a paid order can only be shipped, delivered or cancelled", () => {
    expect(nextStatuses("paid")).toEqual(["shipped", "delivered", "cancelled"]);
    expect(nextStatuses("shipped")).toEqual(["delivered", "cancelled"]);
  });

  it("ends at delivered or cancelled", () => {
    expect(nextStatuses("delivered")).toEqual([]);
    expect(nextStatuses("cancelled")).toEqual([]);
  });
});
