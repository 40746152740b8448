import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { ConsoleQueryData, ConsoleQueryLoaderArgs, ConsoleQueryName } from "@/lib/console/queries";
import { consoleFetch } from "./api-client";

export type { ConsoleQueryData, ConsoleQueryName } from "@/lib/console/queries";

// A plain module, not a client one: server pages take the same keys for their prefetch (./prefetch).

/** GET a console route; the answer's type is the one its server loader (lib/console/queries.ts) produces. */
const get = <K extends ConsoleQueryName>(_query: K, path: string) => consoleFetch<ConsoleQueryData<K>>(path);

const withCursor = (params: Record<string, string>, cursor: string | null) =>
  new URLSearchParams({ ...params, ...(cursor ? { cursor } : {}) });

/**
 * Every console query, one entry each: its key, its fetcher (the `/api/console/...` route) and, by its
 * name, its response type. Components pass an entry to useQuery/useSuspenseQuery (spreading it to add
 * options such as refetchInterval); pages prefetch it by name (<Prefetch>); invalidations use its
 * `queryKey`. tests/lint/console-queries.test.ts keeps ad-hoc keys and fetchers out of components;
 * tests/lib/console/queries.test.ts proves each fetcher's route answers what its loader produces.
 */
export const consoleQueries = {
  stats: () => queryOptions({ queryKey: ["stats"], queryFn: () => get("stats", "/api/console/stats") }),
  attention: () => queryOptions({ queryKey: ["attention"], queryFn: () => get("attention", "/api/console/attention") }),
  pendingRequests: () =>
    queryOptions({
      queryKey: ["pending-requests"],
      queryFn: () => get("pendingRequests", "/api/console/pending-requests"),
    }),
  failOpen: () => queryOptions({ queryKey: ["fail-open"], queryFn: () => get("failOpen", "/api/console/fail-open") }),
  authorizers: () =>
    queryOptions({ queryKey: ["authorizers"], queryFn: () => get("authorizers", "/api/console/authorizers") }),
  signingKeys: () =>
    queryOptions({ queryKey: ["signing-keys"], queryFn: () => get("signingKeys", "/api/console/signing-keys") }),
  settings: () => queryOptions({ queryKey: ["settings"], queryFn: () => get("settings", "/api/console/settings") }),
  deliveries: () =>
    queryOptions({
      queryKey: ["webhook-deliveries"],
      queryFn: () => get("deliveries", "/api/console/settings/webhook-deliveries"),
    }),
  requests: (filters: Record<string, string>) =>
    infiniteQueryOptions({
      queryKey: ["requests", filters],
      queryFn: ({ pageParam }) => get("requests", `/api/console/requests?${withCursor(filters, pageParam)}`),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
    }),
  recentRequests: () =>
    queryOptions({
      queryKey: ["recent-requests"],
      queryFn: () => get("recentRequests", "/api/console/requests?limit=5"),
    }),
  request: (requestId: string) =>
    queryOptions({
      queryKey: ["request", requestId],
      queryFn: () => get("request", `/api/console/requests/${encodeURIComponent(requestId)}`),
    }),
  routingVersions: () =>
    queryOptions({
      queryKey: ["routing-versions"],
      queryFn: () => get("routingVersions", "/api/console/routing/versions"),
    }),
  // A dry check of the editor's script: a POST, but it changes nothing, so it caches like a read.
  routingCheck: (script: string) =>
    queryOptions({
      queryKey: ["routing-check", script],
      queryFn: () =>
        consoleFetch<ConsoleQueryData<"routingCheck">>("/api/console/routing/validate", {
          method: "POST",
          json: { script },
        }),
    }),
  apiKeys: () => queryOptions({ queryKey: ["api-keys"], queryFn: () => get("apiKeys", "/api/console/api-keys") }),
  members: () => queryOptions({ queryKey: ["members"], queryFn: () => get("members", "/api/console/members") }),
  invitations: () =>
    queryOptions({ queryKey: ["invitations"], queryFn: () => get("invitations", "/api/console/invitations") }),
  auditLog: (filters: Record<string, string>) =>
    infiniteQueryOptions({
      queryKey: ["audit-log", filters],
      queryFn: ({ pageParam }) => get("auditLog", `/api/console/audit-events?${withCursor(filters, pageParam)}`),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
    }),
  sandboxInbox: (view: "pending" | "decided") =>
    queryOptions({
      queryKey: ["sandbox-inbox", view],
      queryFn: () => get("sandboxInbox", `/api/console/sandbox/requests?view=${view}`),
    }),
  sandboxPolicy: () =>
    queryOptions({ queryKey: ["sandbox-policy"], queryFn: () => get("sandboxPolicy", "/api/console/sandbox/policy") }),
} satisfies { [K in ConsoleQueryName]: (...args: ConsoleQueryLoaderArgs<K>) => { queryKey: readonly unknown[] } };

/** A registry entry's arguments, e.g. `["requests", filters]` for a prefetch. */
export type ConsoleQueryArgs<K extends ConsoleQueryName> = Parameters<(typeof consoleQueries)[K]>;

// The rows the screens render, named once.
export type AuthorizerRow = ConsoleQueryData<"authorizers">["data"][number];
export type SigningKeyRow = ConsoleQueryData<"signingKeys">["data"][number];
export type SettingsData = ConsoleQueryData<"settings">;
export type RequestDetail = ConsoleQueryData<"request">;
export type RequestPage = ConsoleQueryData<"requests">;
export type FailOpenData = ConsoleQueryData<"failOpen">;
export type RoutingVersionRow = ConsoleQueryData<"routingVersions">["data"][number];
export type ApiKeyRow = ConsoleQueryData<"apiKeys">["data"][number];
export type MemberRow = ConsoleQueryData<"members">["data"][number];
export type InvitationRow = ConsoleQueryData<"invitations">["data"][number];
export type AuditLogRow = ConsoleQueryData<"auditLog">["data"][number];
