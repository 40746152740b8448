import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { endUserSessions, findUserByEmail } from "@/db/queries/users";
import { clientAddress } from "@/lib/net/client-address";
import { authorizeCredentials } from "./credentials";
import { currentSessionVersion, liveSessionUser, sessionVersionClaim } from "./session-version";
import { authSecret, oidcSettings, sessionMaxAgeSeconds } from "./settings";
import { ssoAccountFor } from "./sso";

class RateLimitedSignin extends CredentialsSignin {
  code = "rate_limited";
}

function buildConfig(): NextAuthConfig {
  const oidc = oidcSettings();
  return {
    secret: authSecret(),
    trustHost: true,
    session: { strategy: "jwt", maxAge: sessionMaxAgeSeconds, updateAge: 60 * 60 },
    pages: { signIn: "/login" },
    providers: [
      Credentials({
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          const outcome = await authorizeCredentials(getDb(), credentials, clientAddress(request.headers));
          if (outcome.ok) return outcome.user;
          if (outcome.reason === "rate_limited") throw new RateLimitedSignin();
          return null;
        },
      }),
      ...(oidc
        ? [
            {
              id: "oidc",
              name: "Single sign-on",
              type: "oidc" as const,
              issuer: oidc.issuer,
              clientId: oidc.clientId,
              clientSecret: oidc.clientSecret,
            },
          ]
        : []),
    ],
    callbacks: {
      // SSO only signs in people who already have an account (matched by verified e-mail): no self sign-up.
      async signIn({ account, profile }) {
        if (account?.provider !== "oidc") return true;
        if (!profile?.email || profile.email_verified === false) return false;
        return (await findUserByEmail(getDb(), profile.email)) !== null;
      },
      async jwt({ token, user, account, profile }) {
        if (account?.provider === "oidc" && profile) {
          // The first SSO sign-in claims the account for the verified owner (lib/auth/sso.ts).
          const userId = await ssoAccountFor(getDb(), profile);
          if (userId) token.sub = userId;
        } else if (user?.id) {
          token.sub = user.id;
        }
        // A new session records the user's session version; every later read checks it is still current
        // (null ends the session and clears the cookie), so sign-out and removal end copied cookies too.
        if (account && token.sub) token[sessionVersionClaim] = await currentSessionVersion(getDb(), token.sub);
        else if (!(await liveSessionUser(getDb(), token))) return null;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    events: {
      // Signing out ends the session server-side (every session of the account), not just the cookie.
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        const live = await liveSessionUser(getDb(), token);
        if (live) await endUserSessions(getDb(), live.id);
      },
    },
  };
}

// Lazy so that `next build` can load this module without production secrets present.
export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());
