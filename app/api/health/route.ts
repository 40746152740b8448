import { apiRoute } from "@/lib/http/api-route";
import { healthRoute } from "@/lib/http/routes/ops-routes";

// Unauthenticated on purpose: load balancers call it, and it says nothing a stranger could use.
export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: healthRoute,
});
