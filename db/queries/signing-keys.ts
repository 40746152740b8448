import { asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { signingKeys, type SigningKey } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors/app-error";
import { generateKeyPair } from "@/lib/stepauth";
import { recordAuditEvent } from "./audit";
import { bumpConfigVersion } from "./config-version";
import { forTenant, tenantIdOf } from "./tenant-scope";

/** What leaves the database about a key: never the private half, sealed or not. */
export type SigningKeyView = Omit<SigningKey, "privateKeyCiphertext" | "privateKeyKeyVersion" | "tenantId">;

function toView({ privateKeyCiphertext: _c, privateKeyKeyVersion: _v, tenantId: _t, ...view }: SigningKey): SigningKeyView {
  return view;
}

// The row's identity is bound into the ciphertext, so a sealed key copied to another tenant or keyId does not open.
const sealContext = (tenantId: string, keyId: string) => `tenant:${tenantId}:signing-key:${keyId}`;

export async function listSigningKeys(db: Database, ctx: TenantContext): Promise<SigningKeyView[]> {
  const rows = await db.select().from(signingKeys).where(forTenant(ctx, signingKeys.tenantId)).orderBy(asc(signingKeys.createdAt));
  return rows.map(toView);
}

function newKeyId(): string {
  return `sk_${new Date().toISOString().slice(0, 10).replaceAll("-", "")}_${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Creates a key: `active` when the tenant has none, else `next` (a rotation: from now on requests
 * carry both signatures). A second rotation while one is in flight is a conflict.
 */
export async function createSigningKey(db: Database, ctx: TenantContext, keyId = newKeyId()): Promise<SigningKeyView> {
  const tenantId = tenantIdOf(ctx);
  const pair = generateKeyPair();
  const sealed = sealSecret(pair.privateKey, sealContext(tenantId, keyId));
  const result = await db.transaction(async (tx) => {
    const existing = await tx
      .select({ state: signingKeys.state })
      .from(signingKeys)
      .where(forTenant(ctx, signingKeys.tenantId, ne(signingKeys.state, "retired")))
      .for("update");
    if (existing.some((k) => k.state === "next")) throw new AppError("conflict", "A rotation is already in progress: activate or retire the next key first");
    const state = existing.some((k) => k.state === "active") ? "next" : "active";
    const [row] = await tx
      .insert(signingKeys)
      .values({
        tenantId, keyId, publicKey: pair.publicKey, privateKeyCiphertext: sealed.ciphertext, privateKeyKeyVersion: sealed.keyVersion, state,
        activatedAt: state === "active" ? sql`now()` : null,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError("conflict", `A signing key ${keyId} already exists`);
    await recordAuditEvent(tx, ctx, { action: "signing_key.created", target: keyId, data: { state } });
    return toView(row);
  });
  bumpConfigVersion(tenantIdOf(ctx));
  return result;
}

/** Promotes the `next` key to active. The previous active key keeps signing until it is retired. */
export async function activateSigningKey(db: Database, ctx: TenantContext, keyId: string): Promise<SigningKeyView | null> {
  const result = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(signingKeys)
      .set({ state: "active", activatedAt: sql`now()` })
      .where(forTenant(ctx, signingKeys.tenantId, eq(signingKeys.keyId, keyId), eq(signingKeys.state, "next")))
      .returning();
    if (!row) return findKeyOrNull(tx, ctx, keyId, "Only a next key can be activated");
    await recordAuditEvent(tx, ctx, { action: "signing_key.activated", target: keyId });
    return toView(row);
  });
  bumpConfigVersion(tenantIdOf(ctx));
  return result;
}

/** Retires a key (it stops signing for good). The last active key cannot be retired. */
export async function retireSigningKey(db: Database, ctx: TenantContext, keyId: string): Promise<SigningKeyView | null> {
  const result = await db.transaction(async (tx) => {
    const live = await tx
      .select({ keyId: signingKeys.keyId, state: signingKeys.state })
      .from(signingKeys)
      .where(forTenant(ctx, signingKeys.tenantId, inArray(signingKeys.state, ["active", "next"])))
      .for("update");
    const target = live.find((k) => k.keyId === keyId);
    if (!target) return findKeyOrNull(tx, ctx, keyId, "This key is already retired");
    if (target.state === "active" && !live.some((k) => k.keyId !== keyId && k.state === "active")) {
      throw new AppError("conflict", "This is the only active key: activate its successor before retiring it");
    }
    const [row] = await tx
      .update(signingKeys)
      .set({ state: "retired", retiredAt: sql`now()` })
      .where(forTenant(ctx, signingKeys.tenantId, eq(signingKeys.keyId, keyId)))
      .returning();
    await recordAuditEvent(tx, ctx, { action: "signing_key.retired", target: keyId });
    return row ? toView(row) : null;
  });
  bumpConfigVersion(tenantIdOf(ctx));
  return result;
}

async function findKeyOrNull(db: Database, ctx: TenantContext, keyId: string, conflictMessage: string): Promise<null> {
  const [row] = await db.select({ keyId: signingKeys.keyId }).from(signingKeys).where(forTenant(ctx, signingKeys.tenantId, eq(signingKeys.keyId, keyId)));
  if (row) throw new AppError("conflict", conflictMessage);
  return null;
}

/** The keys that sign a tenant's requests right now (active and next), with their private halves opened. */
export async function loadSigningMaterial(db: Database, ctx: TenantContext): Promise<{ keyId: string; privateKey: string; publicKey: string; state: string }[]> {
  const rows = await db
    .select()
    .from(signingKeys)
    .where(forTenant(ctx, signingKeys.tenantId, inArray(signingKeys.state, ["active", "next"])))
    .orderBy(asc(signingKeys.createdAt));
  return rows.map((row) => ({
    keyId: row.keyId,
    publicKey: row.publicKey,
    state: row.state,
    privateKey: openSecret({ keyVersion: row.privateKeyKeyVersion, ciphertext: row.privateKeyCiphertext }, sealContext(row.tenantId, row.keyId)),
  }));
}

