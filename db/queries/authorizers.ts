import { and, asc, eq, gte, inArray, isNotNull, ne, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  authorizationRequests,
  authorizers,
  jobs,
  requestTargets,
  tenants,
  type Authorizer,
  type AuthorizerPublicKey,
} from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { recordAuditEvent } from "./audit";
import { bumpConfigVersion } from "./config-version";
import { forTenant, tenantIdOf } from "./tenant-scope";

/** What the API shows of an authorizer; `callbackPath` is where it posts decisions. */
export type AuthorizerView = Omit<Authorizer, "tenantId"> & { callbackPath: string };

function toView({ tenantId: _t, ...view }: Authorizer): AuthorizerView {
  return { ...view, callbackPath: `/api/stepauth/callback/${view.id}` };
}

/** Validated input (see lib/http/schemas/authorizers.ts); the tenant comes from ctx only. */
export interface AuthorizerFields {
  endpoint: string;
  spId: string;
  publicKeys: AuthorizerPublicKey[];
  signingKeyId?: string | null;
  isDefault?: boolean;
  enabled?: boolean;
  pollOnly?: boolean;
}
export type NewAuthorizerInput = AuthorizerFields & { name: string };
export type AuthorizerPatch = Partial<NewAuthorizerInput>;

// Every change takes the tenant row's lock first, so "exactly one default" holds under concurrent edits.
async function lockTenantConfig(tx: Database, ctx: TenantContext): Promise<void> {
  await tx.select({ id: tenants.id }).from(tenants).where(forTenant(ctx, tenants.id)).for("update");
}

async function nameTaken(tx: Database, ctx: TenantContext, name: string, exceptId?: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: authorizers.id })
    .from(authorizers)
    .where(
      forTenant(
        ctx,
        authorizers.tenantId,
        eq(authorizers.name, name),
        exceptId ? ne(authorizers.id, exceptId) : undefined,
      ),
    );
  return Boolean(row);
}

export async function listAuthorizers(db: Database, ctx: TenantContext): Promise<AuthorizerView[]> {
  const rows = await db
    .select()
    .from(authorizers)
    .where(forTenant(ctx, authorizers.tenantId))
    .orderBy(asc(authorizers.createdAt), asc(authorizers.name));
  return rows.map(toView);
}

export async function findAuthorizerByName(
  db: Database,
  ctx: TenantContext,
  name: string,
): Promise<AuthorizerView | null> {
  const [row] = await db
    .select()
    .from(authorizers)
    .where(forTenant(ctx, authorizers.tenantId, eq(authorizers.name, name)));
  return row ? toView(row) : null;
}

/** Creates an authorizer. The tenant's first one becomes the default whatever `isDefault` says. */
export async function createAuthorizer(
  db: Database,
  ctx: TenantContext,
  input: NewAuthorizerInput,
): Promise<AuthorizerView> {
  const result = await db.transaction(async (tx) => {
    await lockTenantConfig(tx, ctx);
    if (await nameTaken(tx, ctx, input.name))
      throw new AppError("conflict", `An authorizer named ${input.name} already exists`);
    const [current] = await tx
      .select({ id: authorizers.id })
      .from(authorizers)
      .where(forTenant(ctx, authorizers.tenantId, eq(authorizers.isDefault, true)));
    const isDefault = !current || input.isDefault === true;
    const enabled = input.enabled ?? true;
    if (isDefault && !enabled)
      throw new AppError(
        "conflict",
        "The default authorizer must be enabled (the first authorizer always becomes the default)",
      );
    if (isDefault && current)
      await tx
        .update(authorizers)
        .set({ isDefault: false, updatedAt: sql`now()` })
        .where(forTenant(ctx, authorizers.tenantId, eq(authorizers.id, current.id)));
    const [row] = await tx
      .insert(authorizers)
      .values({
        ...input,
        tenantId: tenantIdOf(ctx),
        signingKeyId: input.signingKeyId ?? null,
        isDefault,
        enabled,
        pollOnly: input.pollOnly ?? false,
      })
      .returning();
    if (!row) throw new Error("insert returned no row");
    await recordAuditEvent(tx, ctx, { action: "authorizer.created", target: row.name, data: auditData(row) });
    return toView(row);
  });
  bumpConfigVersion(tenantIdOf(ctx));
  return result;
}

