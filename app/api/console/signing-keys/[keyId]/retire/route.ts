import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { retireSigningKeyRoute } from "@/lib/http/routes/signing-key-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession<{ keyId: string }>("keys:manage", retireSigningKeyRoute),
});
