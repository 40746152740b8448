import { asc, isNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import { sandboxSigningKeys, type SandboxSigningKey } from "@/db/schema";

// Not tenant-scoped: the sandbox authorizer has one signing key of its own, which every SP
// registered with it verifies decisions against, whichever tenant registered that SP.

/** The sandbox's current (oldest unretired) signing key, or null before its first use. */
export async function findCurrentSandboxSigningKey(db: Database): Promise<SandboxSigningKey | null> {
  const [row] = await db
    .select()
    .from(sandboxSigningKeys)
    .where(isNull(sandboxSigningKeys.retiredAt))
    .orderBy(asc(sandboxSigningKeys.createdAt))
    .limit(1);
  return row ?? null;
}

/** Stores a new sandbox key unless one with its keyId exists (concurrent first uses: the first insert wins). */
export async function insertSandboxSigningKey(
  db: Database,
  key: Pick<SandboxSigningKey, "keyId" | "publicKey" | "privateKeyCiphertext" | "privateKeyKeyVersion">,
): Promise<void> {
  await db.insert(sandboxSigningKeys).values(key).onConflictDoNothing();
}
