import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizers, tenantSettings, type StoredRetryPolicy, type TenantSettings } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { openSecret, sealSecret, type SealedSecret } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors/app-error";
import { DEFAULT_RETRY_POLICY, validateRoutingScript, type RoutingScriptIssue } from "@/lib/stepauth";
import { recordAuditEvent } from "./audit";
import { bumpConfigVersion } from "./config-version";
import { forTenant, tenantIdOf } from "./tenant-scope";

/** PROTOCOL.md's pinned defaults, used until a tenant sets its own. */
export const defaultRetryPolicy: StoredRetryPolicy = {
  maxAttempts: DEFAULT_RETRY_POLICY.maxAttempts,
  baseDelayMs: DEFAULT_RETRY_POLICY.baseDelayMs,
  factor: DEFAULT_RETRY_POLICY.factor,
  attemptTimeoutMs: DEFAULT_RETRY_POLICY.attemptTimeoutMs,
};

export interface EffectiveSettings {
  routingScript: string | null;
  unavailabilityPolicy: "fail_closed" | "fail_open";
  failOpenSetBy: string | null;
  failOpenSetAt: Date | null;
  retryPolicy: StoredRetryPolicy;
  defaultExpiresIn: number;
  /** How long after an approval its execution may be claimed (never past the request's expiresAt). */
  executionWindowSeconds: number;
  /** Days finished requests are kept; null keeps everything. */
  retentionDays: number | null;
  publicBaseUrl: string | null;
  webhookUrl: string | null;
  hasWebhookSecret: boolean;
  /** Set during a webhook secret rotation's grace period: until then the replaced secret signs too. */
  webhookSecretGraceEndsAt: Date | null;
  updatedAt: Date | null;
}

/** How long a replaced webhook secret keeps signing by default: receivers get a day to switch. */
export const DEFAULT_WEBHOOK_SECRET_GRACE_SECONDS = 24 * 60 * 60;

function graceEndsAt(row: TenantSettings | undefined, now = new Date()): Date | null {
  const endsAt = row?.webhookPreviousSecretCiphertext ? row.webhookPreviousSecretExpiresAt : null;
  return endsAt && endsAt > now ? endsAt : null;
}

function effective(row: TenantSettings | undefined): EffectiveSettings {
  return {
    routingScript: row?.routingScript ?? null,
    unavailabilityPolicy: row?.unavailabilityPolicy ?? "fail_closed",
    failOpenSetBy: row?.failOpenSetBy ?? (row?.failOpenSetByApiKey ? `api_key:${row.failOpenSetByApiKey}` : null),
    failOpenSetAt: row?.failOpenSetAt ?? null,
    retryPolicy: { ...defaultRetryPolicy, ...row?.retryPolicy },
    defaultExpiresIn: row?.defaultExpiresIn ?? 1800,
    executionWindowSeconds: row?.executionWindowSeconds ?? 600,
    retentionDays: row?.retentionDays ?? null,
    publicBaseUrl: row?.publicBaseUrl ?? null,
    webhookUrl: row?.webhookUrl ?? null,
    hasWebhookSecret: Boolean(row?.webhookSecretCiphertext),
    webhookSecretGraceEndsAt: graceEndsAt(row),
    updatedAt: row?.updatedAt ?? null,
  };
}

/** The tenant's settings with defaults filled in; a tenant that never saved any gets the defaults. */
export async function getTenantSettings(db: Database, ctx: TenantContext): Promise<EffectiveSettings> {
  const [row] = await db
    .select()
    .from(tenantSettings)
    .where(eq(tenantSettings.tenantId, tenantIdOf(ctx)));
  return effective(row);
}

const webhookSecretContext = (tenantId: string) => `tenant:${tenantId}:webhook-secret`;

export function sealWebhookSecret(ctx: TenantContext, secret: string): SealedSecret {
  return sealSecret(secret, webhookSecretContext(tenantIdOf(ctx)));
}

/** Where a webhook goes and what signs it; `previousSecret` only during a rotation's grace period. */
export interface WebhookTarget {
  url: string;
  secret: string;
  previousSecret?: string;
}

