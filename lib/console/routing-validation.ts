import type { Database } from "@/db/client";
import { listAuthorizers } from "@/db/queries/authorizers";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { validateRoutingScript, type RoutingScriptIssue } from "@/lib/stepauth";

/**
 * The editor's check as you type: the same validator and authorizer names that saving uses
 * (updateTenantSettings refuses exactly these issues), each positioned at a line and column.
 */
export async function checkRoutingScript(
  db: Database,
  ctx: TenantContext,
  script: string,
): Promise<{ valid: boolean; issues: RoutingScriptIssue[]; resultType?: string }> {
  const names = (await listAuthorizers(db, ctx)).map((a) => a.name);
  try {
    const result = validateRoutingScript(script, names.length > 0 ? { authorizers: names } : {});
    return result.ok
      ? { valid: true, issues: [], resultType: result.resultType }
      : { valid: false, issues: result.issues };
  } catch {
    return {
      valid: false,
      issues: [{ code: "limit_exceeded", message: "script could not be analysed", line: 1, column: 1, offset: 0 }],
    };
  }
}
