import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { sandboxRegistrations, type SandboxRegistration } from "@/db/schema";

// Deliberately cross-tenant: an spId is global at an authorizer, so the registration it names is
// found whichever tenant owns it. The caller decides what the owner may see or do with it.

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * The sandbox's SP-facing endpoints know the caller only by the spId in its payload. Finding the row
 * proves nothing; the envelope is verified against this registration's keys before anything is read
 * or written on its behalf.
 */
export async function findSandboxRegistrationBySpId(db: Database, spId: string): Promise<SandboxRegistration | null> {
  const [row] = await db.select().from(sandboxRegistrations).where(eq(sandboxRegistrations.spId, spId));
  return row ?? null;
}

/**
 * Locks the registration of `spId` for the rest of `tx`, whichever tenant owns it: registering an
 * spId must see another tenant's claim on it (a conflict), and tells it nothing more.
 */
export async function lockSandboxRegistrationBySpId(tx: Tx, spId: string): Promise<SandboxRegistration | null> {
  const [row] = await tx.select().from(sandboxRegistrations).where(eq(sandboxRegistrations.spId, spId)).for("update");
  return row ?? null;
}
