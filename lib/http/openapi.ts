import { z } from "zod";
import { scopePermissions, type Permission } from "@/lib/auth/permissions";
import { executionRequestSchema } from "@/lib/client/api-schemas";
import { webhookEventSchema } from "@/lib/client/webhook";
import { actionSchema, entryListSchema, principalSchema } from "@/lib/stepauth";
import * as res from "./schemas/responses";
import { createApiKeySchema, revokeApiKeySchema } from "./schemas/api-keys";
import { createAuthorizerSchema, deleteAuthorizerSchema, updateAuthorizerSchema } from "./schemas/authorizers";
import { tenantSettingsPatchSchema } from "./schemas/settings";
import { createSigningKeySchema, retireSigningKeySchema } from "./schemas/signing-keys";
import {
  apiOperations,
  documentedSubmitSchema,
  openApiDocumentSchema,
  signedEnvelopeBodySchema,
  type DocumentedOperation,
} from "./openapi-operations";
import { documentedRoutingTestSchema } from "./openapi-management-operations";

// The public API as OpenAPI 3.1, generated from the operation table and its zod schemas with zod's
// JSON Schema output (draft 2020-12, which OpenAPI 3.1 takes as is). Request bodies are described as
// the routes accept them (io "input": defaults optional, before transforms), responses as they leave.

type JsonSchema = Record<string, unknown>;

/** The webhook body as the client parses it, with principal and action as the protocol core describes them. */
const documentedWebhookSchema = webhookEventSchema.extend({
  data: webhookEventSchema.shape.data.extend({ principal: principalSchema, action: actionSchema }),
});

// Shared by requests and responses: the protocol core's principal, action and entries.
const protocolComponents: [string, z.ZodType][] = [
  ["Principal", principalSchema],
  ["Action", actionSchema],
  ["EntryList", entryListSchema],
];

const requestComponents: [string, z.ZodType][] = [
  ...protocolComponents,
  ["SubmitRequest", documentedSubmitSchema],
  ["ExecutionRequest", executionRequestSchema],
  ["CreateAuthorizer", createAuthorizerSchema],
  ["UpdateAuthorizer", updateAuthorizerSchema],
  ["DeleteAuthorizer", deleteAuthorizerSchema],
  ["CreateSigningKey", createSigningKeySchema],
  ["RetireSigningKey", retireSigningKeySchema],
  ["SettingsPatch", tenantSettingsPatchSchema],
  ["RoutingTest", documentedRoutingTestSchema],
  ["CreateApiKey", createApiKeySchema],
  ["RevokeApiKey", revokeApiKeySchema],
  ["SignedEnvelope", signedEnvelopeBodySchema],
  ["WebhookEvent", documentedWebhookSchema],
];

const responseComponents: [string, z.ZodType][] = [
  ...protocolComponents,
  ["Instant", res.instantSchema],
  ["Error", res.errorBodySchema],
  ["RequestSummary", res.requestSummarySchema],
  ["RequestPage", res.requestPageSchema],
  ["RequestView", res.requestViewSchema],
  ["CancelConflict", res.cancelConflictSchema],
  ["ExecutionClaim", res.executionClaimAnswerSchema],
  ["ExecutionReport", res.executionReportAnswerSchema],
  ["ExecutionAnswer", res.executionAnswerSchema],
  ["CallbackAnswer", res.callbackAnswerSchema],
  ["Authorizer", res.authorizerSchema],
  ["AuthorizerList", res.authorizerListSchema],
  ["SigningKey", res.signingKeySchema],
  ["SigningKeyList", res.signingKeyListSchema],
  ["ApiKey", res.apiKeySchema],
  ["ApiKeyList", res.apiKeyListSchema],
  ["CreatedApiKey", res.createdApiKeySchema],
  ["Settings", res.tenantSettingsSchema],
  ["UpdatedSettings", res.updatedTenantSettingsSchema],
  ["RoutingTestResult", res.routingTestResultSchema],
  ["AuditEventPage", res.auditEventPageSchema],
  ["AuditVerifyReport", res.auditVerifyReportSchema],
  ["OpenApiDocument", openApiDocumentSchema],
];

const refTo = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** One io's components: each schema once, every use of a named one a $ref to it. */
function componentSchemas(named: [string, z.ZodType][], io: "input" | "output"): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => refTo(id).$ref, unrepresentable: "any" });
  // A recursive schema left unnamed lands in "__shared", which no OpenAPI reader resolves: name it above.
  if ("__shared" in schemas) throw new Error("openapi: a shared or recursive schema has no component name");
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema as JsonSchema]),
  );
}

