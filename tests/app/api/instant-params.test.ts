import { describe, expect, it } from "vitest";
import * as consoleAuditEvents from "@/app/api/console/audit-events/route";
import * as consoleAuditExport from "@/app/api/console/audit-events/export/route";
import * as requests from "@/app/api/v1/authorization-requests/route";
import * as auditVerify from "@/app/api/v1/audit/verify/route";
import { setupTestDatabase } from "../../setup/database";
import { createGatewayTenant } from "../../setup/gateway";
import { bearer, callRoute, sessionHeaders } from "../../setup/http";

// A client's date reaches SQL as a timestamptz: the shape of an ISO 8601 date-time admits instants
// PostgreSQL cannot hold (year 0000, or year 1 at +14:00 = year 0 in UTC, or year 10000 in UTC), and
// those must be 400 validation_failed, never the database's error as a 500.
const db = setupTestDatabase();

const unholdable = [
  "0000-01-01T00:00:00Z",
  "0001-01-01T00:00:00+14:00",
  "9999-12-31T23:59:59-01:00",
  "1969-12-31T23:59:59Z",
];
const holdable = ["1970-01-01T00:00:00Z", "2026-01-01T00:00:00+14:00", "9999-12-31T23:59:59Z"];

describe("client dates that reach SQL", () => {
  it("every route with from/to answers 400 validation_failed for an instant PostgreSQL cannot hold, and works for one it can", async () => {
    const t = await createGatewayTenant(db(), {
      appUrl: "http://127.0.0.1:1",
      authorizers: [{ name: "default", url: "http://127.0.0.1:9" }],
    });
    const session = await sessionHeaders(t.owner.id);
    const routes = [
      {
        name: "GET /api/v1/authorization-requests",
        handler: requests.GET,
        path: "/api/v1/authorization-requests",
        headers: bearer(t.apiKey),
      },
      {
        name: "GET /api/v1/audit/verify",
        handler: auditVerify.GET,
        path: "/api/v1/audit/verify",
        headers: bearer(t.apiKey),
      },
      {
        name: "GET /api/console/audit-events",
        handler: consoleAuditEvents.GET,
        path: "/api/console/audit-events",
        headers: session,
      },
      {
        name: "GET /api/console/audit-events/export",
        handler: consoleAuditExport.GET,
        path: "/api/console/audit-events/export",
        headers: session,
      },
    ];
    for (const route of routes) {
      for (const field of ["from", "to"]) {
        for (const value of unholdable) {
          const answer = await callRoute(route.handler, {
            path: `${route.path}?${field}=${encodeURIComponent(value)}`,
            headers: route.headers,
          });
          expect(answer.status, `${route.name} ${field}=${value}: ${JSON.stringify(answer.body)}`).toBe(400);
          expect(answer.body.error, `${route.name} ${field}=${value}`).toBe("validation_failed");
        }
        for (const value of holdable) {
          const response = await route.handler(
            new Request(`http://gateway.test${route.path}?${field}=${encodeURIComponent(value)}`, {
              headers: route.headers,
            }),
            { params: Promise.resolve({}) },
          );
          expect(response.status, `${route.name} ${field}=${value}: ${await response.clone().text()}`).toBe(200);
          await response.text();
        }
      }
    }
  });
});
