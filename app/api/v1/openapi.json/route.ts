import { apiRoute, json } from "@/lib/http/api-route";
import { openApiDocument } from "@/lib/http/openapi";

// Public on purpose: the API's description holds no tenant data.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: async () => json(openApiDocument),
});
