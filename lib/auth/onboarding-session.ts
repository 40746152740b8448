import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn } from "./config";
import { activeTenantCookie } from "./console-auth";
import { config } from "@/lib/config/env";

/** For server actions: the console opens on `tenantId` next (the console re-checks the membership on every request). */
export async function rememberActiveTenant(tenantId: string): Promise<void> {
  const https =
    (await headers()).get("x-forwarded-proto") === "https" || config().AUTH_URL?.startsWith("https:") === true;
  (await cookies()).set(activeTenantCookie, tenantId, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: https,
    maxAge: 365 * 24 * 60 * 60,
  });
}

/**
 * Signs a person in with the password they just chose and opens the console. Sign-in's own checks
 * (rate limits) still apply; if they refuse, the person lands on the login page instead.
 */
export async function signInAfterOnboarding(email: string, password: string): Promise<never> {
  try {
    await signIn("credentials", { email, password, redirectTo: "/" });
  } catch (error) {
    if (error instanceof AuthError) redirect("/login");
    throw error; // Next's redirect on success travels as a thrown value.
  }
  redirect("/");
}
