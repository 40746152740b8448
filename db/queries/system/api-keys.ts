import { timingSafeEqual } from "node:crypto";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiKeys, type ApiKey } from "@/db/schema";
import { hashSecret, PREFIX_LENGTH, SECRET_PREFIX } from "../api-keys";

// Deliberately cross-tenant: this is how a bearer secret finds its tenant in the first place. The
// key's own tenant_id then names the context (lib/auth/api-key-auth.ts); its write carries it too.

/** Looks up an unrevoked key by its secret, in constant time over the hash; touches last_used_at at most once a minute. */
export async function findActiveApiKeyBySecret(db: Database, secret: string): Promise<ApiKey | null> {
  if (!secret.startsWith(SECRET_PREFIX) || secret.length !== SECRET_PREFIX.length + 32) return null;
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.prefix, secret.slice(0, PREFIX_LENGTH)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  const expected = Buffer.from(row.secretHash, "hex");
  if (!timingSafeEqual(Buffer.from(hashSecret(secret), "hex"), expected)) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiKeys.id, row.id),
          eq(apiKeys.tenantId, row.tenantId),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '60 seconds'`)),
        ),
      );
  }
  return row;
}
