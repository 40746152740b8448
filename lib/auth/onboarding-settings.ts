/**
 * SIGNUP_MODE: `open` lets anyone create an account and a tenant at /signup; `invite` admits people
 * only through invitations (and operators' `npm run tenant:create`). Open by default outside production.
 */
export function signupMode(): "open" | "invite" {
  const mode = process.env.SIGNUP_MODE?.trim().toLowerCase();
  if (mode === "open" || mode === "invite") return mode;
  return process.env.NODE_ENV === "production" ? "invite" : "open";
}

/**
 * The link an invitee opens. The origin is AUTH_URL when set (the console's public URL), else the
 * origin the inviter is using (`fallbackOrigin`), else http://localhost:$PORT.
 */
export function invitationUrl(token: string, fallbackOrigin?: string): string {
  const origin = process.env.AUTH_URL?.trim() || fallbackOrigin || `http://localhost:${process.env.PORT ?? "3000"}`;
  return `${origin.replace(/\/+$/, "")}/invite/${token}`;
}
