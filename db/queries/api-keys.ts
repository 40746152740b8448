import { createHash, randomBytes } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiKeys, type ApiKey, type ApiKeyScope } from "@/db/schema";
import { AppError } from "@/lib/errors/app-error";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { recordAuditEvent } from "./audit";
import { bumpConfigVersion } from "./config-version";
import { forTenant, tenantIdOf } from "./tenant-scope";

// The secret format, shared with the lookup by secret (system/api-keys.ts).
export const SECRET_PREFIX = "sag_";
export const PREFIX_LENGTH = SECRET_PREFIX.length + 8;

/** What the API and console show of a key: never the secret or its hash. */
export type ApiKeyView = Omit<ApiKey, "secretHash" | "tenantId">;

function toView({ secretHash: _hash, tenantId: _tenant, ...view }: ApiKey): ApiKeyView {
  return view;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Creates a key; the secret is in the answer once and never stored. */
export async function createApiKey(
  db: Database,
  ctx: TenantContext,
  input: { name: string; scopes: ApiKeyScope[]; createdBy?: string | null },
): Promise<{ apiKey: ApiKeyView; secret: string }> {
  const secret = SECRET_PREFIX + randomBytes(24).toString("base64url");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        tenantId: tenantIdOf(ctx),
        name: input.name,
        prefix: secret.slice(0, PREFIX_LENGTH),
        secretHash: hashSecret(secret),
        scopes: [...new Set(input.scopes)],
        createdBy: input.createdBy ?? null,
      })
      .returning();
    if (!row) throw new Error("insert returned no row");
    await recordAuditEvent(tx, ctx, {
      action: "api_key.created",
      target: row.id,
      data: { name: row.name, scopes: row.scopes },
    });
    return { apiKey: toView(row), secret };
  });
}

export async function listApiKeys(db: Database, ctx: TenantContext): Promise<ApiKeyView[]> {
  const rows = await db.select().from(apiKeys).where(forTenant(ctx, apiKeys.tenantId)).orderBy(desc(apiKeys.createdAt));
  return rows.map(toView);
}

export async function findApiKey(db: Database, ctx: TenantContext, id: string): Promise<ApiKeyView | null> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(forTenant(ctx, apiKeys.tenantId, eq(apiKeys.id, id)));
  return row ? toView(row) : null;
}

/** A key used this recently is in use: revoking it breaks a live service. */
const KEY_IN_USE_DAYS = 7;

/**
 * Revokes a key of this tenant; null when there is no such key here. Revoking twice keeps the first
 * time. A key used in the last 7 days needs its name typed again (`confirmedName`), or 409
 * `confirmation_required`: whatever service holds it stops working at once.
 */
export async function revokeApiKey(
  db: Database,
  ctx: TenantContext,
  id: string,
  options: { confirmedName?: string } = {},
): Promise<ApiKeyView | null> {
  const revoked = await db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(apiKeys)
      .where(forTenant(ctx, apiKeys.tenantId, eq(apiKeys.id, id)))
      .for("update");
    if (!current) return null;
    const inUse =
      !current.revokedAt &&
      current.lastUsedAt !== null &&
      Date.now() - current.lastUsedAt.getTime() < KEY_IN_USE_DAYS * 86_400_000;
    if (inUse && options.confirmedName !== current.name) {
      throw new AppError(
        "confirmation_required",
        `${current.name} was used in the last ${KEY_IN_USE_DAYS} days: send confirmName "${current.name}" to revoke it`,
        {
          details: { lastUsedAt: current.lastUsedAt, confirm: { confirmName: current.name } },
        },
      );
    }
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
      .where(forTenant(ctx, apiKeys.tenantId, eq(apiKeys.id, id)))
      .returning();
    if (!row) return null;
    await recordAuditEvent(tx, ctx, { action: "api_key.revoked", target: row.id });
    return toView(row);
  });
  // Cached keys (lib/auth/api-key-auth.ts) are read again: the revoked one stops working here at once.
  if (revoked) bumpConfigVersion(tenantIdOf(ctx));
  return revoked;
}
