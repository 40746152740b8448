import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { apiRoute, json, withApiKey } from "@/lib/http/api-route";
import { storableInstantSchema } from "@/lib/http/instant-param";
import { verifyAuditTrail } from "@/lib/audit/verify-trail";

const verifyQuerySchema = z.object({
  from: storableInstantSchema.optional(),
  to: storableInstantSchema.optional(),
});

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  // Checks the hash chains and signed checkpoints covering [from, to] (ISO 8601; both optional).
  GET: withApiKey("requests:read", async ({ db, ctx, request }) => {
    const parsed = verifyQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success)
      throw new AppError("validation_failed", "from and to must be ISO 8601 date-times from 1970 to 9999", {
        details: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    const from = parsed.data.from ?? null;
    const to = parsed.data.to ?? null;
    if (from && to && from > to) throw new AppError("validation_failed", "from must not be after to");
    return json(await verifyAuditTrail(db, ctx, { from, to }));
  }),
});
