import { apiRoute, withCronSecret } from "@/lib/http/api-route";
import { cronTickRoute } from "@/lib/http/routes/cron-routes";

// For serverless hosts without a long-lived worker: a scheduler calls this every minute or more
// often (Vercel Cron sends GET with `Authorization: Bearer $CRON_SECRET`; others may POST).
export const maxDuration = 60;

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withCronSecret(cronTickRoute),
  POST: withCronSecret(cronTickRoute),
});
