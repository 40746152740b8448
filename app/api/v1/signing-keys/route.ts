import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { createSigningKeyRoute, listSigningKeysRoute } from "@/lib/http/routes/signing-key-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey("keys:manage", listSigningKeysRoute),
  POST: withApiKey("keys:manage", createSigningKeyRoute),
});
