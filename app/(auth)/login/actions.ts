"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth/config";

export interface LoginState {
  error?: string;
  /** Echoed back so a failed attempt does not clear the e-mail field. */
  email?: string;
}

/** Signs in with e-mail and password; one message for every failure so accounts cannot be probed. */
export async function loginAction(_previous: LoginState, form: FormData): Promise<LoginState> {
  const next = String(form.get("next") ?? "/");
  const email = String(form.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: form.get("password"),
      redirectTo: next.startsWith("/") && !next.startsWith("//") ? next : "/",
    });
    return {};
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "rate_limited") {
      return { email, error: "Too many sign-in attempts. Wait a moment and try again." };
    }
    if (error instanceof AuthError) return { email, error: "That e-mail and password do not match an account." };
    throw error; // Next's redirect on success travels as a thrown value.
  }
}

export async function oidcLoginAction(): Promise<void> {
  await signIn("oidc", { redirectTo: "/" });
}