/** A standalone schema (a parameter's): inlined, no $schema. */
function inlineSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _s, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return json;
}

function nameOf(named: [string, z.ZodType][], schema: z.ZodType, where: string): string {
  const found = named.find(([, s]) => s === schema);
  if (!found) throw new Error(`openapi: ${where} uses a schema with no component name`);
  return found[0];
}

function parameters(operation: DocumentedOperation) {
  const sources = [
    ["path", operation.path],
    ["query", operation.query],
    ["header", operation.headers],
  ] as const;
  return sources.flatMap(([where, object]) => {
    if (!object) return [];
    const json = inlineSchema(object) as { properties: Record<string, JsonSchema>; required?: string[] };
    return Object.entries(json.properties).map(([name, { description, ...schema }]) => ({
      name,
      in: where,
      required: where === "path" || (json.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema,
    }));
  });
}

/** API-key scopes are what a caller holds; the scope that grants a route's permission is what the document names. */
function scopeFor(permission: Permission): string {
  const scopes = Object.keys(scopePermissions) as (keyof typeof scopePermissions)[];
  return scopes.find((scope) => scopePermissions[scope].includes(permission)) ?? permission;
}

// Every API-key route can answer these, whatever it does; every route with a body the body's own.
const AUTH_ERRORS = [401, 403, 429];
const BODY_ERRORS = [400, 413, 415];

const json = (schema: JsonSchema) => ({ content: { "application/json": { schema } } });

function operationObject(operation: DocumentedOperation, where: string) {
  const errorStatuses = new Set([
    ...(typeof operation.auth === "object" ? AUTH_ERRORS : []),
    ...(operation.body ? BODY_ERRORS : []),
    ...operation.errors,
  ]);
  const responses: Record<string, unknown> = {};
  for (const [status, { description, schema }] of Object.entries(operation.responses))
    responses[status] = { description, ...(schema ? json(refTo(nameOf(responseComponents, schema, where))) : {}) };
  for (const status of [...errorStatuses].sort())
    responses[String(status)] ??= { $ref: "#/components/responses/Error" };
  const body = operation.body;
  return {
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    ...(typeof operation.auth === "object"
      ? { security: [{ apiKey: [] }], "x-required-scope": scopeFor(operation.auth.apiKey) }
      : { security: [] }),
    ...(operation.path || operation.query || operation.headers ? { parameters: parameters(operation) } : {}),
    ...(body
      ? { requestBody: { required: body.required, ...json(refTo(nameOf(requestComponents, body.schema, where))) } }
      : {}),
    responses,
  };
}

function mergeComponents(): Record<string, JsonSchema> {
  const output = componentSchemas(responseComponents, "output");
  const input = componentSchemas(requestComponents, "input");
  // The protocol schemas appear in both: described once, as accepted (a response holds what was accepted).
  const shared = new Set(protocolComponents.map(([id]) => id));
  const clash = Object.keys(input).find((id) => id in output && !shared.has(id));
  if (clash) throw new Error(`openapi: ${clash} names both a request and a response schema`);
  return { ...output, ...input };
}

function buildDocument() {
  const paths = Object.fromEntries(
    Object.entries(apiOperations).map(([path, methods]) => [
      path,
      Object.fromEntries(
        Object.entries(methods).map(([method, operation]) => [
          method.toLowerCase(),
          operationObject(operation, `${method} ${path}`),
        ]),
      ),
    ]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "StepAuth Gateway API",
      version: "1",
      description:
        "Put human or policy review in front of sensitive actions. Authenticate with `Authorization: Bearer <API key>`.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key (sag_…) created in the console" },
      },
      schemas: mergeComponents(),
      responses: { Error: { description: "An error: the code says which", ...json(refTo("Error")) } },
    },
    webhooks: {
      authorization: {
        post: {
          summary: "The service webhook: a request's final state; approvals carry data.execution",
          description:
            "Standard Webhooks delivery (webhook-id = requestId). Answer {status: success|error, error?} once the action ran, or {status: accepted} when you claimed it and report the result through the claim API.",
          requestBody: { required: true, ...json(refTo("WebhookEvent")) },
          responses: { "200": { description: "{status: success|error|accepted, error?}" } },
        },
      },
    },
    paths,
  };
}

/** The public API as OpenAPI 3.1, served at /api/v1/openapi.json; built once, at first import. */
export const openApiDocument = buildDocument();
