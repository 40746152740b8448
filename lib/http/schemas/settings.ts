import { z } from "zod";
import { checkOutboundUrl, isPrivateHost, privateNetworkAllowed } from "@/lib/net/outbound";
import { ROUTING_SCRIPT_LIMITS } from "@/lib/stepauth";

// Shared by /api/v1/settings and, later, the console's settings screen.

export const retryPolicySchema = z.strictObject({
  maxAttempts: z.int().min(1).max(10),
  baseDelayMs: z.int().min(50).max(10_000),
  factor: z.number().min(1).max(4),
  attemptTimeoutMs: z.int().min(500).max(30_000),
});

/** Where authorizers reach us (callbacks): an origin only, https unless private networks are allowed. */
export const publicBaseUrlSchema = z
  .string()
  .max(2048)
  .superRefine((raw, ctx) => {
    const url = URL.canParse(raw) ? new URL(raw) : null;
    const problem = !url
      ? "must be an absolute URL"
      : url.protocol !== "https:" && !(url.protocol === "http:" && privateNetworkAllowed())
        ? "must use https"
        : url.username || url.password
          ? "must not contain credentials"
          : !privateNetworkAllowed() && isPrivateHost(url.hostname)
            ? "must not point at a private or special-purpose address"
            : url.pathname !== "/" || url.search || url.hash || raw.includes("?") || raw.includes("#")
              ? "must not have a path, query or fragment beyond /"
              : null;
    if (problem) ctx.addIssue({ code: "custom", message: `publicBaseUrl ${problem}` });
  })
  .transform((raw) => new URL(raw).origin);

export const webhookUrlSchema = z
  .string()
  .max(2048)
  .superRefine((url, ctx) => {
    const problem = checkOutboundUrl(url);
    if (problem) ctx.addIssue({ code: "custom", message: `webhookUrl refused: ${problem}`, params: { problem } });
  });

/** PUT /settings: every field optional, unknown fields refused. `null` clears a field. */
export const tenantSettingsPatchSchema = z.strictObject({
  routingScript: z
    .string()
    .max(ROUTING_SCRIPT_LIMITS.maxScriptBytes * 4)
    .nullable()
    .optional(),
  unavailabilityPolicy: z.enum(["fail_closed", "fail_open"]).optional(),
  retryPolicy: retryPolicySchema.partial().nullable().optional(),
  defaultExpiresIn: z.int().min(60).max(604_800).optional(),
  /** How long after an approval its execution may be claimed: 1 minute to 24 hours (never past expiresAt). */
  executionWindowSeconds: z.int().min(60).max(86_400).optional(),
  /** Purge finished requests older than this many days (sealed purge records keep the trail verifiable); null keeps everything. */
  retentionDays: z.int().min(1).max(36_500).nullable().optional(),
  publicBaseUrl: publicBaseUrlSchema.nullable().optional(),
  webhookUrl: webhookUrlSchema.nullable().optional(),
  rotateWebhookSecret: z.boolean().optional(),
  /** With rotateWebhookSecret: how long the replaced secret keeps signing too (0: stop at once, e.g. after a leak). */
  webhookSecretGraceSeconds: z.int().min(0).max(604_800).optional(),
});
export type TenantSettingsPatchInput = z.infer<typeof tenantSettingsPatchSchema>;
