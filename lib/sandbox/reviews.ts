/**
 * Reviewer decisions from the inbox. A reviewer is a member of the tenant that owns the SP's
 * registration (viewers may look but not decide: the route requires `requests:write`). A request
 * needs `requiredApprovals` approvals from distinct reviewers; any single denial denies it.
 */
import { z } from "zod";
import { refineReadable } from "@/lib/stepauth";
import type { Database } from "@/db/client";
import type { SandboxRequest } from "@/db/schema";
import { recordAuditEvent } from "@/db/queries/audit";
import { getSandboxRequest, lockSandboxRequest } from "@/db/queries/sandbox-requests";
import { insertSandboxReview, listSandboxReviews } from "@/db/queries/sandbox-reviews";
import { findUserById } from "@/db/queries/users";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { decideSandboxRequest, reviewerPrincipal } from "./decisions";
import { runSandboxDeliveries } from "./deliveries";
import { ensureSandboxSigningKey } from "./keys";
import { principalChainIncludesEmail } from "./separation-of-duties";

/**
 * The body of `POST /api/console/sandbox/requests/{id}/reviews`.
 *
 * @example
 * ```ts
 * reviewInputSchema.parse({ verdict: "approve", reason: "Offboarding ticket HR-2231 verified" });
 * ```
 */
export const reviewInputSchema = z.strictObject({
  verdict: z.enum(["approve", "deny"]),
  reason: z.string().trim().min(1, "Give a reason").max(2000).superRefine(refineReadable("reason")),
});
export type ReviewInput = z.infer<typeof reviewInputSchema>;

const notPending: Record<Exclude<SandboxRequest["status"], "pending">, AppError> = {
  approved: new AppError("already_decided", "This request was already approved"),
  denied: new AppError("already_decided", "This request was already denied"),
  expired: new AppError("request_expired", "This request expired before it was decided"),
  cancelled: new AppError("request_cancelled", "The service cancelled this request"),
};

/** What a review did: the request as it now stands, and whether this review decided it. */
export interface ReviewOutcome {
  request: SandboxRequest;
  decided: boolean;
  approvals: number;
}

/**
 * Records the signed-in reviewer's verdict and decides the request when it is a denial or the
 * quorum is reached; then delivers the decision to the SP at once. Throws `not_found` (also for
 * another tenant's request), `already_decided`, `request_expired`, `request_cancelled`,
 * `conflict` when this reviewer already reviewed it, or `separation_of_duties` when the reviewer
 * approves a request whose principal chain names their e-mail (they may still deny it).
 *
 * @example
 * ```ts
 * await reviewSandboxRequest(db, ctx, id, { verdict: "approve", reason: "Verified with HR" });
 * ```
 */
export async function reviewSandboxRequest(
  db: Database,
  ctx: TenantContext,
  id: string,
  input: ReviewInput,
  now = new Date(),
): Promise<ReviewOutcome> {
  if (ctx.actor.type !== "user") throw new AppError("forbidden", "Only people review requests");
  const user = await findUserById(db, ctx.actor.userId);
  if (!user) throw new AppError("unauthenticated", "Sign in first");
  const key = await ensureSandboxSigningKey(db);
  const outcome = await db.transaction(async (tx) => {
    const row = await lockSandboxRequest(tx, ctx, id);
    if (!row) throw new AppError("not_found", "No such request in your sandbox inbox");
    if (row.status !== "pending") throw notPending[row.status];
    if (row.expiresAt.getTime() <= now.getTime()) throw notPending.expired;
    if (input.verdict === "approve" && principalChainIncludesEmail(row.principal, user.email)) {
      throw new AppError(
        "separation_of_duties",
        "You are in this request's principal chain, so another reviewer must approve it; you may still deny it",
      );
    }
    const reviews = await listSandboxReviews(tx, ctx, row.id);
    if (reviews.some((r) => r.userId === user.id))
      throw new AppError("conflict", "You already reviewed this request; another reviewer must approve it");
    await insertSandboxReview(tx, ctx, {
      sandboxRequestId: row.id,
      userId: user.id,
      reviewerName: user.name,
      reviewerEmail: user.email,
      verdict: input.verdict,
      reason: input.reason,
    });
    const approvers = [
      ...reviews.filter((r) => r.verdict === "approve"),
      ...(input.verdict === "approve" ? [{ reviewerName: user.name, reviewerEmail: user.email }] : []),
    ];
    let decided: SandboxRequest | null = null;
    if (input.verdict === "deny") {
      decided = await decideSandboxRequest(
        tx,
        key,
        row,
        "denied",
        { reason: input.reason, reviewers: [reviewerPrincipal(user.name, user.email)] },
        now,
      );
    } else if (approvers.length >= row.requiredApprovals) {
      const reasons = [...reviews.filter((r) => r.verdict === "approve").map((r) => r.reason), input.reason];
      decided = await decideSandboxRequest(
        tx,
        key,
        row,
        "approved",
        {
          reason: reasons.join(" · "),
          reviewers: approvers.map((a) => reviewerPrincipal(a.reviewerName, a.reviewerEmail)),
        },
        now,
      );
    }
    await recordAuditEvent(tx, ctx, {
      action: "sandbox.request_reviewed",
      target: row.requestId,
      data: {
        verdict: input.verdict,
        decided: decided?.status ?? null,
        approvals: approvers.length,
        required: row.requiredApprovals,
      },
    });
    return { request: decided ?? row, decided: decided !== null, approvals: approvers.length };
  });
  if (outcome.decided) {
    await runSandboxDeliveries(db, { sandboxRequestId: outcome.request.id });
    const fresh = await getSandboxRequest(db, ctx, outcome.request.id);
    if (fresh) outcome.request = fresh;
  }
  return outcome;
}
