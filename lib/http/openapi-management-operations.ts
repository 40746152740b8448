import { z } from "zod";
import { auditEventsQuerySchema, auditVerifyQuerySchema } from "./schemas/audit";
import * as res from "./schemas/responses";
import { createApiKeySchema, revokeApiKeySchema } from "./schemas/api-keys";
import { createAuthorizerSchema, deleteAuthorizerSchema, updateAuthorizerSchema } from "./schemas/authorizers";
import { routingTestSchema, sampleRequestSchema } from "./schemas/routing";
import { tenantSettingsPatchSchema } from "./schemas/settings";
import { createSigningKeySchema, retireSigningKeySchema } from "./schemas/signing-keys";
import { authorizerNameSegmentSchema, keyIdSegmentSchema, uuidSegmentSchema } from "./schemas/paths";
import type { DocumentedPaths } from "./openapi-operations";

// The configuration operations of /api/v1 (API key with `admin`), as data for the OpenAPI document.
// Type-only import above: openapi-operations.ts imports this table, never the other way round at run time.

const authorizerNamePath = z.object({ name: authorizerNameSegmentSchema });
const keyIdPath = z.object({ keyId: keyIdSegmentSchema });
const idPath = z.object({ id: uuidSegmentSchema });
const optionalBody = (schema: z.ZodType) => ({ schema, required: false });
const requiredBody = (schema: z.ZodType) => ({ schema, required: true });

/** The routing test's sample, described as it is checked (after the first read). */
export const documentedRoutingTestSchema = routingTestSchema.extend({ request: sampleRequestSchema });

export const managementOperations: DocumentedPaths = {
  "/api/v1/authorizers": {
    GET: {
      summary: "List authorizers, with their callback health",
      auth: { apiKey: "config:read" },
      responses: { 200: { description: "Authorizers", schema: res.authorizerListSchema } },
      errors: [],
    },
    POST: {
      summary: "Add an authorizer",
      auth: { apiKey: "config:write" },
      body: requiredBody(createAuthorizerSchema),
      responses: { 201: { description: "Created", schema: res.authorizerSchema } },
      errors: [409],
    },
  },
  "/api/v1/authorizers/{name}": {
    GET: {
      summary: "An authorizer",
      auth: { apiKey: "config:read" },
      path: authorizerNamePath,
      responses: { 200: { description: "The authorizer", schema: res.authorizerSchema } },
      errors: [404],
    },
    PATCH: {
      summary: "Change an authorizer (exactly one default per tenant)",
      description:
        "Removing a public key that verified an accepted decision in the last 7 days is refused with 409 confirmation_required (details.keysInUse) unless confirmRemovedKeyIds names it.",
      auth: { apiKey: "config:write" },
      path: authorizerNamePath,
      body: requiredBody(updateAuthorizerSchema),
      responses: { 200: { description: "Updated", schema: res.authorizerSchema } },
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
      responses: { 200: { description: "Keys", schema: res.signingKeyListSchema } },
      errors: [],
    },
    POST: {
      summary: "Create a key (active if none, else next: dual signing)",
      auth: { apiKey: "keys:manage" },
      body: optionalBody(createSigningKeySchema),
      responses: { 201: { description: "Created", schema: res.signingKeySchema } },
      errors: [409],
    },
  },
  "/api/v1/signing-keys/{keyId}/activate": {
    POST: {
      summary: "Activate the next key",
      auth: { apiKey: "keys:manage" },
      path: keyIdPath,
      responses: { 200: { description: "Activated", schema: res.signingKeySchema } },
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
      responses: { 200: { description: "Retired", schema: res.signingKeySchema } },
      errors: [404, 409],
    },
  },
  "/api/v1/settings": {
    GET: {
      summary: "Tenant settings",
      auth: { apiKey: "config:read" },
      responses: { 200: { description: "Settings", schema: res.tenantSettingsSchema } },
      errors: [],
    },
    PUT: {
      summary: "Change settings",
      description:
        "Routing script, unavailability policy, retries, lifetime, execution window, retention, webhook. rotateWebhookSecret keeps the old secret signing too for webhookSecretGraceSeconds (default 86400).",
      auth: { apiKey: "config:write" },
      body: requiredBody(tenantSettingsPatchSchema),
      responses: {
        200: { description: "Updated; a new webhook secret is shown once", schema: res.updatedTenantSettingsSchema },
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
          schema: res.routingTestResultSchema,
        },
      },
      errors: [],
    },
  },
  "/api/v1/api-keys": {
    GET: {
      summary: "API keys (never their secrets)",
      auth: { apiKey: "keys:manage" },
      responses: { 200: { description: "Keys", schema: res.apiKeyListSchema } },
      errors: [],
    },
    POST: {
      summary: "Create an API key; its secret is in this answer only",
      description: "A key grants only scopes its creator holds (403 insufficient_scope otherwise).",
      auth: { apiKey: "keys:manage" },
      body: requiredBody(createApiKeySchema),
      responses: { 201: { description: "Created", schema: res.createdApiKeySchema } },
      errors: [],
    },
  },
  "/api/v1/api-keys/{id}": {
    GET: {
      summary: "An API key",
      auth: { apiKey: "keys:manage" },
      path: idPath,
      responses: { 200: { description: "The key", schema: res.apiKeySchema } },
      errors: [404],
    },
    DELETE: {
      summary: "Revoke an API key",
      description:
        "A key used in the last 7 days needs confirmName repeating its name (else 409 confirmation_required).",
      auth: { apiKey: "keys:manage" },
      path: idPath,
      body: optionalBody(revokeApiKeySchema),
      responses: { 200: { description: "Revoked", schema: res.apiKeySchema } },
      errors: [404, 409],
    },
  },
  "/api/v1/audit-events": {
    GET: {
      summary: "Configuration audit trail (newest first, keyset pagination)",
      description: "Refused callbacks are summarised per authorizer and minute.",
      auth: { apiKey: "config:read" },
      query: auditEventsQuerySchema,
      responses: { 200: { description: "A page", schema: res.auditEventPageSchema } },
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
      responses: { 200: { description: "The verdict", schema: res.auditVerifyReportSchema } },
      errors: [400],
    },
  },
};
