import type { AuditEntry } from "./entry-hash";

/** A request record of an export: the columns its sealed timeline can vouch for. */
export interface RequestRecord {
  requestId: string;
  status: string;
  decisionKeyId: string | null;
}

/**
 * What a request's sealed timeline says about its final state, gathered from the entries of an
 * export, to check the export's request records against (a status edited on the row, not in the
 * events). Mirrors the gateway's own row check (db/queries/audit-chain.ts, firstRequestRowMismatch):
 * a settled request has exactly one sealed final event, and its record must be that event's.
 */
export class SealedRequestFacts {
  private readonly finals = new Map<string, string[]>();
  private readonly unsettled = new Set<string>();

  record(entry: AuditEntry): void {
    if (entry.kind !== "request_event" || !entry.requestId || entry.purged) return;
    if (entry.checkpointSeq === null) {
      this.unsettled.add(entry.requestId);
      return;
    }
    const decision = typeof entry.data?.decision === "string" ? entry.data.decision : null;
    const keyId = typeof entry.data?.keyId === "string" ? entry.data.keyId : "";
    const token =
      entry.type === "decision_accepted" ? `${decision ?? "?"}:${keyId}`
      : entry.type === "decided_without_authorizer" ? `${decision ?? "?"}:*`
      : entry.type === "fail_open_executed" ? "approved:*"
      : entry.type === "expired" ? "expired:*"
      : entry.type === "cancelled" ? "cancelled:*"
      : null;
    if (token) this.finals.set(entry.requestId, [...(this.finals.get(entry.requestId) ?? []), token]);
  }

  /**
   * Why the record disagrees with the sealed timeline, or null. With `complete` false (an export
   * that ends before now), a final status with no sealed decision yet is not judged, only contradictions.
   */
  check(record: RequestRecord, complete: boolean): string | null {
    if (this.unsettled.has(record.requestId)) return null;
    const tokens = this.finals.get(record.requestId) ?? [];
    if (tokens.length > 1) return `its sealed timeline holds ${tokens.length} final events (${tokens.join(", ")}): one is legitimate, an event was added beside the real one`;
    if (record.status === "pending") return tokens.length === 0 ? null : "pending, but its sealed timeline records a final decision";
    if (tokens.length === 0) return complete ? `${record.status}, but its sealed timeline records no such decision` : null;
    const supported = tokens[0] === `${record.status}:*` || tokens[0] === `${record.status}:${record.decisionKeyId ?? ""}`;
    return supported ? null : `${record.status} (keyId ${record.decisionKeyId ?? "none"}), but its sealed timeline records ${tokens.join(", ")}`;
  }
}
