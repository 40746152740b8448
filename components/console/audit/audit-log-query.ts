// Shared by the server page (prefetch) and the client table: a plain module, not a client one.

/** The TanStack Query key of the audit log with these filters. */
export const auditLogQueryKey = (filters: Record<string, string>) => ["audit-log", filters] as const;
