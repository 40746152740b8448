/**
 * Claim before run: the one thing the gateway asks of services. `executeOnce` claims the execution
 * named in a verified webhook (bound to the SHA-256 of the approved payload), runs the action only
 * when this claim won, and reports its result durably, so a webhook delivered any number of times,
 * to any number of service instances with no memory, runs the action once.
 */
import type { ExecutionResult } from "./api-schemas";
import { isStepAuthClientError, StepAuthClientError } from "./errors";
import { callApi, type HttpSettings } from "./http";
import type { WebhookEvent } from "./webhook";

/** What the service answers the webhook with (the gateway relays it to the authorizer). */
export type WebhookAnswer =
  | { requestId: string; status: "success" }
  | { requestId: string; status: "error"; error: string }
  | { requestId: string; status: "accepted" };

/** The gateway's answer to a won claim. */
export interface ExecutionClaim {
  requestId: string;
  claimed: true;
  payloadSha256: string;
  windowClosesAt: string;
  failOpen: boolean;
  principal: unknown;
  action: unknown;
}

/** `POST` here claims an execution (`{payloadSha256}`) or reports its result (`{status, error?}`). */
export function executionPath(requestId: string): string {
  return `/api/v1/authorization-requests/${encodeURIComponent(requestId)}/execution`;
}

/** Claim refusals after which the action must not run, and the service says so truthfully. */
const WILL_NOT_RUN = new Set(["execution_window_closed", "payload_mismatch"]);

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return (text || "the action failed").slice(0, 2000);
}

/** The execution as a refused claim or report describes it (`details.execution`). */
function recordedStatus(error: unknown): string | undefined {
  const details = isStepAuthClientError(error)
    ? (error.details as { execution?: { status?: unknown } } | undefined)
    : undefined;
  return typeof details?.execution?.status === "string" ? details.execution.status : undefined;
}

/**
 * Reports a claimed execution's result, retrying through network errors and 5xx. A `409 conflict`
 * showing this very result means an earlier attempt landed with its answer lost: delivered.
 * Anything else throws `report_failed` carrying the result, so it is never lost silently.
 */
export async function reportExecutionResult(
  http: HttpSettings,
  requestId: string,
  claimUrl: string,
  result: ExecutionResult,
): Promise<void> {
  try {
    await callApi(http, { method: "POST", url: claimUrl, body: result });
  } catch (error) {
    if (isStepAuthClientError(error, "conflict") && recordedStatus(error) === result.status) return;
    throw new StepAuthClientError(
      "report_failed",
      `the result of ${requestId} could not be reported: ${errorText(error)}`,
      {
        cause: error,
        status: isStepAuthClientError(error) ? error.status : undefined,
        details: { requestId },
        result,
      },
    );
  }
}

/**
 * Claims the execution of `requestId` (bound to `payloadSha256` when given), runs `run` only if this
 * claim won, and reports its result: `accepted` when another caller holds the claim, `error` without
 * running after the window or for another payload. Throws `report_failed` (with `.result`) if the
 * result could not be reported after every retry, and the gateway's own error for refusals that mean
 * misconfiguration (`unknown_request`, `not_approved`, `invalid_api_key`, …).
 */
export async function claimRunReport(
  http: HttpSettings,
  requestId: string,
  payloadSha256: string | undefined,
  run: () => unknown,
): Promise<WebhookAnswer> {
  // The claim goes to the gateway this client is configured with, at the API's fixed path: a
  // webhook's claimUrl is built from the gateway's public URL, which a service may reach otherwise
  // (an internal address), and the API key is never sent to an origin a message names.
  const claimUrl = executionPath(requestId);
  try {
    await callApi<ExecutionClaim>(http, {
      method: "POST",
      url: claimUrl,
      body: payloadSha256 === undefined ? {} : { payloadSha256 },
    });
  } catch (error) {
    if (isStepAuthClientError(error, "already_claimed")) return { requestId, status: "accepted" };
    if (isStepAuthClientError(error) && WILL_NOT_RUN.has(error.code))
      return { requestId, status: "error", error: `not executed: ${error.code}` };
    throw error;
  }
  let result: ExecutionResult;
  try {
    await run();
    result = { status: "success" };
  } catch (error) {
    result = { status: "error", error: errorText(error) };
  }
  await reportExecutionResult(http, requestId, claimUrl, result);
  return result.status === "success"
    ? { requestId, status: "success" }
    : { requestId, status: "error", error: result.error ?? "the action failed" };
}

/**
 * A verified webhook's execution: a denial, expiry or cancellation (`execute: false`) runs nothing
 * and is acknowledged; an approval goes through {@link claimRunReport} with the approved payload's
 * hash. The answer is what the service sends back (the gateway relays it to the authorizer).
 */
export async function executeOnce<T>(
  http: HttpSettings,
  event: WebhookEvent,
  action: (event: WebhookEvent) => Promise<T> | T,
): Promise<WebhookAnswer> {
  const { requestId, execute, execution } = event.data;
  if (!execute) return { requestId, status: "success" };
  if (!execution)
    throw new StepAuthClientError(
      "invalid_webhook",
      "an execute webhook without data.execution: this gateway does not support claim before run",
    );
  return claimRunReport(http, requestId, execution.payloadSha256, () => action(event));
}
