import { z } from "zod";
import { listAuthorizers } from "@/db/queries/authorizers";
import { getRoutingScriptVersion } from "@/db/queries/routing-versions";
import { updateTenantSettings } from "@/db/queries/tenant-settings";
import { consoleQueryLoaders } from "@/lib/console/queries";
import { AppError } from "@/lib/errors/app-error";
import {
  authorizationRequestSchema,
  evaluateRoutingScript,
  generateRequestId,
  validateRoutingScript,
  type AuthorizationRequest,
  type RoutingConfig,
  type RoutingOutcome,
  type RoutingScriptIssue,
} from "@/lib/stepauth";
import { json, type TenantRequest } from "../api-route";
import { readJsonBody } from "../json-body";
import { uuidParam } from "../params";
import { routingTestSchema, sampleRequestSchema } from "../schemas/routing";

// The routing script: POST /routing/test (what would this script do with this request, given the
// tenant's authorizers?), the editor's dry check, and the saved versions (from the audit trail).

/** Deeper JSON than any real principal/action never reaches the recursive schemas. */
const MAX_REQUEST_DEPTH = 48;

const PLACEHOLDER_CONFIG: RoutingConfig = { authorizers: ["default"], default: "default" };

function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return true;
    if (typeof node === "object" && node !== null)
      for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

function invalidRequest(issues: z.core.$ZodIssue[]): AppError {
  const details = issues.map((issue) => ({ path: ["request", ...issue.path].join("."), message: issue.message }));
  return new AppError("validation_failed", "The sample request is not valid", { details });
}

/** The sample completed with placeholders, then checked with the same schema real requests pass. */
function buildSampleRequest(sample: unknown): AuthorizationRequest {
  if (depthExceeds(sample, MAX_REQUEST_DEPTH))
    throw new AppError("validation_failed", "The sample request is nested too deeply");
  const parts = sampleRequestSchema.safeParse(sample);
  if (!parts.success) throw invalidRequest(parts.error.issues);
  const now = Date.now();
  const full = authorizationRequestSchema.safeParse({
    requestId: generateRequestId(),
    spId: "sp_routing_test",
    timestamp: new Date(now).toISOString(),
    expiresAt: new Date(now + 30 * 60_000).toISOString(),
    ...parts.data,
  });
  if (!full.success) throw invalidRequest(full.error.issues);
  return full.data;
}

function scriptIssues(script: string, config: RoutingConfig): RoutingScriptIssue[] {
  try {
    const result = validateRoutingScript(script, { authorizers: config.authorizers });
    return result.ok ? [] : result.issues;
  } catch {
    return [{ code: "limit_exceeded", message: "script could not be analysed", line: 1, column: 1, offset: 0 }];
  }
}

function describeOutcome(outcome: RoutingOutcome) {
  if (outcome.kind === "fallback") {
    return { targets: outcome.targets, fallback: true, fallbackReason: outcome.reason, message: outcome.message };
  }
  if (outcome.kind === "immediate") return { targets: outcome.targets, fallback: false, immediate: outcome.decision };
  return { targets: outcome.targets, fallback: false, source: outcome.source };
}

export async function testRoutingScriptRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const body = await readJsonBody(request, routingTestSchema);
  const sample = buildSampleRequest(body.request);
  const configured = await listAuthorizers(db, ctx);
  const fallbackName = configured.find((a) => a.isDefault)?.name;
  const config: RoutingConfig = fallbackName
    ? { authorizers: configured.filter((a) => a.enabled).map((a) => a.name), default: fallbackName }
    : PLACEHOLDER_CONFIG;
  const outcome = evaluateRoutingScript(body.script, sample, config);
  return json({
    ...describeOutcome(outcome),
    issues: body.script.trim() === "" ? [] : scriptIssues(body.script, config),
    config,
    ...(fallbackName
      ? {}
      : {
          note: 'This tenant has no authorizers yet: the script ran against {"authorizers": ["default"], "default": "default"}',
        }),
  });
}

const scriptSchema = z.strictObject({ script: z.string().max(64 * 1024) });

export async function validateRoutingScriptRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const { script } = await readJsonBody(request, scriptSchema);
  return json(await consoleQueryLoaders.routingCheck(db, ctx, script));
}

export async function listRoutingVersionsRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.routingVersions(db, ctx));
}

/**
 * Saves an earlier version again as the current script, through the same validated save as the
 * editor (a script naming an authorizer that no longer exists is refused with its position), and
 * records which version it came from.
 */
export async function restoreRoutingVersionRoute({ db, ctx, params }: TenantRequest<{ id: string }>) {
  const id = uuidParam(params.id, "version");
  const version = await getRoutingScriptVersion(db, ctx, id);
  if (!version) throw new AppError("not_found", "No such routing script version");
  const { settings } = await updateTenantSettings(
    db,
    ctx,
    { routingScript: version.script },
    { restoredFrom: version.id },
  );
  return json({ routingScript: settings.routingScript, restoredFrom: version.id });
}
