import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { activateSigningKeyRoute } from "@/lib/http/routes/signing-key-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession<{ keyId: string }>("keys:manage", activateSigningKeyRoute),
});
