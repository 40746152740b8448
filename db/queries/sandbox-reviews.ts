import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { sandboxReviews, type SandboxReview } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { forTenant, tenantIdOf } from "./tenant-scope";

/** The reviews of one of the tenant's sandbox requests so far. */
export async function listSandboxReviews(
  db: Database,
  ctx: TenantContext,
  sandboxRequestId: string,
): Promise<SandboxReview[]> {
  return db
    .select()
    .from(sandboxReviews)
    .where(forTenant(ctx, sandboxReviews.tenantId, eq(sandboxReviews.sandboxRequestId, sandboxRequestId)));
}

/** Records one reviewer's verdict on one of the tenant's requests (a reviewer counts once: unique index). */
export async function insertSandboxReview(
  db: Database,
  ctx: TenantContext,
  review: Pick<SandboxReview, "sandboxRequestId" | "userId" | "reviewerName" | "reviewerEmail" | "verdict" | "reason">,
): Promise<void> {
  await db.insert(sandboxReviews).values({ ...review, tenantId: tenantIdOf(ctx) });
}
