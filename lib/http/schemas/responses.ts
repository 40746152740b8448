import { z } from "zod";
import {
  apiKeyScopes,
  deliveryStatuses,
  executionStatuses,
  requestStatuses,
  signingKeyStates,
  targetStates,
  unavailabilityPolicies,
} from "@/db/enum-values";
import { errorStatus, type AppErrorCode } from "@/lib/errors/app-error";
import { actionSchema, PRINCIPAL_TYPES, principalSchema, reviewerSchema } from "@/lib/stepauth";

// What each /api/v1 endpoint answers, as it reaches the client (JSON: instants are ISO 8601 strings).
// The one description of the responses: the OpenAPI document is generated from these, and the
// integration test checks real answers against that document. Objects are strict, so a field the code
// adds without describing it here fails the test.

/** Every instant the API returns: `Date.prototype.toISOString()`, always UTC. */
export const instantSchema = z.iso.datetime();
const nullableInstant = instantSchema.nullable();
const list = <T extends z.ZodType>(item: T) => z.strictObject({ data: z.array(item) });

/** The body of every error answer; `details` depends on the code (validation issues, conflicts, …). */
export const errorBodySchema = z.strictObject({
  error: z.enum(Object.keys(errorStatus) as [AppErrorCode, ...AppErrorCode[]]),
  message: z.string(),
  details: z.unknown().optional(),
});

const requestSummaryFields = {
  requestId: z.string(),
  externalId: z.string().nullable(),
  status: z.enum(requestStatuses),
  statusReason: z.string().nullable().describe("Why a final status was reached without a signed decision"),
  failOpen: z.boolean(),
  principalType: z.enum(PRINCIPAL_TYPES),
  actionType: z.string(),
  actionCategory: z.string().nullable(),
  summary: z.string(),
  createdAt: instantSchema,
  expiresAt: instantSchema,
  decidedAt: nullableInstant,
};

/** A request as lists show it. */
export const requestSummarySchema = z.strictObject(requestSummaryFields);

export const requestPageSchema = z.strictObject({
  data: z.array(requestSummarySchema),
  nextCursor: z.string().nullable().describe("Pass as ?cursor= for the next page; null on the last"),
});

const claimedExecutionSchema = z.strictObject({
  state: z.enum(executionStatuses),
  channel: z
    .enum(["api", "webhook", "window_closed"])
    .describe(
      "api: claimed through the claim API; webhook: a webhook answer with no claim before it; window_closed: no claim within the window",
    ),
  error: z.string().nullable(),
  claimedAt: instantSchema,
  finishedAt: nullableInstant,
  resultReportedAt: nullableInstant,
  resultReportedVia: z.enum(["callback", "result_report", "unsupported"]).nullable(),
  windowClosesAt: nullableInstant,
});

const unclaimedExecutionSchema = z.strictObject({
  state: z.enum(["awaiting_claim", "not_applicable"]),
  windowClosesAt: nullableInstant.describe("For an approval: claims are refused from this moment"),
});

/** A request with its routing, decision, execution, webhook delivery and timeline. */
export const requestViewSchema = z.strictObject({
  ...requestSummaryFields,
  principal: principalSchema,
  action: actionSchema,
  routing: z.strictObject({
    targets: z.array(z.string()),
    fallbackReason: z.string().nullable(),
    error: z.string().nullable(),
  }),
  authorizers: z.array(
    z.strictObject({
      name: z.string(),
      spId: z.string(),
      state: z.enum(targetStates),
      lastError: z.string().nullable(),
    }),
  ),
  decision: z
    .strictObject({
      decision: z.enum(requestStatuses).nullable().describe("null for a cancellation"),
      source: z.string().nullable(),
      authorizer: z.string().nullable(),
      keyId: z.string().nullable(),
      reason: z.string().nullable(),
      reviewers: z.array(reviewerSchema).nullable(),
      signed: z.boolean(),
      decidedAt: instantSchema,
    })
    .nullable(),
  execution: z.union([claimedExecutionSchema, unclaimedExecutionSchema]),
  delivery: z
    .strictObject({
      status: z.enum(deliveryStatuses),
      execute: z.boolean(),
      attempts: z.int(),
      lastStatusCode: z.int().nullable(),
      lastError: z.string().nullable(),
      deliveredAt: nullableInstant,
    })
    .nullable(),
  events: z.array(
    z.strictObject({
      id: z.int(),
      type: z.string(),
      authorizer: z.string().nullable(),
      data: z.record(z.string(), z.unknown()).nullable(),
      at: instantSchema,
    }),
  ),
});

/** 409 from cancel: a decision already won; the request as it stands. */
export const cancelConflictSchema = z.strictObject({
  error: z.literal("already_decided"),
  message: z.string(),
  request: requestViewSchema,
});

/** 200 from a claim: what the service needs to run the approved action, once. */
export const executionClaimAnswerSchema = z.strictObject({
  requestId: z.string(),
  claimed: z.literal(true),
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
  windowClosesAt: instantSchema,
  failOpen: z.boolean(),
  principal: principalSchema,
  action: actionSchema,
});

/** 200 from a result report. */
export const executionReportAnswerSchema = z.strictObject({
  requestId: z.string(),
  status: z.enum(["succeeded", "failed"]),
  error: z.string().nullable(),
});

/** 200 from POST …/execution: a claim's answer or a report's. */
export const executionAnswerSchema = z.union([executionClaimAnswerSchema, executionReportAnswerSchema]);

/** The authorizer callback's answer: the execution result when known within the wait, else accepted. */
export const callbackAnswerSchema = z.strictObject({
  requestId: z.string(),
  status: z.enum(["success", "error", "accepted"]),
  error: z.string().optional(),
});

// The configuration endpoints (authorizers, signing keys, API keys, settings, routing test, audit).

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
