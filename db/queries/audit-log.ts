import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiKeys, auditEvents, memberships, users } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { encodeAuditCursor, type AuditCursor } from "./audit";
import { forTenant } from "./tenant-scope";

// The configuration audit screen's read side: the same rows and keyset paging as
// GET /api/v1/audit-events, filtered, with each actor resolved to a name and e-mail. It only reads;
// how audit events are written (db/queries/audit.ts) is not its business.

const action = auditEvents.action;
const hasKey = (key: string) => sql`(${auditEvents.data} -> ${key}) is not null`;

/** What the screen filters by: each kind is a condition on the action (and, for a few, on the data). */
export const auditKinds = {
  authorizer: { label: "Authorizers", where: sql`${action} like 'authorizer.%'` },
  routing: { label: "Routing script", where: and(eq(action, "settings.updated"), hasKey("routingScript"))! },
  settings: { label: "Settings", where: sql`${action} like 'settings.%'` },
  webhook: {
    label: "Webhook",
    where: sql`(${action} = 'settings.webhook_test_sent' or (${action} = 'settings.updated' and (${hasKey("webhookUrl")} or ${hasKey("webhookSecretIssued")})))`,
  },
  signing_key: { label: "Signing keys", where: sql`${action} like 'signing_key.%'` },
  api_key: { label: "API keys", where: sql`${action} like 'api_key.%'` },
  member: {
    label: "Members",
    where: sql`(${action} like 'member.%' or ${action} like 'invitation.%' or ${action} like 'user.%' or ${action} like 'tenant.%')`,
  },
  sandbox: { label: "Sandbox authorizer", where: sql`${action} like 'sandbox.%'` },
  refused: {
    label: "Refused callbacks and decisions",
    where: sql`${action} in ('callback.refused', 'decision.refused')`,
  },
} as const satisfies Record<string, { label: string; where: SQL }>;
export type AuditKind = keyof typeof auditKinds;
export const auditKindNames = Object.keys(auditKinds) as [AuditKind, ...AuditKind[]];

export interface AuditLogFilters {
  kind?: AuditKind;
  /** Part of the actor's name, e-mail, API key name, or its label (`user:<id>`). */
  actor?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: AuditCursor;
}

const actorUserId = sql`(case when ${auditEvents.actor} like 'user:%' then substring(${auditEvents.actor} from 6) end)::uuid`;
const actorApiKeyId = sql`(case when ${auditEvents.actor} like 'api_key:%' then substring(${auditEvents.actor} from 9) end)::uuid`;

/** One audit event as the screen shows it: who (resolved, and whether still a member), what, when. */
export interface AuditLogEntry {
  id: string;
  action: string;
  target: string | null;
  data: Record<string, unknown> | null;
  createdAt: Date;
  actor: {
    label: string;
    type: "user" | "api_key" | "system";
    name: string | null;
    email: string | null;
    stillMember: boolean;
  };
}

/** Newest first, keyset-paginated like listAuditEvents; `nextCursor` continues with the same filters. */
export async function listAuditLog(
  db: Database,
  ctx: TenantContext,
  filters: AuditLogFilters = {},
): Promise<{ data: AuditLogEntry[]; nextCursor: string | null }> {
  const limit = filters.limit ?? 50;
  const needle = filters.actor?.trim().toLowerCase();
  const conditions: (SQL | undefined)[] = [
    filters.kind ? auditKinds[filters.kind].where : undefined,
    filters.from ? sql`${auditEvents.createdAt} >= ${filters.from.toISOString()}::timestamptz` : undefined,
    filters.to ? sql`${auditEvents.createdAt} < ${filters.to.toISOString()}::timestamptz` : undefined,
    needle
      ? sql`position(${needle} in lower(concat_ws(' ', ${users.name}, ${users.email}, ${apiKeys.name}, ${auditEvents.actor}))) > 0`
      : undefined,
    filters.cursor
      ? sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${filters.cursor.at}::timestamptz, ${filters.cursor.id}::uuid)`
      : undefined,
  ];
  const rows = await db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      target: auditEvents.target,
      data: auditEvents.data,
      createdAt: auditEvents.createdAt,
      actor: auditEvents.actor,
      userName: users.name,
      userEmail: users.email,
      apiKeyName: apiKeys.name,
      memberSince: memberships.createdAt,
      cursorAt: sql<string>`to_char(${auditEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(auditEvents)
    .leftJoin(users, sql`${users.id} = ${actorUserId}`)
    .leftJoin(apiKeys, and(sql`${apiKeys.id} = ${actorApiKeyId}`, eq(apiKeys.tenantId, auditEvents.tenantId)))
    .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, auditEvents.tenantId)))
    .where(forTenant(ctx, auditEvents.tenantId, ...conditions))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => ({
      id: row.id,
      action: row.action,
      target: row.target,
      data: row.data,
      createdAt: row.createdAt,
      actor: {
        label: row.actor,
        type: row.actor.startsWith("user:") ? "user" : row.actor.startsWith("api_key:") ? "api_key" : "system",
        name: row.userName ?? row.apiKeyName ?? null,
        email: row.userEmail ?? null,
        stillMember: row.memberSince !== null,
      },
    })),
    nextCursor: rows.length > limit && last ? encodeAuditCursor({ at: last.cursorAt, id: last.id }) : null,
  };
}
