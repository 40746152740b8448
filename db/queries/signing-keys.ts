import { asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizers, signingKeys, tenants, type SigningKey } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors/app-error";
import { generateKeyPair } from "@/lib/stepauth";
import { recordAuditEvent } from "./audit";
import { bumpConfigVersion } from "./config-version";
import { forTenant, tenantIdOf } from "./tenant-scope";

/** What leaves the database about a key: never the private half, sealed or not. */
export type SigningKeyView = Omit<SigningKey, "privateKeyCiphertext" | "privateKeyKeyVersion" | "tenantId">;

function toView({
  privateKeyCiphertext: _c,
  privateKeyKeyVersion: _v,
  tenantId: _t,
  ...view
}: SigningKey): SigningKeyView {
  return view;
}

// The row's identity is bound into the ciphertext, so a sealed key copied to another tenant or keyId does not open.
const sealContext = (tenantId: string, keyId: string) => `tenant:${tenantId}:signing-key:${keyId}`;

export async function listSigningKeys(db: Database, ctx: TenantContext): Promise<SigningKeyView[]> {
  const rows = await db
    .select()
    .from(signingKeys)
    .where(forTenant(ctx, signingKeys.tenantId))
    .orderBy(asc(signingKeys.createdAt));
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
    if (existing.some((k) => k.state === "next"))
      throw new AppError("conflict", "A rotation is already in progress: activate or retire the next key first");
    const state = existing.some((k) => k.state === "active") ? "next" : "active";
    const [row] = await tx
      .insert(signingKeys)
      .values({
        tenantId,
        keyId,
        publicKey: pair.publicKey,
        privateKeyCiphertext: sealed.ciphertext,
        privateKeyKeyVersion: sealed.keyVersion,
        state,
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
export async function activateSigningKey(
  db: Database,
  ctx: TenantContext,
  keyId: string,
): Promise<SigningKeyView | null> {
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

/** An enabled authorizer that has not been shown to accept any key that would remain after a retirement. */
export interface KeyDependent {
  name: string;
  provenKeyIds: string[];
}

/**
 * Retires a key (it stops signing for good). The last active key cannot be retired. Retiring an
 * active key is refused with `signing_key_in_use` (listing them) while an enabled authorizer is
 * proven on none of the keys that remain, unless `confirmedKeyId` repeats the key id.
 */
export async function retireSigningKey(
  db: Database,
  ctx: TenantContext,
  keyId: string,
  options: { confirmedKeyId?: string } = {},
): Promise<SigningKeyView | null> {
  const result = await db.transaction(async (tx) => {
    // The tenant row first, as authorizer changes do, so no authorizer is enabled or re-pointed meanwhile.
    await tx.select({ id: tenants.id }).from(tenants).where(forTenant(ctx, tenants.id)).for("update");
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
    // Abandoning a `next` key changes nothing for authorizers: the active key signed all along.
    const remaining = live.filter((k) => k.keyId !== keyId).map((k) => k.keyId);
    const dependents = target.state === "active" ? await keyDependents(tx, ctx, remaining) : [];
    const confirmed = options.confirmedKeyId === keyId;
    if (dependents.length > 0 && !confirmed) {
      throw new AppError(
        "signing_key_in_use",
        `${dependents.length} enabled authorizer(s) have not been shown to accept ${remaining.join(" or ")}: ` +
          `test them with the new key only, or confirm by sending confirmKeyId = "${keyId}"`,
        { details: { keyId, remainingKeyIds: remaining, authorizers: dependents } },
      );
    }
    const [row] = await tx
      .update(signingKeys)
      .set({ state: "retired", retiredAt: sql`now()` })
      .where(forTenant(ctx, signingKeys.tenantId, eq(signingKeys.keyId, keyId)))
      .returning();
    const overridden = dependents.length > 0 ? { confirmedDespite: dependents.map((d) => d.name) } : undefined;
    await recordAuditEvent(tx, ctx, { action: "signing_key.retired", target: keyId, data: overridden });
    return row ? toView(row) : null;
  });
  bumpConfigVersion(tenantIdOf(ctx));
  return result;
}

async function keyDependents(tx: Database, ctx: TenantContext, remaining: string[]): Promise<KeyDependent[]> {
  const rows = await tx
    .select({ name: authorizers.name, provenKeyIds: authorizers.provenKeyIds })
    .from(authorizers)
    .where(forTenant(ctx, authorizers.tenantId, eq(authorizers.enabled, true)))
    .orderBy(asc(authorizers.name));
  return rows.filter((a) => !a.provenKeyIds.some((k) => remaining.includes(k)));
}

async function findKeyOrNull(db: Database, ctx: TenantContext, keyId: string, conflictMessage: string): Promise<null> {
  const [row] = await db
    .select({ keyId: signingKeys.keyId })
    .from(signingKeys)
    .where(forTenant(ctx, signingKeys.tenantId, eq(signingKeys.keyId, keyId)));
  if (row) throw new AppError("conflict", conflictMessage);
  return null;
}

/** The keys that sign a tenant's requests right now (active and next), with their private halves opened. */
export async function loadSigningMaterial(
  db: Database,
  ctx: TenantContext,
): Promise<{ keyId: string; privateKey: string; publicKey: string; state: string }[]> {
  const rows = await db
    .select()
    .from(signingKeys)
    .where(forTenant(ctx, signingKeys.tenantId, inArray(signingKeys.state, ["active", "next"])))
    .orderBy(asc(signingKeys.createdAt));
  return rows.map((row) => ({
    keyId: row.keyId,
    publicKey: row.publicKey,
    state: row.state,
    privateKey: openSecret(
      { keyVersion: row.privateKeyKeyVersion, ciphertext: row.privateKeyCiphertext },
      sealContext(row.tenantId, row.keyId),
    ),
  }));
}
