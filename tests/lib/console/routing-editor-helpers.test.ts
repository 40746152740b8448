import { describe, expect, it } from "vitest";
import { diffLines } from "@/lib/console/line-diff";
import { routingReferenceFields } from "@/lib/console/routing-reference";

describe("routing editor helpers", () => {
  it("diffs two scripts line by line, keeping the common lines", () => {
    const before = 'request.action.category == "financial.transfer"\n  ? ["finance"]\n  : ["default"]';
    const after = 'request.action.category == "financial.transfer"\n  ? ["finance", "security"]\n  : ["default"]';
    expect(diffLines(before, after)).toEqual([
      { kind: "same", text: 'request.action.category == "financial.transfer"' },
      { kind: "removed", text: '  ? ["finance"]' },
      { kind: "added", text: '  ? ["finance", "security"]' },
      { kind: "same", text: '  : ["default"]' },
    ]);
    expect(diffLines("", '["a"]')).toEqual([{ kind: "added", text: '["a"]' }]);
  });

  it("lists the fields of request and config from the schemas, entries as keyed maps", () => {
    const fields = routingReferenceFields();
    const paths = fields.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "request.requestId",
        "request.spId",
        "request.expiresAt",
        "request.callbackUrl",
        "request.principal.type",
        "request.principal.attributes.<key>",
        "request.principal.operator",
        "request.action.type",
        "request.action.category",
        "request.action.summary",
        "request.action.details.<key>",
        "config.authorizers",
        "config.default",
      ]),
    );
    expect(fields.find((f) => f.path === "request.principal.type")?.type).toBe('"human" | "service" | "agent"');
    expect(fields.find((f) => f.path === "request.action.category")?.required).toBe(false);
    expect(fields.find((f) => f.path === "config.authorizers")).toMatchObject({ type: "list(string)", required: true });
  });
});
