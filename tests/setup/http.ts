import { encode } from "next-auth/jwt";
import { getDb } from "@/db/client";
import { currentSessionVersion, sessionVersionClaim } from "@/lib/auth/session-version";
import type { RouteHandler } from "@/lib/http/api-route";

export const origin = "http://gateway.test";

/** Calls a Next route handler the way Next does: a real Request and a params promise. */
export async function callRoute(
  handler: RouteHandler,
  init: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    json?: unknown;
    body?: string;
    params?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const request = new Request(origin + (init.path ?? "/api/test"), { method: init.method ?? "GET", headers, body });
  const response = await handler(request, { params: Promise.resolve(init.params ?? {}) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

export const bearer = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });

/** A real Auth.js session cookie for `userId` at its current session version, sealed with the test AUTH_SECRET. */
export async function sessionHeaders(userId: string, extraCookies = ""): Promise<Record<string, string>> {
  const name = "authjs.session-token";
  const version = await currentSessionVersion(getDb(), userId);
  const token = await encode({
    token: { sub: userId, [sessionVersionClaim]: version },
    secret: process.env.AUTH_SECRET!,
    salt: name,
  });
  return { cookie: `${name}=${token}${extraCookies ? "; " + extraCookies : ""}`, origin, host: new URL(origin).host };
}
