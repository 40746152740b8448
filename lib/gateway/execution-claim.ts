import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizationRequests, executions } from "@/db/schema";
import { forTenant, tenantIdOf } from "@/db/queries/tenant-scope";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { appendRequestEvents } from "./request-events";

/**
 * For services without the webhook: claim the right to execute an approved request. The insert
 * into `executions` (primary key = requestId) succeeds once; every later claim is a 409.
 */
export async function claimExecution(db: Database, ctx: TenantContext, requestId: string) {
  return db.transaction(async (tx) => {
    const [request] = await tx.select().from(authorizationRequests).where(forTenant(ctx, authorizationRequests.tenantId, eq(authorizationRequests.requestId, requestId)));
    if (!request) throw new AppError("unknown_request", "No such authorization request");
    if (request.status !== "approved") throw new AppError("not_approved", `The request is ${request.status}; only approved requests execute`);
    const [claimed] = await tx.insert(executions).values({ requestId, tenantId: tenantIdOf(ctx), channel: "api" }).onConflictDoNothing().returning();
    if (!claimed) throw new AppError("already_claimed", "This request's execution was already claimed");
    await appendRequestEvents(tx, ctx, requestId, [{ type: "execution_claimed", data: { channel: "api" } }]);
    return { requestId, claimed: true, failOpen: request.failOpen, principal: request.principal, action: request.action };
  });
}

/** Records the result of an execution claimed through the API; a second report is a 409. */
export async function reportExecution(db: Database, ctx: TenantContext, requestId: string, result: { status: "success" | "error"; error?: string }) {
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(executions)
      .set({ status: result.status === "success" ? "succeeded" : "failed", error: result.status === "error" ? (result.error ?? "unspecified error") : null, finishedAt: sql`now()` })
      .where(forTenant(ctx, executions.tenantId, and(eq(executions.requestId, requestId), eq(executions.status, "executing"), eq(executions.channel, "api"))))
      .returning();
    if (!updated) {
      const [existing] = await tx.select().from(executions).where(forTenant(ctx, executions.tenantId, eq(executions.requestId, requestId)));
      if (!existing) throw new AppError("not_approved", "Claim the execution before reporting its result");
      throw new AppError("conflict", existing.channel === "webhook" ? "This request executes through the service webhook" : "The result was already reported");
    }
    await appendRequestEvents(tx, ctx, requestId, [{ type: "execution_reported", data: { channel: "api", ...result } }]);
    return { requestId, status: updated.status, error: updated.error };
  });
}
