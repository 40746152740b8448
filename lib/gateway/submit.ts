import type { z } from "zod";
import type { Database } from "@/db/client";
import { getRequestView, requestView, type RequestView } from "@/db/queries/authorization-requests";
import type { TenantContext } from "@/lib/auth/tenant-context";
import type { submitRequestSchema } from "@/lib/client/api-schemas";
import { runJob } from "./jobs";
import type { SubmitHint } from "./authorizer-jobs";
import { recordAuthorizationRequest } from "./record-request";

// The body's schema is shared with lib/client, so services are typed by what the API validates.
export { idempotencyKeySchema, submitRequestSchema } from "@/lib/client/api-schemas";
export type SubmitRequestInput = z.infer<typeof submitRequestSchema>;

/**
 * The whole submit path of `POST /authorization-requests`: record (durably, with its jobs), then
 * run the submissions at once on this instance's lease, so an authorizer that decides at once,
 * a fail-closed or a fail-open outcome is in the answer. If this process dies meanwhile, the lease
 * runs out and the worker finishes the job.
 */
export async function submitAuthorizationRequest(
  db: Database,
  ctx: TenantContext,
  input: SubmitRequestInput,
  idempotencyKey: string | null,
): Promise<{ view: RequestView; replayed: boolean }> {
  const { request, jobsToRun, replayed, hint } = await recordAuthorizationRequest(db, ctx, input, idempotencyKey);
  await Promise.all(jobsToRun.map((job) => runJob(db, job, hint)));
  const view =
    hint && !hint.written.unknown
      ? composedView(hint)
      : (await getRequestView(db, ctx, request.requestId, { events: false }))!;
  return { view, replayed };
}

// Reading the request back cost as much as a third of a submit (measured): compose the answer from
// what this request wrote. Nothing else writes a request between its record and its answer but a
// decision racing in by callback, which the answer may then not show yet, as with any later change.
function composedView(hint: SubmitHint): RequestView {
  const targets = [...hint.payloads.keys()].map((authorizerId) => {
    const authorizer = hint.runtime.authorizers.find((a) => a.id === authorizerId)!;
    return {
      authorizerId,
      name: authorizer.name,
      spId: authorizer.spId,
      state: hint.written.targetStates.get(authorizerId) ?? "queued",
      lastError: null,
    };
  });
  return requestView({ request: hint.written.request, targets, execution: null, delivery: null });
}
