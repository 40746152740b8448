/**
 * `POST …/poll` and `POST …/cancel`: both carry a signed `{requestId, spId, timestamp}` and both
 * only ever see requests of the SP that signed them.
 */
import type { Database } from "@/db/client";
import type { SandboxRequest } from "@/db/schema";
import {
  cancelPendingSandboxRequest,
  findSandboxRequestForSp,
  rereadSandboxRequest,
} from "@/db/queries/system/sandbox-requests";
import { AppError } from "@/lib/errors/app-error";
import { requestReferenceSchema, type RequestReference, type SignedEnvelope } from "@/lib/stepauth";
import { expireIfOverdue } from "./expiry";
import type { AuthenticatedSpCall } from "./inbound";

/** An answer of poll or cancel: a status and a JSON body. */
export interface SandboxAnswer {
  httpStatus: 200 | 202 | 409;
  body: unknown;
}

async function referencedRequest(db: Database, call: AuthenticatedSpCall, now: Date): Promise<SandboxRequest> {
  const parsed = requestReferenceSchema.safeParse(call.payload);
  if (!parsed.success) throw new AppError("malformed_request", "expected {requestId, spId, timestamp}");
  const reference: RequestReference = parsed.data;
  const row = await findSandboxRequestForSp(db, call.registration.spId, reference.requestId);
  if (!row) throw new AppError("unknown_request", `No request ${reference.requestId} from ${call.registration.spId}`);
  return expireIfOverdue(db, row, now);
}

/**
 * Poll: `200` with the signed decision, `202 pending`, `200 {status: "cancelled"}` for a request
 * the SP cancelled, or `404 unknown_request`.
 *
 * @example
 * ```ts
 * const answer = await pollSandboxRequest(db, call);
 * ```
 */
export async function pollSandboxRequest(
  db: Database,
  call: AuthenticatedSpCall,
  now = new Date(),
): Promise<SandboxAnswer> {
  const row = await referencedRequest(db, call, now);
  if (row.status === "pending") return { httpStatus: 202, body: { requestId: row.requestId, status: "pending" } };
  if (row.status === "cancelled") return { httpStatus: 200, body: { requestId: row.requestId, status: "cancelled" } };
  return { httpStatus: 200, body: row.decisionEnvelope as SignedEnvelope };
}

/**
 * Cancel: `200 cancelled` (also when repeated), or `409 already_decided` with the decision that
 * won first. A cancelled request leaves every reviewer's inbox.
 *
 * @example
 * ```ts
 * const answer = await cancelSandboxRequest(db, call);
 * ```
 */
export async function cancelSandboxRequest(
  db: Database,
  call: AuthenticatedSpCall,
  now = new Date(),
): Promise<SandboxAnswer> {
  let row = await referencedRequest(db, call, now);
  if (row.status === "pending") {
    const cancelled = await cancelPendingSandboxRequest(db, row, now, "Cancelled by the SP");
    // Lost a race with a reviewer: answer with what won.
    row = cancelled ?? (await rereadSandboxRequest(db, row)) ?? row;
  }
  if (row.status === "cancelled") return { httpStatus: 200, body: { requestId: row.requestId, status: "cancelled" } };
  return {
    httpStatus: 409,
    body: {
      error: "already_decided",
      message: `${row.requestId} was already ${row.status}`,
      decision: row.decisionEnvelope,
    },
  };
}
