import { beforeAll, describe, expect, it } from "vitest";
import type { Order } from "../lib/backend";
import { i18n } from "../lib/i18n.svelte";
import { deliveryText, hoursAndMinutes, windowLeft, who } from "./display";

const orderFrom = (name: string): Order => ({
  id: 1,
  wamid: "wamid.1",
  phoneNumberId: "1098765432",
  customer: { waId: "5511987654321", name },
  receivedAt: "2026-12-01T12:00:00Z",
  status: "new",
  note: "",
  refTag: null,
  catalogId: "123",
  customerText: "",
  lines: [],
  total: null,
  itemCount: 0,
  hasUnknownProducts: false,
  hasPriceDifferences: false,
});

describe("how an order reads", () => {
  beforeAll(() => i18n.choose("en"));

  it("names the customer, or gives their number when WhatsApp has no name", () => {
    expect(who(orderFrom("Ana Paula"))).toBe("Ana Paula");
    expect(who(orderFrom("  ")), "a blank name is no name").toBe("+5511987654321");
  });

  it("says what is left of the reply window in whole hours and minutes", () => {
    expect(hoursAndMinutes(23 * 3600 + 59 * 60 + 59)).toEqual({ hours: 23, minutes: 59 });
    expect(hoursAndMinutes(59)).toEqual({ hours: 0, minutes: 0 });
    expect(windowLeft(5400)).toBe("1 h 30 min left to reply for free");
  });

  it("translates the delivery statuses it knows and shows Meta's own otherwise", () => {
    expect(deliveryText("failed")).toBe("not delivered");
    expect(deliveryText("deleted"), "a status Meta adds later is shown as Meta says it").toBe("deleted");
  });
});
