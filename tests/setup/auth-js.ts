import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/config";
import { origin } from "./http";

/** A cookie jar for one browser: what Auth.js set, sent back on every call. */
export type CookieJar = Map<string, string>;

/** Calls the app's real Auth.js route handler (`/api/auth/[...nextauth]`) as a browser would. */
export async function callAuthJs(
  jar: CookieJar,
  path: string,
  form?: Record<string, string>,
  extraHeaders: Record<string, string> = {},
) {
  const headers = new Headers({ origin, host: new URL(origin).host, ...extraHeaders });
  if (jar.size > 0) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
  if (form) headers.set("content-type", "application/x-www-form-urlencoded");
  const request = new NextRequest(`${origin}/api/auth${path}`, {
    method: form ? "POST" : "GET",
    headers,
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const response = await (form ? handlers.POST : handlers.GET)(request);
  for (const cookie of response.headers.getSetCookie()) {
    const [pair, ...attributes] = cookie.split(";");
    const [name, ...value] = pair!.split("=");
    const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
    if (expired) jar.delete(name!.trim());
    else jar.set(name!.trim(), value.join("="));
  }
  return response;
}

/** Signs in through Auth.js's credentials callback (CSRF token and all); the jar then holds the session cookie. */
export async function signInWithPassword(
  email: string,
  password: string,
  extraHeaders: Record<string, string> = {},
): Promise<{ jar: CookieJar; response: Response }> {
  const jar: CookieJar = new Map();
  const { csrfToken } = (await (await callAuthJs(jar, "/csrf")).json()) as { csrfToken: string };
  const response = await callAuthJs(
    jar,
    "/callback/credentials",
    { email, password, csrfToken, callbackUrl: `${origin}/` },
    extraHeaders,
  );
  return { jar, response };
}

/** Signs out through Auth.js, as the console's sign-out button does. */
export async function signOutOf(jar: CookieJar): Promise<Response> {
  const { csrfToken } = (await (await callAuthJs(jar, "/csrf")).json()) as { csrfToken: string };
  return callAuthJs(jar, "/signout", { csrfToken, callbackUrl: `${origin}/login` });
}

/** The `cookie` header a saved copy of the session would send. */
export function sessionCookieHeader(jar: CookieJar): Record<string, string> {
  const token = jar.get("authjs.session-token");
  if (!token) throw new Error("not signed in");
  return { cookie: `authjs.session-token=${token}`, origin, host: new URL(origin).host };
}
