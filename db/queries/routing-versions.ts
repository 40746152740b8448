/**
 * Saved versions of a tenant's routing script. Every save already writes a `settings.updated`
 * audit event carrying the script (in the transaction that saves it), so the history is read from
 * the audit trail: no second copy to keep in step, and nothing a version list could disagree with.
 */
import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiKeys, auditEvents, users } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { forTenant } from "./tenant-scope";

/** One saved routing script: what, when, and who (a person by name and e-mail, or an API key by name). */
export interface RoutingScriptVersion {
  id: string;
  script: string | null;
  savedAt: Date;
  savedBy:
    | { kind: "user"; name: string; email: string }
    | { kind: "api_key"; name: string }
    | { kind: "unknown"; label: string };
  restoredFrom: string | null;
}

const routingScriptSaved = (ctx: TenantContext) =>
  forTenant(
    ctx,
    auditEvents.tenantId,
    eq(auditEvents.action, "settings.updated"),
    isNotNull(sql`${auditEvents.data} -> 'routingScript'`),
  );

async function whoSaved(
  db: Database,
  ctx: TenantContext,
  actors: string[],
): Promise<Map<string, RoutingScriptVersion["savedBy"]>> {
  const ids = (prefix: string) =>
    actors
      .filter((a) => a.startsWith(prefix))
      .map((a) => a.slice(prefix.length))
      .filter((id) => /^[0-9a-f-]{36}$/.test(id));
  const userIds = ids("user:");
  const keyIds = ids("api_key:");
  const people =
    userIds.length > 0
      ? await db
          .select({ id: users.id, name: users.name, email: users.email })
          .from(users)
          .where(inArray(users.id, userIds))
      : [];
  const keys =
    keyIds.length > 0
      ? await db
          .select({ id: apiKeys.id, name: apiKeys.name })
          .from(apiKeys)
          .where(forTenant(ctx, apiKeys.tenantId, inArray(apiKeys.id, keyIds)))
      : [];
  const who = new Map<string, RoutingScriptVersion["savedBy"]>();
  for (const p of people) who.set(`user:${p.id}`, { kind: "user", name: p.name, email: p.email });
  for (const k of keys) who.set(`api_key:${k.id}`, { kind: "api_key", name: k.name });
  return who;
}

/** The tenant's routing script versions, newest first (at most `limit`). */
export async function listRoutingScriptVersions(
  db: Database,
  ctx: TenantContext,
  limit = 50,
): Promise<RoutingScriptVersion[]> {
  const rows = await db
    .select({ id: auditEvents.id, actor: auditEvents.actor, data: auditEvents.data, createdAt: auditEvents.createdAt })
    .from(auditEvents)
    .where(routingScriptSaved(ctx))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit);
  const who = await whoSaved(db, ctx, [...new Set(rows.map((r) => r.actor))]);
  return rows.map((r) => ({
    id: r.id,
    script: typeof r.data?.routingScript === "string" ? r.data.routingScript : null,
    savedAt: r.createdAt,
    savedBy: who.get(r.actor) ?? { kind: "unknown", label: r.actor },
    restoredFrom: typeof r.data?.restoredFrom === "string" ? r.data.restoredFrom : null,
  }));
}

/** One version of this tenant's script, or null (also for another tenant's id). */
export async function getRoutingScriptVersion(
  db: Database,
  ctx: TenantContext,
  id: string,
): Promise<{ id: string; script: string | null } | null> {
  const [row] = await db
    .select({ id: auditEvents.id, data: auditEvents.data })
    .from(auditEvents)
    .where(and(routingScriptSaved(ctx), eq(auditEvents.id, id)));
  if (!row) return null;
  return { id: row.id, script: typeof row.data?.routingScript === "string" ? row.data.routingScript : null };
}
