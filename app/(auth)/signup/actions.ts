"use server";

import { headers } from "next/headers";
import { ZodError } from "zod";
import { getDb } from "@/db/client";
import { signUpWithNewTenant } from "@/lib/auth/onboarding";
import { rememberActiveTenant, signInAfterOnboarding } from "@/lib/auth/onboarding-session";
import { AppError } from "@/lib/errors/app-error";
import { clientAddress } from "@/lib/net/client-address";

export interface SignupState {
  error?: string;
  /** Echoed back so a refused attempt keeps what was typed (never the password). */
  values?: { name: string; email: string; tenantName: string };
}

/** Creates the person, their tenant and their owner membership, then signs them in. */
export async function signupAction(_previous: SignupState, form: FormData): Promise<SignupState> {
  const values = {
    name: String(form.get("name") ?? ""),
    email: String(form.get("email") ?? ""),
    tenantName: String(form.get("tenantName") ?? ""),
  };
  const password = String(form.get("password") ?? "");
  let created: { tenantId: string; email: string };
  try {
    created = await signUpWithNewTenant(getDb(), { ...values, password }, clientAddress(await headers()));
  } catch (error) {
    if (error instanceof AppError) return { values, error: error.message };
    if (error instanceof ZodError)
      return {
        values,
        error: "Check the fields: a name, a valid e-mail, a password of at least 12 characters and a tenant name.",
      };
    throw error;
  }
  await rememberActiveTenant(created.tenantId);
  return signInAfterOnboarding(created.email, password);
}
