import { describe, expect, it } from "vitest";
import { currencyOf, formatEntryValue } from "@/lib/console/money-format";

describe("amounts shown to reviewers", () => {
  it("writes an amount whose label names its currency as money", () => {
    expect(formatEntryValue("amount", "Amount (USD)", "4200000.00")).toBe("$4,200,000.00");
    expect(formatEntryValue("amount", "Amount (EUR)", "12.5")).toBe("€12.50");
    expect(formatEntryValue("fee_jpy", "Fee", "1200")).toBe("¥1,200");
    expect(formatEntryValue("amount", "Amount (CAD)", "10")).toBe("CA$10.00");
  });

  it("leaves values alone that do not say they are money, or are not plain numbers", () => {
    expect(formatEntryValue("amount", "Amount", "12")).toBe("12");
    expect(formatEntryValue("order", "Order (USD)", "55912")).toBe("55912");
    expect(formatEntryValue("amount", "Amount (USD)", "about 4M")).toBe("about 4M");
    expect(currencyOf("invoice", "Invoice for the team")).toBeNull();
  });
});
