import { setTimeout as delay } from "node:timers/promises";
import type { Authorizer } from "@/db/schema";
import {
  AuthorizerClient,
  createUndiciTransport,
  isStepAuthError,
  TransportRefusedError,
  type AttemptReport,
  type HttpTransport,
} from "@/lib/stepauth";
import { AppError } from "@/lib/errors/app-error";
import { checkOutboundUrl, outboundAgent } from "@/lib/net/outbound";
import { callbackPolicy, trustedKeysOf, type TenantRuntime } from "./tenant-runtime";

// The code outbound.ts gives a connection its SSRF guard refused (a name resolving to a private address).
const privateAddressCode = "EPRIVATEADDR";

function refusedByGuard(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    if ((e as { code?: unknown }).code === privateAddressCode) return true;
  }
  return false;
}

let sharedTransport: HttpTransport | undefined;
/**
 * One keep-alive transport for all authorizer calls (the global fetch measured 3.5× slower). A
 * connection the SSRF guard refuses is a refusal, never retried and never counted as an outage.
 */
function transport(): HttpTransport {
  if (sharedTransport) return sharedTransport;
  const send = createUndiciTransport({ dispatcher: outboundAgent() });
  sharedTransport = (request) =>
    send(request).catch((error: unknown) => {
      if (refusedByGuard(error))
        throw new TransportRefusedError(
          "destination_refused",
          "the endpoint resolves to an address outbound calls may not reach",
          { cause: error },
        );
      throw error;
    });
  return sharedTransport;
}

/** Raised between two attempts of a job run whose lease another run has taken over: it must stop. */
export class LeaseLostError extends Error {
  override readonly name = "LeaseLostError";
}

/**
 * A protocol client for one tenant × authorizer, signing with every unretired tenant key and
 * collecting each attempt into `attempts` for the audit trail. A 429 ends the call at once with
 * `rate_limited` (the job reschedules itself at its Retry-After, durably). With `renewLease`, a
 * background run renews its job lease before each retry and stops (LeaseLostError) once it has lost it.
 */
export function authorizerClientFor(
  runtime: TenantRuntime,
  authorizer: Authorizer,
  attempts: AttemptReport[],
  retryOverride?: { maxAttempts: number },
  renewLease?: () => Promise<boolean>,
): AuthorizerClient {
  const problem = checkOutboundUrl(authorizer.endpoint);
  if (problem)
    throw new AppError("validation_failed", `Authorizer ${authorizer.name} endpoint is not allowed: ${problem}`);
  if (runtime.signers.length === 0)
    throw new AppError("no_signing_key", "The tenant has no signing key: create one first");
  const policy = runtime.settings.retryPolicy;
  return new AuthorizerClient({
    endpoint: authorizer.endpoint,
    spId: authorizer.spId,
    signers: runtime.signers,
    authorizerKeys: trustedKeysOf(authorizer),
    retry: {
      maxAttempts: policy.maxAttempts,
      baseDelayMs: policy.baseDelayMs,
      factor: policy.factor,
      attemptTimeoutMs: policy.attemptTimeoutMs,
      maxRetryAfterMs: 0,
      ...retryOverride,
    },
    observer: (report) => attempts.push(report),
    transport: transport(),
    callbackPolicy: callbackPolicy(),
    sleep: async (ms) => {
      if (renewLease && !(await renewLease())) throw new LeaseLostError("the job lease was taken over by another run");
      await delay(ms);
    },
  });
}

/**
 * How a failed call counts for the unavailability policy (PROTOCOL.md "Retries and unavailability"):
 * `unreachable` (5xx, network errors, timeouts after the whole retry policy: may fail open),
 * `rate_limited` (reachable but busy: rescheduled, never counted) or `rejected` (a refusal, an
 * oversized answer, a refused destination, anything unexplained: fails the target, never fails open).
 */
export function failureKind(error: unknown): {
  kind: "unreachable" | "rejected" | "rate_limited";
  code: string;
  message: string;
  retryAfterMs?: number;
} {
  if (isStepAuthError(error)) {
    // Busy is what a 429 says, not what a body says: a refusal whose body names rate_limited stays a refusal.
    const status = error.details?.status;
    if (error.code === "rate_limited" && (status === undefined || status === 429)) {
      const retryAfterMs = error.details?.retryAfterMs;
      return {
        kind: "rate_limited",
        code: error.code,
        message: error.message,
        ...(typeof retryAfterMs === "number" ? { retryAfterMs } : {}),
      };
    }
    return {
      kind: error.code === "authorizer_unavailable" ? "unreachable" : "rejected",
      code: error.code,
      message: error.message,
    };
  }
  if (error instanceof AppError) return { kind: "rejected", code: error.code, message: error.message };
  return { kind: "rejected", code: "internal_error", message: error instanceof Error ? error.message : String(error) };
}
