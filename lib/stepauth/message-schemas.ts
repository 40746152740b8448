/**
 * zod schemas for every other protocol message: decision, cancel/poll payloads, the authorizer's
 * submit/poll/cancel responses, callback results and error bodies.
 */
import { z } from "zod";
import { requestIdSchema, reviewerSchema, spIdSchema, utcTimestampSchema } from "./schemas";

/**
 * A signed envelope nested in a JSON response (shape only; verification is separate).
 *
 * @example
 * ```ts
 * signedEnvelopeSchema.parse(body.decision);
 * ```
 */
export const signedEnvelopeSchema = z.object({
  payload: z.string().min(1),
  signatures: z
    .array(z.object({ algorithm: z.string(), keyId: z.string(), signature: z.string() }))
    .min(1)
    .max(16),
});

/** Decision outcomes. */
export const DECISION_OUTCOMES = ["approved", "denied", "expired"] as const;

/**
 * The decision payload (authorizer → SP), parsed from verified envelope bytes.
 *
 * @example
 * ```ts
 * const decision = decisionSchema.parse(verifyEnvelope(body, keys).payload);
 * ```
 */
export const decisionSchema = z.object({
  requestId: requestIdSchema,
  spId: spIdSchema,
  decision: z.enum(DECISION_OUTCOMES),
  timestamp: utcTimestampSchema,
  reason: z.string().max(4000).optional(),
  reviewers: z.array(reviewerSchema).max(100).optional(),
});

/** A validated decision payload. */
export type Decision = z.infer<typeof decisionSchema>;

/**
 * Body of a cancel or poll call: `{requestId, spId, timestamp}`, signed by the SP.
 *
 * @example
 * ```ts
 * requestReferenceSchema.parse({ requestId, spId: "sp_acme_mdm", timestamp: "2026-02-18T14:35:00Z" });
 * ```
 */
export const requestReferenceSchema = z.object({
  requestId: requestIdSchema,
  spId: spIdSchema,
  timestamp: utcTimestampSchema,
});
/** Cancel payload schema (same shape as poll). */
export const cancelPayloadSchema = requestReferenceSchema;
/** Poll payload schema (same shape as cancel). */
export const pollPayloadSchema = requestReferenceSchema;
/** A validated cancel or poll payload. */
export type RequestReference = z.infer<typeof requestReferenceSchema>;

/**
 * `{"requestId", "status": "pending"}` — submit 202 and poll 202.
 *
 * @example
 * ```ts
 * pendingResponseSchema.parse({ requestId, status: "pending" });
 * ```
 */
export const pendingResponseSchema = z.object({ requestId: requestIdSchema, status: z.literal("pending") });

/**
 * Submit response: pending (202), or decided at once (200) with the decision envelope.
 *
 * @example
 * ```ts
 * const body = submitResponseSchema.parse(json);
 * if (body.status === "decided") verifyEnvelope(body.decision, keys);
 * ```
 */
export const submitResponseSchema = z.discriminatedUnion("status", [
  pendingResponseSchema,
  z.object({ requestId: requestIdSchema, status: z.literal("decided"), decision: signedEnvelopeSchema }),
]);

/**
 * Poll response: a decision envelope (200) or pending (202).
 *
 * @example
 * ```ts
 * const body = pollResponseSchema.parse(json);
 * ```
 */
export const pollResponseSchema = z.union([signedEnvelopeSchema, pendingResponseSchema]);

/**
 * Cancel response 200: `{"requestId", "status": "cancelled"}`.
 *
 * @example
 * ```ts
 * cancelledResponseSchema.parse({ requestId, status: "cancelled" });
 * ```
 */
export const cancelledResponseSchema = z.object({ requestId: requestIdSchema, status: z.literal("cancelled") });

/**
 * Cancel response 409: already decided, with the decision envelope.
 *
 * @example
 * ```ts
 * alreadyDecidedResponseSchema.parse({ error: "already_decided", decision: envelope });
 * ```
 */
export const alreadyDecidedResponseSchema = z.object({ decision: signedEnvelopeSchema });

/**
 * The error body: `{"error": "<code>", "message": "<text>"}`.
 *
 * @example
 * ```ts
 * errorBodySchema.parse({ error: "rate_limited", message: "slow down" });
 * ```
 */
export const errorBodySchema = z.object({ error: z.string().min(1).max(100), message: z.string().max(4000) });

/**
 * The SP's answer to a callback: the execution result.
 *
 * @example
 * ```ts
 * callbackResultSchema.parse({ requestId, status: "error", error: "Device is no longer enrolled." });
 * ```
 */
export const callbackResultSchema = z.discriminatedUnion("status", [
  z.object({ requestId: requestIdSchema, status: z.literal("success") }),
  z.object({ requestId: requestIdSchema, status: z.literal("error"), error: z.string().max(4000) }),
  // The decision is recorded but the result is not known yet: it follows as a result report.
  z.object({ requestId: requestIdSchema, status: z.literal("accepted") }),
]);

/** A validated callback result. */
export type CallbackResult = z.infer<typeof callbackResultSchema>;

/**
 * Body of a result report (SP → authorizer, `POST /v1/authorization-requests/result`), signed by
 * the SP: the execution result of an approved request, sent whatever channel the decision came by.
 *
 * @example
 * ```ts
 * resultReportPayloadSchema.parse({ requestId, spId, status: "error", error: "window closed", timestamp });
 * ```
 */
export const resultReportPayloadSchema = z.discriminatedUnion("status", [
  z.object({
    requestId: requestIdSchema,
    spId: spIdSchema,
    status: z.literal("success"),
    executedAt: utcTimestampSchema.optional(),
    timestamp: utcTimestampSchema,
  }),
  z.object({
    requestId: requestIdSchema,
    spId: spIdSchema,
    status: z.literal("error"),
    error: z.string().max(4000).optional(),
    executedAt: utcTimestampSchema.optional(),
    timestamp: utcTimestampSchema,
  }),
]);
/** A validated result report payload. */
export type ResultReportPayload = z.infer<typeof resultReportPayloadSchema>;

/** Result report 200: `{"requestId", "status": "recorded"}`. */
export const resultRecordedResponseSchema = z.object({ requestId: requestIdSchema, status: z.literal("recorded") });
