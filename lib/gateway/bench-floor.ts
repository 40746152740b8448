import { createHash } from "node:crypto";
import { request as undiciRequest } from "undici";
import type { Database } from "@/db/client";
import { insertFloorRequest, recordFloorAnswer } from "@/db/queries/bench-floor";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError, toAppError } from "@/lib/errors/app-error";
import {
  authorizationRequestPayload,
  buildAuthorizationRequest,
  generateKeyPair,
  generateRequestId,
  importPrivateKey,
  signEnvelope,
  type AuthorizationRequest,
  type EnvelopeSigner,
} from "@/lib/stepauth";
import { outboundAgent } from "@/lib/net/outbound";
import type { SubmitRequestInput } from "./submit";
import { callbackUrlFor } from "@/lib/config/public-urls";
import { callbackPolicy, loadTenantRuntime } from "./tenant-runtime";

let signer: EnvelopeSigner | undefined;
/** A throw-away key for the benchmark floor route, made once per process. */
export function benchFloorSigner(): EnvelopeSigner {
  signer ??= { keyId: "bench-floor", privateKey: importPrivateKey(generateKeyPair().privateKey) };
  return signer;
}

/**
 * The honest floor of `npm run bench`: the irreducible work of a submit and nothing else. Validate the
 * request (once), sign it with the tenant's keys for its default authorizer, insert the request row,
 * send it with one undici call, record the answer with one update. No routing script, no targets,
 * events or jobs, no retries, no verification of a decision: what a submit does beyond this is its cost.
 */
export async function runHonestFloor(
  db: Database,
  ctx: TenantContext,
  input: SubmitRequestInput,
): Promise<{ requestId: string; status: string }> {
  const runtime = await loadTenantRuntime(db, ctx);
  const authorizer =
    runtime.authorizers.find((a) => a.enabled && a.isDefault) ?? runtime.authorizers.find((a) => a.enabled);
  if (!authorizer) throw new AppError("no_authorizer", "The bench tenant has no enabled authorizer");
  let request: AuthorizationRequest;
  try {
    request = buildAuthorizationRequest(
      {
        spId: authorizer.spId,
        requestId: generateRequestId(),
        expiresIn: input.expiresIn ?? runtime.settings.defaultExpiresIn,
        principal: input.principal as never,
        action: input.action as never,
      },
      callbackPolicy(),
    );
  } catch (error) {
    throw toAppError(error, "client") ?? error;
  }
  const payload = authorizationRequestPayload(
    request,
    { spId: authorizer.spId, callbackUrl: callbackUrlFor(runtime.settings, authorizer.id) },
    callbackPolicy(),
  );
  const body = JSON.stringify(signEnvelope(new TextEncoder().encode(payload.json), runtime.signers));
  await insertFloorRequest(db, ctx, {
    requestId: request.requestId,
    bodyHash: createHash("sha256").update(JSON.stringify(input)).digest("hex"),
    principal: JSON.stringify(request.principal),
    action: JSON.stringify(request.action),
    principalType: request.principal.type,
    actionType: request.action.type,
    summary: request.action.summary,
    routingTargets: [authorizer.name],
    expiresAt: request.expiresAt,
  });
  const response = await undiciRequest(`${authorizer.endpoint}/v1/authorization-requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    dispatcher: outboundAgent(),
  });
  const answer = (await response.body.json()) as { status?: string; decision?: { payload?: string } };
  const decision = answer.decision?.payload
    ? (JSON.parse(Buffer.from(answer.decision.payload, "base64").toString("utf8")) as { decision?: string })
    : null;
  const status = decision?.decision === "approved" || decision?.decision === "denied" ? decision.decision : "pending";
  await recordFloorAnswer(db, ctx, {
    requestId: request.requestId,
    status,
    envelope: answer.decision ? JSON.stringify(answer.decision) : null,
  });
  return { requestId: request.requestId, status };
}
