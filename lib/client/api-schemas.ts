/**
 * The SP-facing API's request bodies, shared by the gateway (which validates them) and the client
 * (which is typed by them), so the two cannot drift apart. Framework-free: zod and the protocol core.
 */
import { z } from "zod";
import { refineReadable } from "../stepauth/readable-text";
import type { Action, Principal } from "../stepauth/schemas";

/**
 * `POST /api/v1/authorization-requests`. Principal and action are validated by the protocol core
 * (`principalSchema`, `actionSchema`), which also caps the operator chain and names the error.
 */
export const submitRequestSchema = z
  .object({
    principal: z.unknown(),
    action: z.unknown(),
    expiresIn: z
      .number()
      .int()
      .min(30)
      .max(7 * 24 * 3600)
      .optional(),
    externalId: z.string().min(1).max(200).superRefine(refineReadable("externalId")).optional(),
  })
  .strict();

/** The `Idempotency-Key` header: same key and body → the same answer, nothing sent twice. */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "printable ASCII");

/** What a service submits: the wire body with principal and action typed by the protocol core's schemas. */
export type SubmitRequest = Omit<z.input<typeof submitRequestSchema>, "principal" | "action"> & {
  principal: Principal;
  action: Action;
};

/** The result a service reports for an execution it claimed. */
export const executionResultSchema = z
  .object({ status: z.enum(["success", "error"]), error: z.string().min(1).max(2000).optional() })
  .strict();
export type ExecutionResult = z.infer<typeof executionResultSchema>;

/** A claim of an approved execution; `payloadSha256`, when sent, must be the approved payload's hash. */
export const executionClaimSchema = z
  .object({
    payloadSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "payloadSha256 must be 64 lowercase hex digits")
      .optional(),
  })
  .strict();

/** `POST /api/v1/authorization-requests/{requestId}/execution`: a claim, or the result of a claimed execution. */
export const executionRequestSchema = z.union([executionClaimSchema, executionResultSchema]);
