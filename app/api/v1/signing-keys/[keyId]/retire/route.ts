import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { retireSigningKeyRoute } from "@/lib/http/routes/signing-key-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withApiKey<{ keyId: string }>("keys:manage", retireSigningKeyRoute),
});