/** The service webhook's URL and opened signing secret(s), or null when the tenant has none. */
export async function loadWebhookTarget(db: Database, ctx: TenantContext): Promise<WebhookTarget | null> {
  const tenantId = tenantIdOf(ctx);
  const [row] = await db.select().from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId));
  if (!row?.webhookUrl || !row.webhookSecretCiphertext || !row.webhookSecretKeyVersion) return null;
  const open = (ciphertext: string, keyVersion: string) =>
    openSecret({ ciphertext, keyVersion }, webhookSecretContext(tenantId));
  const target: WebhookTarget = {
    url: row.webhookUrl,
    secret: open(row.webhookSecretCiphertext, row.webhookSecretKeyVersion),
  };
  if (graceEndsAt(row) && row.webhookPreviousSecretCiphertext && row.webhookPreviousSecretKeyVersion) {
    target.previousSecret = open(row.webhookPreviousSecretCiphertext, row.webhookPreviousSecretKeyVersion);
  }
  return target;
}

/** A validated settings change (lib/http/schemas/settings.ts); `null` clears a field. */
export interface TenantSettingsPatch {
  routingScript?: string | null;
  unavailabilityPolicy?: "fail_closed" | "fail_open";
  retryPolicy?: Partial<StoredRetryPolicy> | null;
  defaultExpiresIn?: number;
  executionWindowSeconds?: number;
  retentionDays?: number | null;
  publicBaseUrl?: string | null;
  webhookUrl?: string | null;
  rotateWebhookSecret?: boolean;
  webhookSecretGraceSeconds?: number;
}

type SettingsChanges = Partial<Omit<typeof tenantSettings.$inferInsert, "tenantId">>;

/** Standard Webhooks secret format: `whsec_` + base64 of 24 random bytes. */
function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

// Validated against every configured authorizer name so a typo is caught at save time, with its position.
async function assertRoutingScriptSavable(tx: Database, ctx: TenantContext, script: string): Promise<void> {
  const names = await tx
    .select({ name: authorizers.name })
    .from(authorizers)
    .where(forTenant(ctx, authorizers.tenantId));
  let issues: RoutingScriptIssue[];
  try {
    const result = validateRoutingScript(script, names.length > 0 ? { authorizers: names.map((n) => n.name) } : {});
    issues = result.ok ? [] : result.issues;
  } catch {
    issues = [{ code: "limit_exceeded", message: "script could not be analysed", line: 1, column: 1, offset: 0 }];
  }
  if (issues.length > 0)
    throw new AppError("invalid_routing_script", "The routing script cannot be saved", { details: issues });
}

/**
 * Upserts the tenant's settings. Opting into fail-open records who and when; a webhook secret is
 * generated when a webhook is first set or on request, stored sealed, and returned only here, once.
 */
export async function updateTenantSettings(
  db: Database,
  ctx: TenantContext,
  patch: TenantSettingsPatch,
  /** Recorded with the change in its audit event, e.g. `{ restoredFrom: versionId }`. */
  auditNote: Record<string, string> = {},
): Promise<{ settings: EffectiveSettings; webhookSecret?: string }> {
  const tenantId = tenantIdOf(ctx);
  const result = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId)).for("update");
    if (typeof patch.routingScript === "string") await assertRoutingScriptSavable(tx, ctx, patch.routingScript);
    const changes: SettingsChanges = {};
    if (patch.routingScript !== undefined) changes.routingScript = patch.routingScript;
    if (patch.defaultExpiresIn !== undefined) changes.defaultExpiresIn = patch.defaultExpiresIn;
    if (patch.executionWindowSeconds !== undefined) changes.executionWindowSeconds = patch.executionWindowSeconds;
    if (patch.retentionDays !== undefined) changes.retentionDays = patch.retentionDays;
    if (patch.publicBaseUrl !== undefined) changes.publicBaseUrl = patch.publicBaseUrl;
    if (patch.retryPolicy !== undefined)
      changes.retryPolicy = patch.retryPolicy && { ...effective(current).retryPolicy, ...patch.retryPolicy };
    applyUnavailabilityPolicy(ctx, current, patch, changes);
    const webhookSecret = applyWebhook(ctx, current, patch, changes);
    if (Object.keys(changes).length === 0) return { settings: effective(current) };
    const [row] = await tx
      .insert(tenantSettings)
      .values({ tenantId, ...changes })
      .onConflictDoUpdate({ target: tenantSettings.tenantId, set: { ...changes, updatedAt: sql`now()` } })
      .returning();
    const {
      webhookSecretCiphertext: _c,
      webhookSecretKeyVersion: _v,
      webhookPreviousSecretCiphertext: _pc,
      webhookPreviousSecretKeyVersion: _pv,
      ...audited
    } = changes;
    // What each changed setting was before, so the audit log can show a change (a script's diff), not only its result.
    const previous = Object.fromEntries(
      Object.keys(audited).map((key) => [key, current?.[key as keyof typeof audited] ?? null]),
    );
    await recordAuditEvent(tx, ctx, {
      action: "settings.updated",
      data: { ...audited, previous, ...auditNote, ...(webhookSecret ? { webhookSecretIssued: true } : {}) },
    });
    return webhookSecret ? { settings: effective(row), webhookSecret } : { settings: effective(row) };
  });
  bumpConfigVersion(tenantId);
  return result;
}

