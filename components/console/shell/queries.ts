import type { listPendingRequests } from "@/db/queries/attention";
import type { RequestView } from "@/db/queries/authorization-requests";
import type { FailOpenStatus } from "@/db/queries/fail-open-status";
import type { OverviewStats } from "@/db/queries/request-stats";
import type { RoutingScriptVersion } from "@/db/queries/routing-versions";
import type { SigningKeyView } from "@/db/queries/signing-keys";
import type { EffectiveSettings } from "@/db/queries/tenant-settings";
import type { ConsoleAuthorizer } from "@/lib/console/authorizer-views";
import type { NeedsAttention } from "@/lib/console/needs-attention";
import { consoleFetch } from "./api-client";

/** What a server value looks like after the JSON round trip of an API route (dates become strings). */
export type Json<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export type AuthorizerRow = Json<ConsoleAuthorizer>;
export type SigningKeyRow = Json<SigningKeyView>;
export type SettingsData = Json<EffectiveSettings>;
export type RequestDetail = Json<RequestView>;
export type Stats = Json<OverviewStats>;
export type AttentionData = Json<NeedsAttention>;
export type PendingRequests = Json<Awaited<ReturnType<typeof listPendingRequests>>>;
export type FailOpenData = Json<FailOpenStatus>;
export type RoutingVersionRow = Json<RoutingScriptVersion>;
export interface RequestSummary {
  requestId: string;
  externalId: string | null;
  status: "pending" | "approved" | "denied" | "expired" | "cancelled";
  statusReason: string | null;
  failOpen: boolean;
  principalType: string;
  actionType: string;
  actionCategory: string | null;
  summary: string;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
}
export interface RequestPage {
  data: RequestSummary[];
  nextCursor: string | null;
}
export interface DeliveryRow {
  requestId: string;
  status: "pending" | "delivered" | "failed";
  execute: boolean;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  summary: string;
}

// One registry of query keys and fetchers, shared by server prefetches and client hooks.
export const queryKeys = {
  stats: ["stats"] as const,
  authorizers: ["authorizers"] as const,
  authorizer: (name: string) => ["authorizers", name] as const,
  signingKeys: ["signing-keys"] as const,
  settings: ["settings"] as const,
  deliveries: ["webhook-deliveries"] as const,
  requests: (filters: Record<string, string>) => ["requests", filters] as const,
  recentRequests: ["recent-requests"] as const,
  routingVersions: ["routing-versions"] as const,
  request: (requestId: string) => ["request", requestId] as const,
  attention: ["attention"] as const,
  pendingRequests: ["pending-requests"] as const,
  failOpen: ["fail-open"] as const,
};

export const fetchers = {
  stats: () => consoleFetch<Stats>("/api/console/stats"),
  authorizers: () => consoleFetch<{ data: AuthorizerRow[] }>("/api/console/authorizers"),
  authorizer: (name: string) => consoleFetch<AuthorizerRow>(`/api/console/authorizers/${encodeURIComponent(name)}`),
  signingKeys: () => consoleFetch<{ data: SigningKeyRow[] }>("/api/console/signing-keys"),
  settings: () => consoleFetch<SettingsData>("/api/console/settings"),
  deliveries: () => consoleFetch<{ data: DeliveryRow[] }>("/api/console/settings/webhook-deliveries"),
  requests: (filters: Record<string, string>, cursor?: string | null) =>
    consoleFetch<RequestPage>(
      `/api/console/requests?${new URLSearchParams({ ...filters, ...(cursor ? { cursor } : {}) })}`,
    ),
  recentRequests: () => consoleFetch<RequestPage>("/api/console/requests?limit=5"),
  routingVersions: () => consoleFetch<{ data: RoutingVersionRow[] }>("/api/console/routing/versions"),
  request: (requestId: string) => consoleFetch<RequestDetail>(`/api/console/requests/${encodeURIComponent(requestId)}`),
  attention: () => consoleFetch<AttentionData>("/api/console/attention"),
  pendingRequests: () => consoleFetch<PendingRequests>("/api/console/pending-requests"),
  failOpen: () => consoleFetch<FailOpenData>("/api/console/fail-open"),
};
