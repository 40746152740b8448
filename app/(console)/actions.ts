"use server";

import { signOut } from "@/lib/auth/config";

export async function signOutAction(): Promise<void> {
  // The login page says so: a person who signed out on a shared screen sees that it worked.
  await signOut({ redirectTo: "/login?signedOut=1" });
}
