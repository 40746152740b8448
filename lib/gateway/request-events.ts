import type { NewRequestEvent } from "@/db/queries/request-events";
import type { AttemptReport } from "@/lib/stepauth";

/** One authorizer attempt as a timeline event (status and latency, never the envelope). */
export function attemptEvent(authorizerId: string, report: AttemptReport): NewRequestEvent {
  const { call, attempt, outcome, status, errorCode, cause, latencyMs, willRetry, delayMs } = report;
  return {
    type: "authorizer_attempt",
    authorizerId,
    data: { call, attempt, outcome, status, errorCode, cause, latencyMs: Math.round(latencyMs), willRetry, delayMs },
  };
}
