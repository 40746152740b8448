import { config } from "@/lib/config/env";
/**
 * SIGNUP_MODE: `open` lets anyone create an account and a tenant at /signup; `invite` admits people
 * only through invitations (and operators' `npm run tenant:create`). Open by default outside production.
 */
export function signupMode(): "open" | "invite" {
  return config().SIGNUP_MODE ?? (config().NODE_ENV === "production" ? "invite" : "open");
}

/**
 * The link an invitee opens. The origin is AUTH_URL when set (the console's public URL), else the
 * origin the inviter is using (`fallbackOrigin`), else http://localhost:$PORT.
 */
export function invitationUrl(token: string, fallbackOrigin?: string): string {
  const origin = config().AUTH_URL || fallbackOrigin || `http://localhost:${config().PORT}`;
  return `${origin.replace(/\/+$/, "")}/invite/${token}`;
}
