import type { Database } from "@/db/client";
import { recordAuditEvent } from "@/db/queries/audit";
import { recordProvenKey } from "@/db/queries/authorizers";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { authorizerClientFor, failureKind } from "@/lib/gateway/authorizer-client";
import { callbackPolicy, loadTenantRuntime } from "@/lib/gateway/tenant-runtime";
import {
  buildAuthorizationRequest,
  entries,
  entry,
  type AttemptReport,
  type AuthorizationRequest,
} from "@/lib/stepauth";

/** What the console shows after "Send test request". */
export interface TestRequestResult {
  requestId: string;
  outcome: "decided" | "pending_then_cancelled" | "pending" | "failed";
  decision?: { decision: string; reason?: string; keyId: string; reviewers?: unknown };
  error?: { code: string; message: string; kind: "unreachable" | "rejected" | "rate_limited"; cause: string };
  attempts: {
    call: string;
    attempt: number;
    status?: number;
    outcome: string;
    errorCode?: string;
    cause?: string;
    latencyMs: number;
  }[];
  signedWith: string[];
  /** Set when the test was signed by this key alone and the authorizer accepted it: it now counts as knowing the key. */
  provenKeyId?: string;
}

// A request that asks nothing real: no callback URL (nothing comes back to the gateway), a short
// lifetime, and a summary that says it changes nothing. It is never recorded as a request.
function harmlessRequest(spId: string, authorizerName: string): AuthorizationRequest {
  return buildAuthorizationRequest(
    {
      spId,
      expiresIn: 300,
      principal: {
        type: "service",
        attributes: entries(
          entry("name", "Name", "StepAuth Gateway console"),
          entry("purpose", "Purpose", "Connection test"),
        ),
      },
      action: {
        type: "stepauth.connection_test",
        category: "data.read",
        summary: `Connection test from the StepAuth Gateway console for authorizer "${authorizerName}". Approving or denying it changes nothing; no action will execute.`,
        details: entries(entry("harmless", "Harmless", "Yes"), entry("executes", "Executes an action", "No")),
      },
    },
    callbackPolicy(),
  );
}

/**
 * The underlying cause of a failed test, in one line: what the connection said (refused, TLS…),
 * the HTTP status with the authorizer's error code, or the gateway's own refusal of the answer.
 */
export function failureCause(last: AttemptReport | undefined, code: string, message: string): string {
  if (last?.outcome === "network_error") return `Network error: ${last.cause ?? "the connection failed"}`;
  if (last?.outcome === "timeout") return `Timed out after ${Math.round(last.latencyMs)} ms without an answer`;
  if (last?.outcome === "refused") return `Refused before sending: ${message}`;
  if (last?.outcome === "response" && last.status !== undefined && last.status >= 300) {
    return `HTTP ${last.status}${last.errorCode ? ` ${last.errorCode}` : ""}: ${message}`;
  }
  return `${code}: ${message}`;
}

/**
 * Sends one signed test request to one authorizer (every unretired tenant key signs it, as in
 * production, or `onlyKeyId` alone), verifies whatever decision comes back, and cancels it if it
 * stays pending so no reviewer is left with a stray request. One attempt only: the admin is waiting
 * on the button. An authorizer that accepts a request signed by `onlyKeyId` alone is recorded as
 * knowing that key, which is what lets the older key be retired without a typed confirmation.
 */
export async function sendAuthorizerTestRequest(
  db: Database,
  ctx: TenantContext,
  name: string,
  options: { onlyKeyId?: string } = {},
): Promise<TestRequestResult> {
  const runtime = await loadTenantRuntime(db, ctx);
  const authorizer = runtime.authorizers.find((a) => a.name === name);
  if (!authorizer) throw new AppError("not_found", "No such authorizer");
  const { onlyKeyId } = options;
  const signers = onlyKeyId === undefined ? runtime.signers : runtime.signers.filter((s) => s.keyId === onlyKeyId);
  if (signers.length === 0 && onlyKeyId !== undefined)
    throw new AppError("conflict", `${onlyKeyId} is not a key that signs (active or next)`);
  const reports: AttemptReport[] = [];
  const client = authorizerClientFor({ ...runtime, signers }, authorizer, reports, { maxAttempts: 1 });
  const request = harmlessRequest(authorizer.spId, authorizer.name);
  const base = { requestId: request.requestId, signedWith: signers.map((s) => s.keyId) };
  let result: TestRequestResult;
  try {
    const answer = await client.submit(request);
    if (answer.status === "decided") {
      const { decision, reason, reviewers } = answer.decision;
      result = {
        ...base,
        outcome: "decided",
        decision: { decision, reason, reviewers, keyId: answer.keyId },
        attempts: [],
      };
    } else {
      const cancelled = await client.cancel(request.requestId).then(
        () => true,
        () => false,
      );
      result = { ...base, outcome: cancelled ? "pending_then_cancelled" : "pending", attempts: [] };
    }
  } catch (error) {
    const { kind, code, message } = failureKind(error);
    result = {
      ...base,
      outcome: "failed",
      error: { kind, code, message, cause: failureCause(reports.at(-1), code, message) },
      attempts: [],
    };
  }
  result.attempts = reports.map((r) => ({
    call: r.call,
    attempt: r.attempt,
    status: r.status,
    outcome: r.outcome,
    errorCode: r.errorCode,
    cause: r.cause,
    latencyMs: Math.round(r.latencyMs),
  }));
  await recordAuditEvent(db, ctx, {
    action: "authorizer.test_request_sent",
    target: authorizer.name,
    data: {
      requestId: request.requestId,
      outcome: result.outcome,
      error: result.error?.code,
      signedWith: result.signedWith,
    },
  });
  // Accepted (decided or pending) means it verified the lone signature; a refusal proves nothing.
  if (
    onlyKeyId !== undefined &&
    result.outcome !== "failed" &&
    (await recordProvenKey(db, ctx, authorizer, onlyKeyId))
  ) {
    result.provenKeyId = onlyKeyId;
  }
  return result;
}
