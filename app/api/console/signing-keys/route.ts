import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { createSigningKeyRoute, listConsoleSigningKeysRoute } from "@/lib/http/routes/signing-key-routes";

// Views carry public keys only, so every member may read them; rotating is an owner's job.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", listConsoleSigningKeysRoute),
  POST: withConsoleSession("keys:manage", createSigningKeyRoute),
});
