import { z } from "zod";
import { listSandboxRegistrations, updateSandboxPolicy } from "@/db/queries/sandbox-registrations";
import { DEFAULT_POLICY_RULES, policyRulesSchema } from "@/lib/sandbox/policy";
import { AppError } from "@/lib/errors/app-error";
import { apiRoute, json, withConsoleSession } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";

const updatePolicySchema = z.object({ spId: z.string().min(1).max(128), rules: policyRulesSchema }).strict();

// The sandbox authorizer's policy per registered SP of this tenant: ordered CEL rules, first match
// decides, no match goes to one reviewer. Rules are compiled on save (errors name the rule).
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", async ({ db, ctx }) => {
    const registrations = await listSandboxRegistrations(db, ctx);
    return json({
      data: registrations.map((r) => ({ spId: r.spId, name: r.name, rules: r.policyRules })),
      defaults: DEFAULT_POLICY_RULES,
    });
  }),
  PUT: withConsoleSession("config:write", async ({ db, ctx, request }) => {
    const { spId, rules } = await readJsonBody(request, updatePolicySchema);
    const updated = await updateSandboxPolicy(db, ctx, spId, rules);
    if (!updated) throw new AppError("not_found", "This tenant has no sandbox registration with that spId");
    return json({ spId: updated.spId, rules: updated.policyRules });
  }),
});
