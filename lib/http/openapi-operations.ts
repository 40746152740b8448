import { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import { executionRequestSchema, idempotencyKeySchema, submitRequestSchema } from "@/lib/client/api-schemas";
import { actionSchema, principalSchema } from "@/lib/stepauth";
import * as res from "./schemas/responses";
import { requestListQuerySchema, requestWaitQuerySchema } from "./schemas/requests";
import type { HttpMethod } from "./api-route";
import { managementOperations } from "./openapi-management-operations";
import { requestIdSegmentSchema, uuidSegmentSchema } from "./schemas/paths";

// Every /api/v1 operation (and the authorizer callback) as data: the OpenAPI document is generated
// from this table and the zod schemas it names, the same ones the routes validate with. The request
// lifecycle is here; configuration (authorizers, keys, settings, audit) in openapi-management-operations.ts.

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

const requestIdPath = z.object({ requestId: requestIdSegmentSchema });
const uuidPath = (name: string) => z.object({ [name]: uuidSegmentSchema });

/** What the documented submit body is: the wire body with principal and action as the protocol core checks them. */
export const documentedSubmitSchema = submitRequestSchema.extend({ principal: principalSchema, action: actionSchema });

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
  ...managementOperations,
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
