import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { json, type TenantRequest } from "@/lib/http/api-route";
import { verifyAuditTrail } from "@/lib/audit/verify-trail";
import { requestRanges, type RequestRange } from "./request-filters";

const verifyRangeSchema = z.object({
  range: z.enum(Object.keys(requestRanges) as [RequestRange, ...RequestRange[]]).optional(),
});

/** The console's "Verify integrity": the same check as GET /api/v1/audit/verify, over the page's time range. */
export async function verifyIntegrityRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const parsed = verifyRangeSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new AppError("validation_failed", "range is not one of the page's ranges");
  const hours = parsed.data.range ? requestRanges[parsed.data.range] : null;
  return json(
    await verifyAuditTrail(db, ctx, {
      from: hours === null ? null : new Date(Date.now() - hours * 3_600_000),
      to: null,
    }),
  );
}
