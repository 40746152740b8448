import { AppError } from "@/lib/errors/app-error";
import { benchFloorSigner } from "@/lib/gateway/bench-floor";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { signJsonPayload } from "@/lib/stepauth";
import { submitRequestSchema } from "@/lib/gateway/submit";
import { config } from "@/lib/config/env";

// The framework floor for `npm run bench`: what any submit costs before the gateway's own work
// (read and parse the same body, sign once). Off unless BENCH_FLOOR_ROUTE=true; holds no data.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: async (request) => {
    if (!config().BENCH_FLOOR_ROUTE) throw new AppError("not_found", "No API route at /api/bench/floor");
    const body = await readJsonBody(request, submitRequestSchema);
    const envelope = signJsonPayload(body, [benchFloorSigner()]);
    return json({ signatures: envelope.signatures.length }, 202);
  },
});
