import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { cancelConsoleRequestRoute } from "@/lib/http/routes/request-routes";

// Cancelling changes traffic: the same permission as submitting (admins and owners, not viewers).
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession<{ requestId: string }>("requests:write", cancelConsoleRequestRoute),
});