/** Applies a partial change; moving the default clears it on the others in the same transaction. */
export async function updateAuthorizer(
  db: Database,
  ctx: TenantContext,
  name: string,
  patch: AuthorizerPatch,
  options: { confirmedRemovedKeyIds?: readonly string[] } = {},
): Promise<AuthorizerView | null> {
  const result = await db.transaction(async (tx) => {
    await lockTenantConfig(tx, ctx);
    const [existing] = await tx
      .select()
      .from(authorizers)
      .where(forTenant(ctx, authorizers.tenantId, eq(authorizers.name, name)));
    if (!existing) return null;
    if (patch.publicKeys)
      await assertKeyRemovalConfirmed(tx, ctx, existing, patch.publicKeys, options.confirmedRemovedKeyIds ?? []);
    const isDefault = patch.isDefault ?? existing.isDefault;
    const enabled = patch.enabled ?? existing.enabled;
    if (existing.isDefault && !isDefault)
      throw new AppError("conflict", "Make another authorizer the default instead of unsetting the default");
    if (isDefault && !enabled)
      throw new AppError(
        "conflict",
        "The default authorizer cannot be disabled: make another authorizer the default first",
      );
    if (patch.name !== undefined && (await nameTaken(tx, ctx, patch.name, existing.id))) {
      throw new AppError("conflict", `An authorizer named ${patch.name} already exists`);
    }
    if (isDefault && !existing.isDefault) {
      await tx
        .update(authorizers)
        .set({ isDefault: false, updatedAt: sql`now()` })
        .where(forTenant(ctx, authorizers.tenantId, eq(authorizers.isDefault, true)));
    }
    // A proof was made against one endpoint and spId: pointing the authorizer elsewhere forgets it,
    // and that a result report was refused there (the new endpoint is asked again).
    const moved =
      (patch.endpoint ?? existing.endpoint) !== existing.endpoint || (patch.spId ?? existing.spId) !== existing.spId;
    const [row] = await tx
      .update(authorizers)
      .set({
        ...patch,
        ...(moved ? { provenKeyIds: [], resultReportsUnsupportedAt: null } : {}),
        updatedAt: sql`now()`,
      })
      .where(forTenant(ctx, authorizers.tenantId, eq(authorizers.id, existing.id)))
      .returning();
    if (!row) throw new Error("update returned no row");
    const cancelsQueued =
      existing.enabled && !row.enabled ? await queueCancelsAtDisabledAuthorizer(tx, ctx, row.id) : undefined;
    await recordAuditEvent(tx, ctx, {
      action: isDefault && !existing.isDefault ? "authorizer.made_default" : "authorizer.updated",
      target: row.name,
      data: {
        changed: Object.keys(patch),
        ...(patch.name && patch.name !== name ? { previousName: name } : {}),
        ...auditData(row),
        ...(cancelsQueued === undefined ? {} : { cancelsQueued }),
      },
    });
    return toView(row);
  });
  bumpConfigVersion(tenantIdOf(ctx));
  return result;
}

/**
 * The kill switch's durable half, in the transaction that disables the authorizer: a cancel job
 * for each of its targets still open under a pending request. Each job denies its request
 * (`authorizer_disabled`) when no live target is left, then tells the authorizer. The decision
 * write itself refuses a disabled authorizer from the moment this transaction commits.
 */
async function queueCancelsAtDisabledAuthorizer(
  tx: Database,
  ctx: TenantContext,
  authorizerId: string,
): Promise<number> {
  const tenantId = tenantIdOf(ctx);
  const queued = (await tx.execute(sql`
    insert into ${jobs} (tenant_id, kind, request_id, target)
    select t.tenant_id, 'cancel', t.request_id, t.authorizer_id::text
    from ${requestTargets} t join ${authorizationRequests} r on r.request_id = t.request_id
    where t.tenant_id = ${tenantId} and t.authorizer_id = ${authorizerId} and t.state in ('queued', 'pending') and r.status = 'pending'
    on conflict (kind, request_id, target) do nothing
    returning id`)) as unknown as { rows: unknown[] };
  return queued.rows.length;
}

/**
 * Deletes an authorizer. The default never goes (409 `default_authorizer`: routing falls back to it);
 * one that pending requests still wait on needs its name typed again (`confirmedName`), since their
 * targets go with it. Null when there is none by that name.
 */
export async function deleteAuthorizer(
  db: Database,
  ctx: TenantContext,
  name: string,
  options: { confirmedName?: string } = {},
): Promise<AuthorizerView | null> {
  const result = await db.transaction(async (tx) => {
    await lockTenantConfig(tx, ctx);
    const [existing] = await tx
      .select()
      .from(authorizers)
      .where(forTenant(ctx, authorizers.tenantId, eq(authorizers.name, name)));
    if (!existing) return null;
    if (existing.isDefault)
      throw new AppError(
        "default_authorizer",
        "The default authorizer cannot be deleted: make another authorizer the default first",
      );
    const waiting = await countPendingTargets(tx, ctx, existing.id);
    if (waiting > 0 && options.confirmedName !== existing.name) {
      throw new AppError(
        "confirmation_required",
        `${waiting} pending request(s) wait on ${existing.name}: send confirmName "${existing.name}" to delete it anyway`,
        {
          details: { pendingRequests: waiting, confirm: { confirmName: existing.name } },
        },
      );
    }
    await tx.delete(authorizers).where(forTenant(ctx, authorizers.tenantId, eq(authorizers.id, existing.id)));
    await recordAuditEvent(tx, ctx, {
      action: "authorizer.deleted",
      target: existing.name,
      data: { id: existing.id, endpoint: existing.endpoint, pendingRequests: waiting },
    });
    return toView(existing);
  });
  bumpConfigVersion(tenantIdOf(ctx));
  return result;
}

