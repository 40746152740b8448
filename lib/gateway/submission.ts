import type { Database } from "@/db/client";
import { getRequestView } from "@/db/queries/authorization-requests";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { runJob } from "./job-runner";
import { recordAuthorizationRequest, type SubmitRequestInput } from "./submit";

/**
 * The whole submit path of `POST /authorization-requests`: record (durably, with its jobs), then
 * run the submissions at once on this instance's lease, so an authorizer that decides at once,
 * a fail-closed or a fail-open outcome is in the answer. If this process dies meanwhile, the lease
 * runs out and the worker finishes the job.
 */
export async function submitAuthorizationRequest(db: Database, ctx: TenantContext, input: SubmitRequestInput, idempotencyKey: string | null) {
  const { request, jobsToRun, replayed, hint } = await recordAuthorizationRequest(db, ctx, input, idempotencyKey);
  await Promise.all(jobsToRun.map((job) => runJob(db, job, hint)));
  const view = await getRequestView(db, ctx, request.requestId, { events: false });
  return { view: view!, replayed };
}
