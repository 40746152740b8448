import { getDatabaseHandle } from "@/db/client";
import { pingDatabase } from "@/db/queries/database-health";
import { AppError } from "@/lib/errors/app-error";
import { benchFloorSigner, runHonestFloor } from "@/lib/gateway/bench-floor";
import { submitRequestSchema } from "@/lib/gateway/submit";
import { signJsonPayload } from "@/lib/stepauth";
import { json, type TenantRequest } from "../api-route";
import { readJsonBody } from "../json-body";

// The routes that serve the deployment rather than a tenant: health, the cron tick and the benchmark floors.

// Liveness and readiness for load balancers and container health checks: answers 200 only when the
// database answers a query. Unauthenticated, and says nothing a stranger could use.
const DATABASE_TIMEOUT_MS = 3_000;

export async function healthRoute(): Promise<Response> {
  const handle = getDatabaseHandle();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pingDatabase(handle.db),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timed out")), DATABASE_TIMEOUT_MS))),
    ]);
  } catch {
    throw new AppError("service_unavailable", "The database does not answer", { retryAfter: 5 });
  } finally {
    clearTimeout(timer);
  }
  return json({ status: "ok", database: handle.driver, databaseMs: Math.round(performance.now() - started) });
}

/** The framework floor: what any submit costs before the gateway's own work (read and parse the same body, sign once). */
export async function benchFloorRoute(request: Request): Promise<Response> {
  const body = await readJsonBody(request, submitRequestSchema);
  const envelope = signJsonPayload(body, [benchFloorSigner()]);
  return json({ signatures: envelope.signatures.length }, 202);
}

/**
 * The honest floor: the irreducible work of a submit (authenticate, parse, validate, sign, one insert,
 * one authorizer call, one update).
 */
export async function honestFloorRoute({ db, ctx, request }: TenantRequest<unknown>): Promise<Response> {
  const input = await readJsonBody(request, submitRequestSchema);
  const { requestId, status } = await runHonestFloor(db, ctx, input);
  return json({ requestId, status }, status === "pending" ? 202 : 200);
}
