import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { getSandboxPolicyRoute, updateSandboxPolicyRoute } from "@/lib/http/routes/sandbox-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", getSandboxPolicyRoute),
  PUT: withConsoleSession("config:write", updateSandboxPolicyRoute),
});
