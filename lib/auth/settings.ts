import { secretFromEnvOrDataDir } from "@/lib/config/data-dir";
import { config } from "@/lib/config/env";

export const sessionMaxAgeSeconds = 8 * 60 * 60;

/** AUTH_SECRET, or in development one generated once under .data/. */
export function authSecret(): string {
  return secretFromEnvOrDataDir("AUTH_SECRET", "auth-secret");
}

/** The generic OIDC provider is on when all three variables are set. */
export function oidcSettings(): { issuer: string; clientId: string; clientSecret: string } | null {
  const { AUTH_OIDC_ISSUER: issuer, AUTH_OIDC_CLIENT_ID: clientId, AUTH_OIDC_CLIENT_SECRET: clientSecret } = config();
  return issuer && clientId && clientSecret ? { issuer, clientId, clientSecret } : null;
}

/** Auth.js names its cookie `__Secure-…` when served over https. */
export function sessionCookieNames(): string[] {
  return ["__Secure-authjs.session-token", "authjs.session-token"];
}
