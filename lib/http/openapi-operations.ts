import { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import { executionRequestSchema, idempotencyKeySchema, submitRequestSchema } from "@/lib/client/api-schemas";
import { actionSchema, isValidKeyId, principalSchema, REQUEST_ID_PATTERN } from "@/lib/stepauth";
import * as res from "./api-response-schemas";
import {
  auditEventsQuerySchema,
  auditVerifyQuerySchema,
  requestListQuerySchema,
  requestWaitQuerySchema,
} from "./api-query-schemas";
import type { HttpMethod } from "./api-route";
import * as mgmt from "./management-response-schemas";
import { createApiKeySchema, revokeApiKeySchema } from "./management-routes/api-key-schemas";
import {
  AUTHORIZER_NAME_PATTERN,
  createAuthorizerSchema,
  deleteAuthorizerSchema,
  updateAuthorizerSchema,
} from "./management-routes/authorizer-schemas";
import { routingTestSchema, sampleRequestSchema } from "./management-routes/routing-test-schemas";
import { tenantSettingsPatchSchema } from "./management-routes/settings-schemas";
import { createSigningKeySchema, retireSigningKeySchema } from "./management-routes/signing-key-schemas";

// Every /api/v1 operation (and the authorizer callback) as data: the OpenAPI document is generated
// from this table and the zod schemas it names, the same ones the routes validate with.

export interface DocumentedResponse {
  description: string;
  /** Absent: no body (204). */
  schema?: z.ZodType;
}

export interface DocumentedOperation {
  summary: string;
  description?: string;
  /** Who may call: an API key holding this permission, a signed StepAuth envelope, or anyone. */
  auth: { apiKey: Permission } | "signed_envelope" | "public";
  path?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: { schema: z.ZodType; required: boolean };
  /** Success answers; errors are listed by status and share the error body. */
  responses: Record<number, DocumentedResponse>;
  errors: number[];
}

export type DocumentedPaths = Record<string, Partial<Record<HttpMethod, DocumentedOperation>>>;

const requestIdPath = z.object({ requestId: z.string().regex(REQUEST_ID_PATTERN) });
const authorizerNamePath = z.object({ name: z.string().regex(AUTHORIZER_NAME_PATTERN) });
const keyIdPath = z.object({
  keyId: z.string().refine(isValidKeyId).describe("A key id: 1–128 letters, digits, . _ : -"),
});
const uuidPath = (name: string) => z.object({ [name]: z.uuid() });

/** What the documented submit body is: the wire body with principal and action as the protocol core checks them. */
export const documentedSubmitSchema = submitRequestSchema.extend({ principal: principalSchema, action: actionSchema });
/** The routing test's sample, described as it is checked (after the first read). */
export const documentedRoutingTestSchema = routingTestSchema.extend({ request: sampleRequestSchema });

/** The authorizer callback's body: read as any JSON, then checked as a StepAuth signed envelope. */
export const signedEnvelopeBodySchema = z
  .record(z.string(), z.unknown())
  .describe("A StepAuth signed envelope (PROTOCOL.md)");
/** This document's own schema: any OpenAPI 3.1 document. */
export const openApiDocumentSchema = z.record(z.string(), z.unknown());

const view = (description: string) => ({ description, schema: res.requestViewSchema });
const optionalBody = (schema: z.ZodType) => ({ schema, required: false });
const requiredBody = (schema: z.ZodType) => ({ schema, required: true });

export const apiOperations: DocumentedPaths = {
  "/api/v1/authorization-requests": {
    POST: {
      summary: "Submit a sensitive action for authorization",
      auth: { apiKey: "requests:write" },
      headers: z.object({
        "Idempotency-Key": idempotencyKeySchema
          .optional()
          .describe("Same key and body → the same answer; another body → 422 idempotency_key_reused."),
      }),
      body: requiredBody(documentedSubmitSchema),
      responses: {
        200: view("Final at once (routing, immediate decision, fail-closed or fail-open)"),
        202: view("Pending review"),
      },
      errors: [409, 422],
    },
    GET: {
      summary: "List requests (newest first, keyset pagination)",
      auth: { apiKey: "requests:read" },
      query: requestListQuerySchema,
      responses: { 200: { description: "A page of request summaries", schema: res.requestPageSchema } },
      errors: [400],
    },
  },
  "/api/v1/authorization-requests/{requestId}": {
    GET: {
      summary: "A request with its decision, execution and timeline",
      description:
        "With wait=N: long-poll up to N seconds while pending (at most 20 concurrent per API key and 50 per tenant by default; beyond, 429 with Retry-After).",
      auth: { apiKey: "requests:read" },
      path: requestIdPath,
      query: requestWaitQuerySchema,
      responses: { 200: view("The request") },
      errors: [400, 404],
    },
  },
  "/api/v1/authorization-requests/{requestId}/cancel": {
    POST: {
      summary: "Cancel at every authorizer; nothing executes afterwards",
      auth: { apiKey: "requests:write" },
      path: requestIdPath,
      responses: {
        200: { description: "Cancelled (without its timeline)", schema: res.requestViewSchema },
        409: { description: "A decision already won: the request as it stands", schema: res.cancelConflictSchema },
      },
      errors: [404],
    },
  },
  "/api/v1/authorization-requests/{requestId}/execution": {
    POST: {
      summary: "Claim the execution of an approved request, or report its result",
      description:
        "Claim before run: an empty body or {payloadSha256} claims; the first claim wins (200), every later claim is 409 already_claimed " +
        "with details.execution, so a redelivered webhook never runs twice. A payloadSha256 other than the approved payload's is 409 " +
        "payload_mismatch; a claim after the execution window is 410 execution_window_closed. {status, error?} records the result of a " +
        "claimed execution once (a second report: 409 conflict) and sends it to the deciding authorizer as a result report.",
      auth: { apiKey: "requests:write" },
      path: requestIdPath,
      body: optionalBody(executionRequestSchema),
      responses: {
        200: {
          description: "Claimed, or the result recorded",
          schema: res.executionAnswerSchema,
        },
      },
      errors: [404, 409, 410],
    },
  },
  "/api/v1/authorizers": {
    GET: {
      summary: "List authorizers, with their callback health",
      auth: { apiKey: "config:read" },
      responses: { 200: { description: "Authorizers", schema: mgmt.authorizerListSchema } },
      errors: [],
    },
    POST: {
      summary: "Add an authorizer",
      auth: { apiKey: "config:write" },
      body: requiredBody(createAuthorizerSchema),
      responses: { 201: { description: "Created", schema: mgmt.authorizerSchema } },
      errors: [409],
    },
  },
  "/api/v1/authorizers/{name}": {
    GET: {
      summary: "An authorizer",
      auth: { apiKey: "config:read" },
      path: authorizerNamePath,
      responses: { 200: { description: "The authorizer", schema: mgmt.authorizerSchema } },
      errors: [404],
    },
    PATCH: {
      summary: "Change an authorizer (exactly one default per tenant)",
      description:
        "Removing a public key that verified an accepted decision in the last 7 days is refused with 409 confirmation_required (details.keysInUse) unless confirmRemovedKeyIds names it.",
      auth: { apiKey: "config:write" },
      path: authorizerNamePath,
      body: requiredBody(updateAuthorizerSchema),
      responses: { 200: { description: "Updated", schema: mgmt.authorizerSchema } },
      errors: [404, 409],
    },
    DELETE: {
      summary: "Delete an authorizer",
      description:
        "The default authorizer is never deleted (409 default_authorizer). One that pending requests wait on needs confirmName repeating its name (else 409 confirmation_required, details.pendingRequests).",
      auth: { apiKey: "config:write" },
      path: authorizerNamePath,
      body: optionalBody(deleteAuthorizerSchema),
      responses: { 204: { description: "Deleted" } },
      errors: [404, 409],
    },
  },
  "/api/v1/signing-keys": {
    GET: {
      summary: "The tenant's signing keys (public halves only)",
      auth: { apiKey: "keys:manage" },
      responses: { 200: { description: "Keys", schema: mgmt.signingKeyListSchema } },
      errors: [],
    },
    POST: {
      summary: "Create a key (active if none, else next: dual signing)",
      auth: { apiKey: "keys:manage" },
      body: optionalBody(createSigningKeySchema),
      responses: { 201: { description: "Created", schema: mgmt.signingKeySchema } },
      errors: [409],
    },
  },
  "/api/v1/signing-keys/{keyId}/activate": {
    POST: {
      summary: "Activate the next key",
      auth: { apiKey: "keys:manage" },
      path: keyIdPath,
      responses: { 200: { description: "Activated", schema: mgmt.signingKeySchema } },
      errors: [404, 409],
    },
  },
  "/api/v1/signing-keys/{keyId}/retire": {
    POST: {
      summary: "Retire a key",
      description:
        "Retiring an active key is refused with 409 signing_key_in_use (details.authorizers lists them) while an enabled authorizer " +
        'has not been shown to accept a remaining key (console: "Test with the new key only"), unless confirmKeyId repeats the key id.',
      auth: { apiKey: "keys:manage" },
      path: keyIdPath,
      body: optionalBody(retireSigningKeySchema),
      responses: { 200: { description: "Retired", schema: mgmt.signingKeySchema } },
      errors: [404, 409],
    },
  },
  "/api/v1/settings": {
    GET: {
      summary: "Tenant settings",
      auth: { apiKey: "config:read" },
      responses: { 200: { description: "Settings", schema: mgmt.tenantSettingsSchema } },
      errors: [],
    },
    PUT: {
      summary: "Change settings",
      description:
        "Routing script, unavailability policy, retries, lifetime, execution window, retention, webhook. rotateWebhookSecret keeps the old secret signing too for webhookSecretGraceSeconds (default 86400).",
      auth: { apiKey: "config:write" },
      body: requiredBody(tenantSettingsPatchSchema),
      responses: {
        200: { description: "Updated; a new webhook secret is shown once", schema: mgmt.updatedTenantSettingsSchema },
      },
      errors: [409],
    },
  },
  "/api/v1/routing/test": {
    POST: {
      summary: "Evaluate a routing script against a sample request (changes nothing)",
      auth: { apiKey: "config:read" },
      body: requiredBody(documentedRoutingTestSchema),
      responses: {
        200: {
          description: "Targets or the fallback reason, with issues and positions",
          schema: mgmt.routingTestResultSchema,
        },
      },
      errors: [],
    },
  },
  "/api/v1/api-keys": {
    GET: {
      summary: "API keys (never their secrets)",
      auth: { apiKey: "keys:manage" },
      responses: { 200: { description: "Keys", schema: mgmt.apiKeyListSchema } },
      errors: [],
    },
    POST: {
      summary: "Create an API key; its secret is in this answer only",
      description: "A key grants only scopes its creator holds (403 insufficient_scope otherwise).",
      auth: { apiKey: "keys:manage" },
      body: requiredBody(createApiKeySchema),
      responses: { 201: { description: "Created", schema: mgmt.createdApiKeySchema } },
      errors: [],
    },
  },
  "/api/v1/api-keys/{id}": {
    GET: {
      summary: "An API key",
      auth: { apiKey: "keys:manage" },
      path: uuidPath("id"),
      responses: { 200: { description: "The key", schema: mgmt.apiKeySchema } },
      errors: [404],
    },
    DELETE: {
      summary: "Revoke an API key",
      description:
        "A key used in the last 7 days needs confirmName repeating its name (else 409 confirmation_required).",
      auth: { apiKey: "keys:manage" },
      path: uuidPath("id"),
      body: optionalBody(revokeApiKeySchema),
      responses: { 200: { description: "Revoked", schema: mgmt.apiKeySchema } },
      errors: [404, 409],
    },
  },
  "/api/v1/audit-events": {
    GET: {
      summary: "Configuration audit trail (newest first, keyset pagination)",
      description: "Refused callbacks are summarised per authorizer and minute.",
      auth: { apiKey: "config:read" },
      query: auditEventsQuerySchema,
      responses: { 200: { description: "A page", schema: mgmt.auditEventPageSchema } },
      errors: [400],
    },
  },
  "/api/v1/audit/verify": {
    GET: {
      summary: "Verify the tamper-evident audit trail over [from, to]",
      description:
        "Hash chains, signed checkpoints and request rows against their sealed timelines; ok false names the first broken entry.",
      auth: { apiKey: "requests:read" },
      query: auditVerifyQuerySchema,
      responses: { 200: { description: "The verdict", schema: mgmt.auditVerifyReportSchema } },
      errors: [400],
    },
  },
  "/api/v1/openapi.json": {
    GET: {
      summary: "This document",
      auth: "public",
      responses: { 200: { description: "OpenAPI 3.1", schema: openApiDocumentSchema } },
      errors: [],
    },
  },
  "/api/stepauth/callback/{authorizerId}": {
    POST: {
      summary: "Authorizer callback: envelope(decision) in, execution result out (StepAuth wire profile)",
      description:
        "Authenticated by the signed envelope, verified against the keys of the authorizer the URL names. When the result is not known within 5 s the answer is accepted and the result follows as a signed result report (POST /v1/authorization-requests/result at the authorizer).",
      auth: "signed_envelope",
      path: uuidPath("authorizerId"),
      body: requiredBody(signedEnvelopeBodySchema),
      responses: { 200: { description: "The execution result, or accepted", schema: res.callbackAnswerSchema } },
      errors: [401, 404, 409],
    },
  },
};
