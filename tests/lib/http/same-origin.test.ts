import { afterEach, describe, expect, it, vi } from "vitest";
import * as apiKeys from "@/app/api/console/api-keys/route";
import { createTestTenant, setupTestDatabase } from "../../setup/database";
import { callRoute, sessionHeaders } from "../../setup/http";

// Issue 12, item 10: a console mutation must come from the app's own origin, scheme included, and
// X-Forwarded-Host / -Proto count only behind TRUSTED_PROXY_HOPS proxies.
const db = setupTestDatabase();
const create = (headers: Record<string, string>) =>
  callRoute(apiKeys.POST, { method: "POST", headers, json: { name: "k", scopes: ["requests:read"] } });

afterEach(() => vi.unstubAllEnvs());

describe("the console's same-origin check", () => {
  it("compares the scheme too", async () => {
    const t = await createTestTenant(db());
    const session = await sessionHeaders(t.owner.id);
    expect((await create(session)).status).toBe(201);
    expect(await create({ ...session, origin: "https://gateway.test" })).toMatchObject({
      status: 403,
      body: { error: "forbidden" },
    });
    expect(await create({ ...session, origin: "http://gateway.test:8080" })).toMatchObject({
      status: 403,
      body: { error: "forbidden" },
    });
  });

  it("ignores X-Forwarded-Host without trusted proxy hops", async () => {
    const t = await createTestTenant(db());
    const session = await sessionHeaders(t.owner.id);
    const forged = { ...session, origin: "http://evil.example", "x-forwarded-host": "evil.example" };
    expect(await create(forged)).toMatchObject({ status: 403, body: { error: "forbidden" } });
  });

  it("believes the outermost trusted proxy's X-Forwarded-Host and -Proto, and only that one", async () => {
    vi.stubEnv("TRUSTED_PROXY_HOPS", "1");
    const t = await createTestTenant(db());
    const session = await sessionHeaders(t.owner.id);
    const proxied = {
      ...session,
      origin: "https://console.example",
      "x-forwarded-host": "console.example",
      "x-forwarded-proto": "https",
    };
    expect((await create(proxied)).status).toBe(201);
    const spoofed = {
      ...session,
      origin: "https://evil.example",
      "x-forwarded-host": "evil.example, console.example",
      "x-forwarded-proto": "https",
    };
    expect(await create(spoofed)).toMatchObject({ status: 403, body: { error: "forbidden" } });
  });
});
