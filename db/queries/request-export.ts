import { and, desc, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizationRequests, authorizers, executions } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { authorizerIdByName, requestFilterConditions, type RequestListFilters } from "./authorization-requests";
import { forTenant, tenantIdOf } from "./tenant-scope";

export type ExportFilters = Omit<RequestListFilters, "limit" | "cursor">;
export type ExportCursor = { createdAt: Date; requestId: string };

/**
 * One batch of the export: every column an auditor asks for (decision, deciding authorizer,
 * reviewers, keyId, fail-open, execution, routing), newest first after `cursor`. Keyset reads keep
 * each batch an index range scan however deep the export goes.
 */
export async function readExportBatch(
  db: Database,
  ctx: TenantContext,
  filters: ExportFilters,
  cursor: ExportCursor | null,
  limit: number,
) {
  const authorizerId = filters.authorizer ? await authorizerIdByName(db, ctx, filters.authorizer) : undefined;
  if (authorizerId === null) return [];
  const r = authorizationRequests;
  const tenantId = tenantIdOf(ctx);
  // Every read of a tenant table carries the tenant condition, the subquery and the join included.
  const decidedBy = sql<
    string | null
  >`(select ${authorizers.name} from ${authorizers} where ${authorizers.tenantId} = ${tenantId} and ${authorizers.id} = ${r.decisionAuthorizerId})`;
  return db
    .select({
      requestId: r.requestId,
      externalId: r.externalId,
      createdAt: r.createdAt,
      status: r.status,
      statusReason: r.statusReason,
      decidedAt: r.decidedAt,
      decisionSource: r.decisionSource,
      decidingAuthorizer: decidedBy,
      decisionKeyId: r.decisionKeyId,
      decisionReason: r.decisionReason,
      reviewers: r.decisionReviewers,
      failOpen: r.failOpen,
      executionStatus: executions.status,
      executionChannel: executions.channel,
      executionError: executions.error,
      executedAt: executions.finishedAt,
      routingTargets: r.routingTargets,
      routingFallbackReason: r.routingFallbackReason,
      routingError: r.routingError,
      principalType: r.principalType,
      actionType: r.actionType,
      actionCategory: r.actionCategory,
      summary: r.summary,
      expiresAt: r.expiresAt,
    })
    .from(r)
    .leftJoin(executions, and(eq(executions.tenantId, tenantId), eq(executions.requestId, r.requestId)))
    .where(
      forTenant(
        ctx,
        r.tenantId,
        ...requestFilterConditions(filters, authorizerId),
        // A row comparison, not an OR: it is one range of the (tenant_id, created_at, request_id) index,
        // so batch 2,000 costs what batch 1 does (the OR form re-read every earlier row each batch).
        cursor
          ? sql`(${r.createdAt}, ${r.requestId}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.requestId})`
          : undefined,
      ),
    )
    .orderBy(desc(r.createdAt), desc(r.requestId))
    .limit(limit);
}

export type ExportRow = Awaited<ReturnType<typeof readExportBatch>>[number];
