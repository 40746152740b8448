import type { Database } from "@/db/client";
import { listApiKeys } from "@/db/queries/api-keys";
import { listPendingRequests } from "@/db/queries/attention";
import { listAuditLog } from "@/db/queries/audit-log";
import { getRequestView, listRequests } from "@/db/queries/authorization-requests";
import { getFailOpenStatus } from "@/db/queries/fail-open-status";
import { listPendingInvitations } from "@/db/queries/invitations";
import { listMembers } from "@/db/queries/members";
import { getOverviewStats, listRecentDeliveries } from "@/db/queries/request-stats";
import { listRoutingScriptVersions } from "@/db/queries/routing-versions";
import { listSandboxRegistrations } from "@/db/queries/sandbox-registrations";
import { listSandboxInbox } from "@/db/queries/sandbox-requests";
import { listSigningKeys } from "@/db/queries/signing-keys";
import { getTenantSettings } from "@/db/queries/tenant-settings";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { DEFAULT_POLICY_RULES } from "@/lib/sandbox/policy";
import { REQUEST_ID_PATTERN } from "@/lib/stepauth";
import { parseAuditLogQuery } from "./audit-log";
import { listConsoleAuthorizers } from "./authorizer-views";
import { getNeedsAttention } from "./needs-attention";
import { parseRequestFilters, toListFilters } from "./request-filters";
import { checkRoutingScript } from "./routing-validation";

/** One page of the request list; `params` are the URL's filters (and `limit`), as the route receives them. */
function loadRequestPage(db: Database, ctx: TenantContext, params: Record<string, string>, cursor?: string | null) {
  return listRequests(db, ctx, toListFilters(parseRequestFilters({ ...params, ...(cursor ? { cursor } : {}) })));
}

/**
 * The one server function behind each console query: what its `/api/console/...` route answers,
 * what a page prefetches, and (through `ConsoleQueryData`) the type the client reads. The client
 * half — query key and fetcher — is `consoleQueries` in components/console/shell/queries.ts, under
 * the same name and with the same arguments (after `db` and `ctx`).
 */
export const consoleQueryLoaders = {
  stats: (db: Database, ctx: TenantContext) => getOverviewStats(db, ctx),
  attention: (db: Database, ctx: TenantContext) => getNeedsAttention(db, ctx),
  pendingRequests: (db: Database, ctx: TenantContext) => listPendingRequests(db, ctx),
  failOpen: (db: Database, ctx: TenantContext) => getFailOpenStatus(db, ctx),
  authorizers: async (db: Database, ctx: TenantContext) => ({ data: await listConsoleAuthorizers(db, ctx) }),
  signingKeys: async (db: Database, ctx: TenantContext) => ({ data: await listSigningKeys(db, ctx) }),
  settings: (db: Database, ctx: TenantContext) => getTenantSettings(db, ctx),
  deliveries: async (db: Database, ctx: TenantContext) => ({ data: await listRecentDeliveries(db, ctx) }),
  requests: loadRequestPage,
  recentRequests: (db: Database, ctx: TenantContext) => loadRequestPage(db, ctx, { limit: "5" }),
  request: async (db: Database, ctx: TenantContext, requestId: string) => {
    const view = REQUEST_ID_PATTERN.test(requestId) ? await getRequestView(db, ctx, requestId) : null;
    if (!view) throw new AppError("unknown_request", "No such authorization request");
    return view;
  },
  routingVersions: async (db: Database, ctx: TenantContext) => ({ data: await listRoutingScriptVersions(db, ctx) }),
  routingCheck: (db: Database, ctx: TenantContext, script: string) => checkRoutingScript(db, ctx, script),
  apiKeys: async (db: Database, ctx: TenantContext) => ({ data: await listApiKeys(db, ctx) }),
  members: async (db: Database, ctx: TenantContext) => ({ data: await listMembers(db, ctx) }),
  invitations: async (db: Database, ctx: TenantContext) => ({ data: await listPendingInvitations(db, ctx) }),
  /** One page of the configuration audit log; `params` are the URL's filters. */
  auditLog: (db: Database, ctx: TenantContext, params: Record<string, string>, cursor?: string | null) => {
    const { format: _format, ...filters } = parseAuditLogQuery({ ...params, ...(cursor ? { cursor } : {}) });
    return listAuditLog(db, ctx, filters);
  },
  sandboxInbox: async (db: Database, ctx: TenantContext, view: "pending" | "decided") => ({
    view,
    requests: await listSandboxInbox(db, ctx, view),
  }),
  sandboxPolicy: async (db: Database, ctx: TenantContext) => ({
    data: (await listSandboxRegistrations(db, ctx)).map((r) => ({ spId: r.spId, name: r.name, rules: r.policyRules })),
    defaults: DEFAULT_POLICY_RULES,
  }),
};

export type ConsoleQueryLoaders = typeof consoleQueryLoaders;
export type ConsoleQueryName = keyof ConsoleQueryLoaders;

/** A query's arguments after `db` and `ctx`. */
export type ConsoleQueryLoaderArgs<K extends ConsoleQueryName> =
  Parameters<ConsoleQueryLoaders[K]> extends [Database, TenantContext, ...infer Rest] ? Rest : never;

/** What a server value looks like after the JSON round trip of an API route (dates become strings). */
export type Json<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** The response body of a console query, as the client receives it. */
export type ConsoleQueryData<K extends ConsoleQueryName> = Json<Awaited<ReturnType<ConsoleQueryLoaders[K]>>>;
