import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import nextConfig from "@/next.config";
import { proxy } from "@/proxy";

// Issue 12, item 10: every page carries a nonce-based Content-Security-Policy that forbids framing;
// every response carries Referrer-Policy, and HSTS in production.
const session = { cookie: "authjs.session-token=anything" };
const page = (path: string, headers: Record<string, string> = {}) =>
  proxy(new NextRequest(`http://gateway.test${path}`, { headers }));

function nonceOf(policy: string | null): string {
  const nonce = policy?.match(/'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
  expect(nonce, policy ?? "no policy").toBeTruthy();
  return nonce!;
}

afterEach(() => vi.unstubAllEnvs());

describe("security headers", () => {
  it("gives the login page and console pages a fresh nonce-based CSP, also handed to Next on the request", () => {
    vi.stubEnv("NODE_ENV", "production");
    const login = page("/login");
    expect(login.headers.get("location")).toBeNull();
    const policy = login.headers.get("content-security-policy");
    const nonce = nonceOf(policy);
    expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic';`);
    for (const directive of [
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
      "default-src 'self'",
      "upgrade-insecure-requests",
    ]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toContain("unsafe-eval");
    expect(login.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
    const console = page("/requests", session);
    expect(nonceOf(console.headers.get("content-security-policy"))).not.toBe(nonce);
  });

  it("still sends a console page without a session cookie to /login", () => {
    const answer = page("/requests");
    expect(answer.headers.get("location")).toBe("http://gateway.test/login?next=%2Frequests");
  });

  it("allows eval only in development, and the OIDC issuer as a form target when configured", () => {
    vi.stubEnv("NODE_ENV", "development");
    vi.stubEnv("AUTH_OIDC_ISSUER", "https://id.example.com/realms/acme");
    const policy = page("/login").headers.get("content-security-policy")!;
    expect(policy).toContain("'unsafe-eval'");
    expect(policy).toContain("form-action 'self' https://id.example.com;");
    expect(policy).not.toContain("upgrade-insecure-requests");
  });

  it("sends Referrer-Policy on every response and HSTS in production only", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const production = Object.fromEntries(
      (await nextConfig.headers!())[0]!.headers.map((h) => [h.key.toLowerCase(), h.value]),
    );
    expect(production).toMatchObject({
      "referrer-policy": "same-origin",
      "strict-transport-security": "max-age=63072000; includeSubDomains",
      "x-frame-options": "DENY",
    });
    vi.stubEnv("NODE_ENV", "development");
    const development = (await nextConfig.headers!())[0]!.headers.map((h) => h.key.toLowerCase());
    expect(development).not.toContain("strict-transport-security");
  });
});
