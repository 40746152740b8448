/**
 * `POST …/result` (PROTOCOL.md "Result report"): the SP tells the sandbox how the execution of an
 * approved request ended. The envelope is verified with the SP's registered keys and parsed
 * strictly (authenticateSpEnvelope) before anything is read; the result is stored on the request
 * and shown on its decided card.
 */
import type { Database } from "@/db/client";
import { findSandboxRequestForSp, recordSandboxExecutionResult } from "@/db/queries/system/sandbox-requests";
import { AppError } from "@/lib/errors/app-error";
import { resultReportPayloadSchema } from "@/lib/stepauth";
import type { AuthenticatedSpCall } from "./inbound";

/**
 * Records a result report: `200 {requestId, status: "recorded"}` (also when repeated: the first
 * result stays), `404 unknown_request`, `409 not_approved` for a request that was not approved.
 *
 * @example
 * ```ts
 * const answer = await recordSandboxResultReport(db, call);
 * ```
 */
export async function recordSandboxResultReport(db: Database, call: AuthenticatedSpCall) {
  const parsed = resultReportPayloadSchema.safeParse(call.payload);
  if (!parsed.success)
    throw new AppError(
      "malformed_request",
      "expected {requestId, spId, status: success|error, error?, executedAt?, timestamp}",
    );
  const report = parsed.data;
  if (report.spId !== call.registration.spId) throw new AppError("malformed_request", "spId is not the signing SP");
  const row = await findSandboxRequestForSp(db, call.registration.spId, report.requestId);
  if (!row) throw new AppError("unknown_request", `No request ${report.requestId} from ${call.registration.spId}`);
  if (row.status !== "approved")
    throw new AppError("not_approved", `${report.requestId} was ${row.status}: only approvals execute`);
  await recordSandboxExecutionResult(db, row, {
    status: report.status,
    error: report.status === "error" ? (report.error ?? "the SP reported an error") : null,
  });
  return { requestId: report.requestId, status: "recorded" as const };
}
