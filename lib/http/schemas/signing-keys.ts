import { z } from "zod";
import { isValidKeyId } from "@/lib/stepauth";

// Shared by /api/v1/signing-keys and the console's key screens.

/** POST /signing-keys: an optional keyId of the caller's choosing (else one is generated). */
export const createSigningKeySchema = z.strictObject({
  keyId: z.string().refine(isValidKeyId, "keyId is not a valid key id").optional(),
});

/** POST /signing-keys/{keyId}/retire: retiring a key some enabled authorizer may still rely on needs its id typed again. */
export const retireSigningKeySchema = z.strictObject({
  confirmKeyId: z.string().max(128).optional(),
});
