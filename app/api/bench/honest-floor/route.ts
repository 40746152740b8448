import { AppError } from "@/lib/errors/app-error";
import { runHonestFloor } from "@/lib/gateway/bench-floor";
import { submitRequestSchema } from "@/lib/gateway/submit";
import { apiRoute, json, withApiKey } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { config } from "@/lib/config/env";

// The honest floor for `npm run bench`: the irreducible work of a submit (authenticate, parse, validate,
// sign, one insert, one authorizer call, one update). Off unless BENCH_FLOOR_ROUTE=true: 404 before the
// API key is even looked at, so the route does not exist for anyone in a normal deployment.
const honestFloor = withApiKey("requests:write", async ({ db, ctx, request }) => {
  const input = await readJsonBody(request, submitRequestSchema);
  const { requestId, status } = await runHonestFloor(db, ctx, input);
  return json({ requestId, status }, status === "pending" ? 202 : 200);
});

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: async (request, context) => {
    if (!config().BENCH_FLOOR_ROUTE) throw new AppError("not_found", "No API route at /api/bench/honest-floor");
    return honestFloor(request, context);
  },
});
