import { apiRoute, withBenchFloorEnabled } from "@/lib/http/api-route";
import { benchFloorRoute } from "@/lib/http/routes/ops-routes";

// The framework floor for `npm run bench` (off unless BENCH_FLOOR_ROUTE=true; holds no data).
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withBenchFloorEnabled(benchFloorRoute),
});
