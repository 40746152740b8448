import { z } from "zod";
import { updateSandboxPolicy } from "@/db/queries/sandbox-registrations";
import { getSandboxInboxItem } from "@/db/queries/sandbox-requests";
import { consoleQueryLoaders } from "@/lib/console/queries";
import { AppError } from "@/lib/errors/app-error";
import {
  cancelSandboxRequest,
  connectSandboxAuthorizer,
  pollSandboxRequest,
  receiveSandboxSubmission,
  recordSandboxResultReport,
  reviewInputSchema,
  reviewSandboxRequest,
} from "@/lib/sandbox";
import { policyRulesSchema } from "@/lib/sandbox/policy";
import { json, type SandboxSpRequest, type TenantRequest } from "../api-route";
import { readJsonBody } from "../json-body";
import { parseQuery, uuidParam } from "../params";

// The built-in sandbox authorizer: its console side (connect, policy, the reviewer inbox) and the
// SP-facing protocol endpoints under /api/sandbox-authorizer/v1 (PROTOCOL.md).

/** One click in the console: register this tenant with the sandbox and add it as an authorizer. */
export async function connectSandboxRoute({ db, ctx }: TenantRequest<unknown>) {
  const { authorizer, registration, created } = await connectSandboxAuthorizer(db, ctx);
  return json(
    {
      created,
      authorizer: {
        id: authorizer.id,
        name: authorizer.name,
        endpoint: authorizer.endpoint,
        spId: authorizer.spId,
        isDefault: authorizer.isDefault,
      },
      registration: {
        spId: registration.spId,
        callbackUrlPattern: registration.callbackUrlPattern,
        keyIds: registration.publicKeys.map((k) => k.keyId),
        rules: registration.policyRules,
      },
    },
    created ? 201 : 200,
  );
}

// The sandbox's policy per registered SP of this tenant: ordered CEL rules, first match decides, no
// match goes to one reviewer. Rules are compiled on save (errors name the rule).
export async function getSandboxPolicyRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.sandboxPolicy(db, ctx));
}

const updatePolicySchema = z.object({ spId: z.string().min(1).max(128), rules: policyRulesSchema }).strict();

export async function updateSandboxPolicyRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const { spId, rules } = await readJsonBody(request, updatePolicySchema);
  const updated = await updateSandboxPolicy(db, ctx, spId, rules);
  if (!updated) throw new AppError("not_found", "This tenant has no sandbox registration with that spId");
  return json({ spId: updated.spId, rules: updated.policyRules });
}

const inboxQuerySchema = z.object({ view: z.enum(["pending", "decided"]).default("pending") });

/** The reviewer inbox: requests of the sandbox registrations the signed-in user's tenant owns. */
export async function listSandboxInboxRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const { view } = parseQuery(request, inboxQuerySchema, "view must be pending or decided");
  return json(await consoleQueryLoaders.sandboxInbox(db, ctx, view));
}

/** Approve or deny with a reason. */
export async function reviewSandboxRequestRoute({ db, ctx, request, params }: TenantRequest<{ id: string }>) {
  const id = uuidParam(params.id, "request");
  const input = await readJsonBody(request, reviewInputSchema);
  const outcome = await reviewSandboxRequest(db, ctx, id, input);
  return json({
    decided: outcome.decided,
    approvals: outcome.approvals,
    request: await getSandboxInboxItem(db, ctx, id),
  });
}

/** Submit: 202 pending, or 200 with the signed decision. */
export async function sandboxSubmitRoute({ db, call }: SandboxSpRequest) {
  const answer = await receiveSandboxSubmission(db, call);
  return json(answer.body, answer.httpStatus);
}

/** Poll: the signed decision, or 202 while pending. */
export async function sandboxPollRoute({ db, call }: SandboxSpRequest) {
  const answer = await pollSandboxRequest(db, call);
  return json(answer.body, answer.httpStatus);
}

/** Cancel: 200 cancelled, or 409 with the decision that won. */
export async function sandboxCancelRoute({ db, call }: SandboxSpRequest) {
  const answer = await cancelSandboxRequest(db, call);
  return json(answer.body, answer.httpStatus);
}

/** Result report: 200 recorded, 404 unknown_request. */
export async function sandboxResultRoute({ db, call }: SandboxSpRequest) {
  return json(await recordSandboxResultReport(db, call));
}
