import { listAuditEvents } from "@/db/queries/audit";
import { apiRoute, json, withApiKey } from "@/lib/http/api-route";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey("config:read", async ({ db, ctx }) => json({ data: await listAuditEvents(db, ctx) })),
});
