import { z } from "zod";
import { apiKeyScopes, signingKeyStates, unavailabilityPolicies } from "@/db/enum-values";
import { instantSchema } from "./api-response-schemas";

// What the configuration endpoints of /api/v1 answer (authorizers, signing keys, API keys, settings,
// routing test, audit). Like api-response-schemas.ts: strict, as JSON, the source of the OpenAPI document.

const nullableInstant = instantSchema.nullable();
const list = <T extends z.ZodType>(item: T) => z.strictObject({ data: z.array(item) });

export const authorizerSchema = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  endpoint: z.string(),
  spId: z.string(),
  signingKeyId: z.string().nullable().describe("The tenant keyId this authorizer has registered"),
  publicKeys: z.array(z.strictObject({ keyId: z.string(), algorithm: z.literal("ed25519"), publicKey: z.string() })),
  isDefault: z.boolean(),
  enabled: z.boolean(),
  pollOnly: z.boolean(),
  resultReportsUnsupportedAt: nullableInstant,
  provenKeyIds: z.array(z.string()).describe("Tenant keyIds this authorizer has been shown to accept"),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  callbackPath: z.string().describe("Where this authorizer sends decisions: /api/stepauth/callback/{id}"),
  callbackHealth: z.strictObject({
    refusedLastHour: z.int(),
    lastCause: z.string().nullable(),
    lastRefusedAt: z.string().nullable(),
  }),
});
export const authorizerListSchema = list(authorizerSchema);

/** A signing key: its public half only, never the private one. */
export const signingKeySchema = z.strictObject({
  id: z.uuid(),
  keyId: z.string(),
  publicKey: z.string().describe("Base64 SPKI DER Ed25519 public key"),
  state: z.enum(signingKeyStates),
  createdAt: instantSchema,
  activatedAt: nullableInstant,
  retiredAt: nullableInstant,
});
export const signingKeyListSchema = list(signingKeySchema);

/** An API key: never its secret (nor the secret's hash). */
export const apiKeySchema = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe("The secret's first characters, to recognise it"),
  scopes: z.array(z.enum(apiKeyScopes)),
  createdBy: z.uuid().nullable(),
  createdAt: instantSchema,
  lastUsedAt: nullableInstant,
  revokedAt: nullableInstant,
});
export const apiKeyListSchema = list(apiKeySchema);
export const createdApiKeySchema = apiKeySchema.extend({
  secret: z.string().describe("The key itself: shown in this answer only"),
});

/** The tenant's effective settings (defaults filled in). */
export const tenantSettingsSchema = z.strictObject({
  routingScript: z.string().nullable(),
  unavailabilityPolicy: z.enum(unavailabilityPolicies),
  failOpenSetBy: z.string().nullable().describe("A user id, or api_key:<id>"),
  failOpenSetAt: nullableInstant,
  retryPolicy: z.strictObject({
    maxAttempts: z.int(),
    baseDelayMs: z.int(),
    factor: z.number(),
    attemptTimeoutMs: z.int(),
  }),
  defaultExpiresIn: z.int(),
  executionWindowSeconds: z.int(),
  retentionDays: z.int().nullable(),
  publicBaseUrl: z.string().nullable(),
  webhookUrl: z.string().nullable(),
  hasWebhookSecret: z.boolean(),
  webhookSecretGraceEndsAt: nullableInstant.describe("Until then the replaced webhook secret signs too"),
  updatedAt: nullableInstant,
});
export const updatedTenantSettingsSchema = tenantSettingsSchema.extend({
  webhookSecret: z.string().optional().describe("A new webhook secret: shown in this answer only"),
});

const routingTestCommon = {
  issues: z.array(
    z.strictObject({ code: z.string(), message: z.string(), line: z.int(), column: z.int(), offset: z.int() }),
  ),
  config: z.strictObject({ authorizers: z.array(z.string()), default: z.string() }),
  note: z.string().optional().describe("Set when the tenant has no authorizers and placeholders were used"),
};

/** What the script would do with the sample: authorizers, an immediate decision, or the fallback. */
export const routingTestResultSchema = z.union([
  z.strictObject({
    targets: z.array(z.string()),
    fallback: z.literal(false),
    source: z.enum(["script", "no_script"]),
    ...routingTestCommon,
  }),
  z.strictObject({
    targets: z.array(z.string()),
    fallback: z.literal(false),
    immediate: z.enum(["approved", "denied"]),
    ...routingTestCommon,
  }),
  z.strictObject({
    targets: z.array(z.string()),
    fallback: z.literal(true),
    fallbackReason: z.string(),
    message: z.string(),
    ...routingTestCommon,
  }),
]);

export const auditEventPageSchema = z.strictObject({
  data: z.array(
    z.strictObject({
      id: z.uuid(),
      actor: z.string().describe('"user:<uuid>", "api_key:<uuid>" or "system"'),
      action: z.string(),
      target: z.string().nullable(),
      data: z.record(z.string(), z.unknown()).nullable(),
      createdAt: instantSchema,
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** The audit trail's verdict over [from, to]; ok false names the first broken entry. */
export const auditVerifyReportSchema = z.strictObject({
  ok: z.boolean(),
  entriesChecked: z.int(),
  checkpointsChecked: z.int(),
  unsealedEntries: z.int().describe("Written since the last checkpoint: not sealed yet, so not checked"),
  purgedEntries: z.int().describe("Sealed entries removed by retention purges"),
  firstFailure: z
    .strictObject({
      id: z.string(),
      kind: z.enum(["request_event", "audit_event", "checkpoint", "request"]),
      why: z.string(),
    })
    .optional(),
});
