"use server";

import { redirect } from "next/navigation";
import { ZodError } from "zod";
import { getDb } from "@/db/client";
import { auth, signOut } from "@/lib/auth/config";
import { acceptInvitation } from "@/lib/auth/onboarding";
import { rememberActiveTenant, signInAfterOnboarding } from "@/lib/auth/onboarding-session";
import { AppError } from "@/lib/errors/app-error";

export interface AcceptState {
  error?: string;
  name?: string;
}

const loginThenInvitation = (token: string) => `/login?next=${encodeURIComponent(`/invite/${token}`)}`;

/** Signed in as another account: sign out, then sign in as the invited one and come back. */
export async function signOutToAcceptAction(form: FormData): Promise<void> {
  await signOut({ redirectTo: loginThenInvitation(String(form.get("token") ?? "")) });
}

/** A new person accepts: they choose their own name and password, join, and are signed in. */
export async function acceptAsNewAccountAction(_previous: AcceptState, form: FormData): Promise<AcceptState> {
  const token = String(form.get("token") ?? "");
  const name = String(form.get("name") ?? "");
  const password = String(form.get("password") ?? "");
  let accepted: { tenantId: string; email: string };
  try {
    accepted = await acceptInvitation(getDb(), token, { kind: "new_account", name, password });
  } catch (error) {
    if (error instanceof AppError) return { name, error: error.message };
    if (error instanceof ZodError) return { name, error: "Give a name and a password of at least 12 characters." };
    throw error;
  }
  await rememberActiveTenant(accepted.tenantId);
  return signInAfterOnboarding(accepted.email, password);
}

/** Someone with an account accepts while signed in as that very account. */
export async function acceptAsSignedInAction(_previous: AcceptState, form: FormData): Promise<AcceptState> {
  const token = String(form.get("token") ?? "");
  const userId = (await auth())?.user?.id;
  if (!userId) redirect(loginThenInvitation(token));
  let tenantId: string;
  try {
    ({ tenantId } = await acceptInvitation(getDb(), token, { kind: "signed_in", userId }));
  } catch (error) {
    if (error instanceof AppError) return { error: error.message };
    throw error;
  }
  await rememberActiveTenant(tenantId);
  redirect("/");
}