/** How far back a removed public key counts as in use: it verified a decision this recently. */
const KEY_IN_USE_DAYS = 7;

/**
 * Removing a public key the authorizer signed an accepted decision with in the last 7 days refuses
 * its next decisions (callbacks fail `invalid_signature`): each such key must be named again in
 * `confirmRemovedKeyIds`, or 409 `confirmation_required` lists them.
 */
async function assertKeyRemovalConfirmed(
  tx: Database,
  ctx: TenantContext,
  existing: Authorizer,
  next: readonly AuthorizerPublicKey[],
  confirmed: readonly string[],
): Promise<void> {
  const kept = new Set(next.map((k) => k.keyId));
  const removed = existing.publicKeys.map((k) => k.keyId).filter((id) => !kept.has(id));
  if (removed.length === 0) return;
  const r = authorizationRequests;
  const used = await tx
    .selectDistinct({ keyId: r.decisionKeyId })
    .from(r)
    .where(
      forTenant(
        ctx,
        r.tenantId,
        gte(r.createdAt, sql`now() - make_interval(days => ${KEY_IN_USE_DAYS})`),
        eq(r.decisionAuthorizerId, existing.id),
        and(isNotNull(r.decisionKeyId), inArray(r.decisionKeyId, removed)),
      ),
    );
  const unconfirmed = used.map((u) => u.keyId!).filter((id) => !confirmed.includes(id));
  if (unconfirmed.length === 0) return;
  throw new AppError(
    "confirmation_required",
    `${unconfirmed.join(", ")} verified decisions of ${existing.name} in the last ${KEY_IN_USE_DAYS} days: name them in confirmRemovedKeyIds to remove them anyway`,
    {
      details: { keysInUse: unconfirmed, confirm: { confirmRemovedKeyIds: unconfirmed } },
    },
  );
}

/** Targets at this authorizer still open under a pending request. */
async function countPendingTargets(tx: Database, ctx: TenantContext, authorizerId: string): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(requestTargets)
    .innerJoin(authorizationRequests, eq(authorizationRequests.requestId, requestTargets.requestId))
    .where(
      forTenant(
        ctx,
        requestTargets.tenantId,
        eq(requestTargets.authorizerId, authorizerId),
        inArray(requestTargets.state, ["queued", "pending"]),
        eq(authorizationRequests.status, "pending"),
      ),
    );
  return Number(row?.count ?? 0);
}

/** The authorizer as a test saw it: a proof counts only if it still has this endpoint and spId. */
export interface TestedAuthorizer {
  id: string;
  endpoint: string;
  spId: string;
}

/**
 * Records that `authorizer` accepted a request signed by `keyId` alone. Conditional: nothing is
 * written when the authorizer was re-pointed (or deleted) while the test ran. True when recorded.
 */
export async function recordProvenKey(
  db: Database,
  ctx: TenantContext,
  authorizer: TestedAuthorizer,
  keyId: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(authorizers)
      .set({ provenKeyIds: sql`array_append(array_remove(${authorizers.provenKeyIds}, ${keyId}), ${keyId})` })
      .where(
        forTenant(
          ctx,
          authorizers.tenantId,
          eq(authorizers.id, authorizer.id),
          eq(authorizers.endpoint, authorizer.endpoint),
          eq(authorizers.spId, authorizer.spId),
        ),
      )
      .returning({ name: authorizers.name });
    if (!row) return false;
    await recordAuditEvent(tx, ctx, { action: "authorizer.key_proven", target: row.name, data: { keyId } });
    return true;
  });
}

/** Replaces what an authorizer is known to accept (the built-in sandbox: exactly its registration's keys). */
export async function setProvenKeys(
  db: Database,
  ctx: TenantContext,
  authorizerId: string,
  keyIds: string[],
): Promise<void> {
  await db
    .update(authorizers)
    .set({ provenKeyIds: keyIds })
    .where(forTenant(ctx, authorizers.tenantId, eq(authorizers.id, authorizerId)));
}

// Enough to reconstruct what changed: public key ids, not the key bytes.
function auditData(row: Authorizer): Record<string, unknown> {
  return {
    id: row.id,
    endpoint: row.endpoint,
    spId: row.spId,
    signingKeyId: row.signingKeyId,
    isDefault: row.isDefault,
    enabled: row.enabled,
    pollOnly: row.pollOnly,
    publicKeyIds: row.publicKeys.map((k) => k.keyId),
  };
}
