import { describe, expect, it } from "vitest";
import * as connectRoute from "@/app/api/console/sandbox/connect/route";
import * as policyRoute from "@/app/api/console/sandbox/policy/route";
import { evaluateSandboxPolicy } from "@/lib/sandbox/policy";
import { findSandboxRegistrationBySpId } from "@/db/queries/system/sandbox-registrations";
import { flattenAuthorizationRequest } from "@/lib/stepauth";
import { sampleRequests } from "@/lib/console/sample-requests";
import { setupTestDatabase } from "../../../setup/database";
import { callRoute } from "../../../setup/http";
import { createConsoleTenant } from "./console-fixtures";

const db = setupTestDatabase();

async function connectedTenant() {
  const t = await createConsoleTenant(db());
  expect((await callRoute(connectRoute.POST, { method: "POST", headers: t.owner })).status).toBe(201);
  const policy = await callRoute(policyRoute.GET, { headers: t.viewer });
  expect(policy.status).toBe(200);
  return { t, spId: policy.body.data[0].spId as string, rules: policy.body.data[0].rules };
}

const wire = sampleRequests.find((s) => s.id === "wire")!;
const asRequest = (sample: typeof wire) =>
  flattenAuthorizationRequest({
    requestId: "req_0123456789abcdef01",
    spId: "sp",
    timestamp: "2026-01-01T00:00:00Z",
    expiresAt: "2026-01-01T01:00:00Z",
    principal: sample.principal,
    action: sample.action,
  });

describe("sandbox policy rules in the console", () => {
  it("lists the default rules and replaces them with a tenant's own, which the sandbox then applies", async () => {
    const { t, spId, rules } = await connectedTenant();
    expect(rules.length).toBeGreaterThan(0);
    const mine = [
      {
        name: "Wires need three",
        when: 'request.action.category == "financial.transfer"',
        outcome: "review",
        quorum: 3,
      },
    ];
    const saved = await callRoute(policyRoute.PUT, { method: "PUT", headers: t.admin, json: { spId, rules: mine } });
    expect(saved).toMatchObject({ status: 200, body: { spId, rules: mine } });
    const registration = await findSandboxRegistrationBySpId(db(), spId);
    expect(evaluateSandboxPolicy(registration!.policyRules, asRequest(wire))).toEqual({
      outcome: "review",
      rule: "Wires need three",
      quorum: 3,
    });
  });

  it("refuses an invalid rule, a viewer, and another tenant's registration, changing nothing", async () => {
    const { t, spId, rules } = await connectedTenant();
    const other = await createConsoleTenant(db());
    const bad = await callRoute(policyRoute.PUT, {
      method: "PUT",
      headers: t.admin,
      json: { spId, rules: [{ name: "Broken", when: "request.action.(", outcome: "approve" }] },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: "validation_failed" } });
    const quorumOnApprove = await callRoute(policyRoute.PUT, {
      method: "PUT",
      headers: t.admin,
      json: { spId, rules: [{ name: "Q", when: "true", outcome: "approve", quorum: 2 }] },
    });
    expect(quorumOnApprove.status).toBe(400);
    const viewer = await callRoute(policyRoute.PUT, { method: "PUT", headers: t.viewer, json: { spId, rules: [] } });
    expect(viewer).toMatchObject({ status: 403, body: { error: "forbidden" } });
    const crossTenant = await callRoute(policyRoute.PUT, {
      method: "PUT",
      headers: other.owner,
      json: { spId, rules: [{ name: "Steal", when: "true", outcome: "approve" }] },
    });
    expect(crossTenant).toMatchObject({ status: 404, body: { error: "not_found" } });
    expect((await findSandboxRegistrationBySpId(db(), spId))!.policyRules).toEqual(rules);
  });
});
