import { z } from "zod";
import { checkOutboundUrl } from "@/lib/net/outbound";
import { importPublicKey, isValidKeyId, spIdSchema } from "@/lib/stepauth";

// Shared by /api/v1/authorizers and, later, the console's authorizer screens.

/** Authorizer names: what routing scripts return, so never a `$` token and never blank. */
export const AUTHORIZER_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
export const MAX_AUTHORIZER_PUBLIC_KEYS = 10;

export const authorizerNameSchema = z
  .string()
  .refine((name) => !name.startsWith("$"), "names starting with $ are reserved for routing tokens ($approve, $deny)")
  .refine(
    (name) => AUTHORIZER_NAME_PATTERN.test(name),
    "name must be 1–64 characters: a letter or _ first, then letters, digits, _ . -",
  );

/** An outbound URL, with checkOutboundUrl's problem code as the issue message. */
export const authorizerEndpointSchema = z
  .string()
  .max(2048)
  .superRefine((url, ctx) => {
    const problem = checkOutboundUrl(url);
    if (problem) ctx.addIssue({ code: "custom", message: `endpoint refused: ${problem}`, params: { problem } });
  });

function isImportablePublicKey(encoded: string): boolean {
  try {
    importPublicKey(encoded);
    return true;
  } catch {
    return false;
  }
}

const authorizerPublicKeySchema = z.strictObject({
  keyId: z.string().refine(isValidKeyId, "keyId is not a valid key id"),
  algorithm: z.literal("ed25519"),
  publicKey: z
    .string()
    .max(512)
    .refine(isImportablePublicKey, "publicKey must be a base64 SPKI DER Ed25519 public key"),
});

export const authorizerPublicKeysSchema = z
  .array(authorizerPublicKeySchema)
  .min(1)
  .max(MAX_AUTHORIZER_PUBLIC_KEYS)
  .superRefine((keys, ctx) => {
    const seen = new Set<string>();
    keys.forEach((key, index) => {
      if (seen.has(key.keyId))
        ctx.addIssue({ code: "custom", message: `duplicate keyId ${key.keyId}`, path: [index, "keyId"] });
      seen.add(key.keyId);
    });
  });

const authorizerFields = {
  endpoint: authorizerEndpointSchema,
  spId: spIdSchema,
  publicKeys: authorizerPublicKeysSchema,
  signingKeyId: z.string().refine(isValidKeyId, "signingKeyId is not a valid key id").nullable(),
  isDefault: z.boolean(),
  enabled: z.boolean(),
  pollOnly: z.boolean(),
};

export const createAuthorizerSchema = z.strictObject({
  name: authorizerNameSchema,
  ...authorizerFields,
  signingKeyId: authorizerFields.signingKeyId.optional(),
  isDefault: z.boolean().optional(),
  enabled: z.boolean().optional(),
  pollOnly: z.boolean().optional(),
});
export type CreateAuthorizerInput = z.infer<typeof createAuthorizerSchema>;

export const updateAuthorizerSchema = z
  .strictObject({
    name: authorizerNameSchema,
    ...authorizerFields,
    confirmRemovedKeyIds: z.array(z.string().max(128)).max(20),
  })
  .partial()
  .refine(
    ({ confirmRemovedKeyIds: _c, ...patch }) => Object.keys(patch).length > 0,
    "send at least one field to change",
  );
export type UpdateAuthorizerInput = z.infer<typeof updateAuthorizerSchema>;

/** DELETE /authorizers/{name}: deleting one that pending requests wait on needs its name typed again. */
export const deleteAuthorizerSchema = z.strictObject({ confirmName: z.string().max(100).optional() });
