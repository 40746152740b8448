import { z } from "zod";
import { decodeAuditCursor, listAuditEvents } from "@/db/queries/audit";
import { AppError } from "@/lib/errors/app-error";
import { apiRoute, json, withApiKey } from "@/lib/http/api-route";

const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().max(300).optional(),
});

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  // Newest first, `limit` per page; follow `nextCursor` (as `?cursor=`) until it is null.
  GET: withApiKey("config:read", async ({ db, ctx, request }) => {
    const parsed = auditQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success)
      throw new AppError("validation_failed", "Invalid paging", {
        details: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    const cursor = parsed.data.cursor === undefined ? undefined : decodeAuditCursor(parsed.data.cursor);
    if (cursor === null) throw new AppError("validation_failed", "Invalid cursor");
    return json(await listAuditEvents(db, ctx, { limit: parsed.data.limit, cursor }));
  }),
});
