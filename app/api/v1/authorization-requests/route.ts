import { z } from "zod";
import { decodeCursor, listRequests } from "@/db/queries/authorization-requests";
import { requestStatus } from "@/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { idempotencyKeySchema, submitAuthorizationRequest, submitRequestSchema } from "@/lib/gateway/submit";
import { apiRoute, json, withApiKey } from "@/lib/http/api-route";
import { storableInstantSchema } from "@/lib/http/instant-param";
import { readJsonBody } from "@/lib/http/json-body";

const listQuerySchema = z.object({
  status: z.enum(requestStatus.enumValues).optional(),
  actionType: z.string().max(200).optional(),
  category: z.string().max(200).optional(),
  principalType: z.enum(["human", "service", "agent"]).optional(),
  authorizer: z.string().max(64).optional(),
  from: storableInstantSchema.optional(),
  to: storableInstantSchema.optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
});

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withApiKey("requests:write", async ({ db, ctx, request }) => {
    const rawKey = request.headers.get("idempotency-key");
    const key = rawKey === null ? null : idempotencyKeySchema.safeParse(rawKey);
    if (key && !key.success)
      throw new AppError("validation_failed", "Idempotency-Key must be 1–200 printable ASCII characters");
    const input = await readJsonBody(request, submitRequestSchema);
    const { view, replayed } = await submitAuthorizationRequest(db, ctx, input, key?.data ?? null);
    return json(view, view.status === "pending" ? 202 : 200, replayed ? { "idempotent-replayed": "true" } : undefined);
  }),
  GET: withApiKey("requests:read", async ({ db, ctx, request }) => {
    const parsed = listQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success)
      throw new AppError("validation_failed", "Invalid filters", {
        details: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    const { from, to, cursor, ...filters } = parsed.data;
    const decoded = cursor ? decodeCursor(cursor) : undefined;
    if (decoded === null) throw new AppError("validation_failed", "Invalid cursor");
    return json(await listRequests(db, ctx, { ...filters, from, to, cursor: decoded }));
  }),
});
