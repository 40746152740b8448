import { apiRoute, withApiKey, withBenchFloorEnabled } from "@/lib/http/api-route";
import { honestFloorRoute } from "@/lib/http/routes/ops-routes";

// The honest floor for `npm run bench` (off unless BENCH_FLOOR_ROUTE=true, before the API key is looked at).
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withBenchFloorEnabled(withApiKey("requests:write", honestFloorRoute)),
});
