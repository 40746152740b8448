import { z } from "zod";
import { apiKeyScopes } from "@/db/enum-values";
import { refineReadable } from "@/lib/stepauth";

// Shared by /api/v1/api-keys and /api/console/api-keys.

/** POST /api-keys: a readable name and at least one scope (only scopes the caller holds are granted). */
export const createApiKeySchema = z.object({
  name: z.string().trim().min(1).max(100).superRefine(refineReadable("name")),
  scopes: z.array(z.enum(apiKeyScopes)).min(1),
});

/** DELETE /api-keys/{id}: revoking a key in use needs its name typed again. */
export const revokeApiKeySchema = z.strictObject({ confirmName: z.string().max(100).optional() });
