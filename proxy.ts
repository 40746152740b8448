import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, createNonce } from "@/lib/http/content-security-policy";
import { config as appConfig } from "@/lib/config/env";

// Presence check only: a console page without a session cookie goes to /login. Whether the session
// is valid, and what it may do, is decided by the wrappers in lib/auth (a cookie is not proof).
const sessionCookies = ["__Secure-authjs.session-token", "authjs.session-token"];
// Pages anyone may open (sign-in, sign-up, accepting an invitation): the proxy only adds the security headers to them.
const publicPages = ["/login", "/signup"];
const isPublicPage = (path: string) => publicPages.includes(path) || path.startsWith("/invite/");

export function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  if (!isPublicPage(path) && !sessionCookies.some((name) => request.cookies.has(name))) {
    const login = new URL("/login", request.url);
    if (path !== "/") login.searchParams.set("next", path);
    return NextResponse.redirect(login);
  }
  // A fresh nonce per page: Next reads it from the request's CSP header and puts it on its scripts.
  const issuer = appConfig().AUTH_OIDC_ISSUER;
  const policy = contentSecurityPolicy(createNonce(), {
    development: appConfig().NODE_ENV === "development",
    formTargets: issuer && URL.canParse(issuer) ? [new URL(issuer).origin] : [],
  });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Every page, the login page included; not the API, Next's assets or public files. Prefetches
  // carry no document to protect.
  matcher: [
    {
      source: "/((?!api/|_next/|favicon.ico|.*\\.(?:svg|png|ico|txt)$).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
