import type { AuditEntry } from "./entry-hash";

/** A request record of an export: the columns its sealed timeline can vouch for. */
export interface RequestRecord {
  requestId: string;
  status: string;
  decisionKeyId: string | null;
  /** The execution row: `executing`, `succeeded`, `failed`, or null when there is none. */
  executionStatus?: string | null;
  executionChannel?: string | null;
  executionError?: string | null;
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
  /** Per request: sealed execution claims, and the sealed results (`success`, `error:<error>`, `window_closed`). */
  private readonly executions = new Map<string, { claimed: number; results: string[] }>();

  record(entry: AuditEntry): void {
    if (entry.kind !== "request_event" || !entry.requestId || entry.purged) return;
    if (entry.checkpointSeq === null) {
      this.unsettled.add(entry.requestId);
      return;
    }
    const decision = typeof entry.data?.decision === "string" ? entry.data.decision : null;
    const keyId = typeof entry.data?.keyId === "string" ? entry.data.keyId : "";
    const token =
      entry.type === "decision_accepted"
        ? `${decision ?? "?"}:${keyId}`
        : entry.type === "decided_without_authorizer"
          ? `${decision ?? "?"}:*`
          : entry.type === "fail_open_executed"
            ? "approved:*"
            : entry.type === "expired"
              ? "expired:*"
              : entry.type === "cancelled"
                ? "cancelled:*"
                : null;
    if (token) this.finals.set(entry.requestId, [...(this.finals.get(entry.requestId) ?? []), token]);
    if (
      entry.type === "execution_claimed" ||
      entry.type === "execution_reported" ||
      entry.type === "execution_window_closed"
    ) {
      const execution = this.executions.get(entry.requestId) ?? { claimed: 0, results: [] };
      if (entry.type === "execution_claimed") execution.claimed += 1;
      else if (entry.type === "execution_window_closed") execution.results.push("window_closed");
      else
        execution.results.push(
          entry.data?.status === "success"
            ? "success"
            : `error:${typeof entry.data?.error === "string" ? entry.data.error : ""}`,
        );
      this.executions.set(entry.requestId, execution);
    }
  }

  /** Why the record's execution disagrees with its sealed execution events, or null. Mirrors the gateway's check. */
  private checkExecution(record: RequestRecord): string | null {
    if (record.executionStatus === undefined) return null;
    const { claimed, results } = this.executions.get(record.requestId) ?? { claimed: 0, results: [] };
    const status = record.executionStatus;
    const agrees =
      status === null
        ? claimed === 0 && results.length === 0
        : status === "executing"
          ? claimed === 1 && results.length === 0
          : results.length === 1 &&
            ((results[0] === "window_closed" && record.executionChannel === "window_closed" && status === "failed") ||
              (status === "succeeded" && results[0] === "success") ||
              (status === "failed" && results[0] === `error:${record.executionError ?? ""}`));
    return agrees
      ? null
      : `its execution (${status ?? "missing"}) is not what its sealed execution events record (${results.join(", ") || "none"})`;
  }

  /**
   * Why the record disagrees with the sealed timeline, or null. With `complete` false (an export
   * that ends before now), a final status with no sealed decision yet is not judged, only contradictions.
   */
  check(record: RequestRecord, complete: boolean): string | null {
    if (this.unsettled.has(record.requestId)) return null;
    const tokens = this.finals.get(record.requestId) ?? [];
    const execution = this.checkExecution(record);
    // An export that ends before now may hold the claim but not the result: judged only when complete.
    if (execution && complete) return execution;
    if (tokens.length > 1)
      return `its sealed timeline holds ${tokens.length} final events (${tokens.join(", ")}): one is legitimate, an event was added beside the real one`;
    if (record.status === "pending")
      return tokens.length === 0 ? null : "pending, but its sealed timeline records a final decision";
    if (tokens.length === 0)
      return complete ? `${record.status}, but its sealed timeline records no such decision` : null;
    const supported =
      tokens[0] === `${record.status}:*` || tokens[0] === `${record.status}:${record.decisionKeyId ?? ""}`;
    return supported
      ? null
      : `${record.status} (keyId ${record.decisionKeyId ?? "none"}), but its sealed timeline records ${tokens.join(", ")}`;
  }
}