function applyUnavailabilityPolicy(
  ctx: TenantContext,
  current: TenantSettings | undefined,
  patch: TenantSettingsPatch,
  changes: SettingsChanges,
): void {
  if (
    patch.unavailabilityPolicy === undefined ||
    patch.unavailabilityPolicy === (current?.unavailabilityPolicy ?? "fail_closed")
  )
    return;
  changes.unavailabilityPolicy = patch.unavailabilityPolicy;
  const failOpen = patch.unavailabilityPolicy === "fail_open";
  changes.failOpenSetBy = failOpen && ctx.actor.type === "user" ? ctx.actor.userId : null;
  changes.failOpenSetByApiKey = failOpen && ctx.actor.type === "api_key" ? ctx.actor.apiKeyId : null;
  changes.failOpenSetAt = failOpen ? new Date() : null;
}

const noPreviousSecret = {
  webhookPreviousSecretCiphertext: null,
  webhookPreviousSecretKeyVersion: null,
  webhookPreviousSecretExpiresAt: null,
};

/**
 * Sets or removes the webhook; returns the new plaintext secret when one was issued. A rotation
 * keeps the replaced secret signing too (a second signature) for the grace period, so a receiver
 * that has not switched yet keeps verifying; a second rotation drops the older of the two.
 */
function applyWebhook(
  ctx: TenantContext,
  current: TenantSettings | undefined,
  patch: TenantSettingsPatch,
  changes: SettingsChanges,
): string | undefined {
  if (patch.webhookSecretGraceSeconds !== undefined && !patch.rotateWebhookSecret) {
    throw new AppError("validation_failed", "webhookSecretGraceSeconds applies only with rotateWebhookSecret", {
      details: [{ path: "webhookSecretGraceSeconds", message: "send it with rotateWebhookSecret: true" }],
    });
  }
  if (patch.webhookUrl === null) {
    if (patch.rotateWebhookSecret)
      throw new AppError("conflict", "Cannot rotate the secret of a webhook that is being removed");
    Object.assign(changes, {
      webhookUrl: null,
      webhookSecretCiphertext: null,
      webhookSecretKeyVersion: null,
      ...noPreviousSecret,
    });
    return undefined;
  }
  // A grace period that has ended leaves nothing behind.
  if (current?.webhookPreviousSecretCiphertext && !graceEndsAt(current)) Object.assign(changes, noPreviousSecret);
  if (patch.webhookUrl !== undefined) changes.webhookUrl = patch.webhookUrl;
  const url = patch.webhookUrl ?? current?.webhookUrl ?? null;
  if (patch.rotateWebhookSecret && !url)
    throw new AppError("conflict", "There is no webhook whose secret could be rotated: set webhookUrl first");
  const needsSecret =
    patch.rotateWebhookSecret || (patch.webhookUrl !== undefined && !current?.webhookSecretCiphertext);
  if (!url || !needsSecret) return undefined;
  const secret = generateWebhookSecret();
  const sealed = sealWebhookSecret(ctx, secret);
  Object.assign(changes, { webhookSecretCiphertext: sealed.ciphertext, webhookSecretKeyVersion: sealed.keyVersion });
  const graceSeconds = patch.webhookSecretGraceSeconds ?? DEFAULT_WEBHOOK_SECRET_GRACE_SECONDS;
  if (
    patch.rotateWebhookSecret &&
    current?.webhookSecretCiphertext &&
    current.webhookSecretKeyVersion &&
    graceSeconds > 0
  ) {
    // Same tenant, same sealing context: the sealed old secret moves over as it is.
    Object.assign(changes, {
      webhookPreviousSecretCiphertext: current.webhookSecretCiphertext,
      webhookPreviousSecretKeyVersion: current.webhookSecretKeyVersion,
      webhookPreviousSecretExpiresAt: new Date(Date.now() + graceSeconds * 1000),
    });
  } else if (patch.rotateWebhookSecret) {
    Object.assign(changes, noPreviousSecret);
  }
  return secret;
}
