import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { claimExecution, reportExecution } from "@/lib/gateway/execution-claim";
import { apiRoute, json, withApiKey } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { REQUEST_ID_PATTERN } from "@/lib/stepauth";

const executionBodySchema = z.union([
  z
    .object({
      payloadSha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/, "payloadSha256 must be 64 lowercase hex digits")
        .optional(),
    })
    .strict(),
  z.object({ status: z.enum(["success", "error"]), error: z.string().min(1).max(2000).optional() }).strict(),
]);

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  // An empty body or `{payloadSha256}` claims the execution (200 once, 409 after, 410 after its
  // window); `{status, error?}` reports its result.
  POST: withApiKey<{ requestId: string }>("requests:write", async ({ db, ctx, request, params }) => {
    if (!REQUEST_ID_PATTERN.test(params.requestId))
      throw new AppError("unknown_request", "No such authorization request");
    const hasBody = Number(request.headers.get("content-length") ?? "0") > 0 || request.headers.has("content-type");
    const body: z.infer<typeof executionBodySchema> = hasBody ? await readJsonBody(request, executionBodySchema) : {};
    if ("status" in body && body.status)
      return json(await reportExecution(db, ctx, params.requestId, { status: body.status, error: body.error }));
    return json(
      await claimExecution(
        db,
        ctx,
        params.requestId,
        "payloadSha256" in body ? { payloadSha256: body.payloadSha256 } : {},
      ),
    );
  }),
});
