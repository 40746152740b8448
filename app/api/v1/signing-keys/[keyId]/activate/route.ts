import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { activateSigningKeyRoute } from "@/lib/http/routes/signing-key-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withApiKey<{ keyId: string }>("keys:manage", activateSigningKeyRoute),
});
