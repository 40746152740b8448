import { NextResponse, type NextRequest } from "next/server";

// Presence check only: a console page without a session cookie goes to /login. Whether the session
// is valid, and what it may do, is decided by the wrappers in lib/auth (a cookie is not proof).
const sessionCookies = ["__Secure-authjs.session-token", "authjs.session-token"];

export function proxy(request: NextRequest) {
  if (sessionCookies.some((name) => request.cookies.has(name))) return NextResponse.next();
  const login = new URL("/login", request.url);
  if (request.nextUrl.pathname !== "/") login.searchParams.set("next", request.nextUrl.pathname);
  return NextResponse.redirect(login);
}

export const config = {
  // Everything except the API, the login, sign-up and invitation pages, Next's assets and public files.
  matcher: ["/((?!api/|login|signup|invite/|_next/|favicon.ico|.*\\.(?:svg|png|ico|txt)$).*)"],
};
