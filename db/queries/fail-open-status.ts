import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiKeys, tenantSettings, users } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { forTenant } from "./tenant-scope";

/** Who switched the tenant to fail open, as a person reads it: a member's name and e-mail, or an API key's name. */
export type FailOpenSetter =
  { kind: "user"; name: string; email: string } | { kind: "api_key"; name: string } | { kind: "unknown" };

export interface FailOpenStatus {
  failOpen: boolean;
  setAt: Date | null;
  setBy: FailOpenSetter | null;
}

/** Whether the tenant fails open, since when and by whom (the console's banner on every page). */
export async function getFailOpenStatus(db: Database, ctx: TenantContext): Promise<FailOpenStatus> {
  const s = tenantSettings;
  const [row] = await db
    .select({
      policy: s.unavailabilityPolicy,
      setAt: s.failOpenSetAt,
      userName: users.name,
      userEmail: users.email,
      keyName: apiKeys.name,
      byKey: s.failOpenSetByApiKey,
    })
    .from(s)
    .leftJoin(users, eq(users.id, s.failOpenSetBy))
    .leftJoin(apiKeys, and(eq(apiKeys.id, s.failOpenSetByApiKey), eq(apiKeys.tenantId, s.tenantId)))
    .where(forTenant(ctx, s.tenantId));
  if (!row || row.policy !== "fail_open") return { failOpen: false, setAt: null, setBy: null };
  const setBy: FailOpenSetter = row.userEmail
    ? { kind: "user", name: row.userName ?? row.userEmail, email: row.userEmail }
    : row.keyName
      ? { kind: "api_key", name: row.keyName }
      : { kind: "unknown" };
  return { failOpen: true, setAt: row.setAt, setBy };
}
