/**
 * zod schemas for the authorization request and its parts, with every rule of the wire profile:
 * CEL-safe unique entry keys, at most five principals, no operator under a human, a required
 * summary, `expiresAt` after `timestamp`, the requestId format and the callback URL policy; and
 * every field a reviewer reads displays as what it is (no bidi or invisible format characters).
 */
import { z } from "zod";
import { refineReadable } from "./readable-text";

/** Entry keys must be addressable in CEL: `request.action.details.<key>`. */
export const ENTRY_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** `req_` + at least 16 URL-safe characters (capped so ids stay index-friendly). */
export const REQUEST_ID_PATTERN = /^req_[A-Za-z0-9_-]{16,124}$/;
/** At most five principals in an operator chain. */
export const MAX_PRINCIPAL_CHAIN = 5;
/** Summary length limit, in characters (code points). */
export const MAX_SUMMARY_CHARS = 4000;
/** Principal types; a `human` is always the end of the chain. */
export const PRINCIPAL_TYPES = ["human", "service", "agent"] as const;
/** Suggested action categories; any string is allowed. */
export const SUGGESTED_ACTION_CATEGORIES = [
  "data.read",
  "data.export",
  "data.delete",
  "identity.escalate",
  "infra.destroy",
  "financial.transfer",
] as const;

/** A labeled entry: `value` is a string or a nested list of entries. */
export interface Entry {
  key: string;
  label: string;
  value: string | Entry[];
}

/** A principal and, for services and agents, who operates it. */
export interface Principal {
  type: (typeof PRINCIPAL_TYPES)[number];
  attributes: Entry[];
  operator?: Principal | undefined;
}

/**
 * An array of labeled entries with unique, CEL-safe keys.
 *
 * @example
 * ```ts
 * entryListSchema.parse([{ key: "serial", label: "Serial", value: "C02ZX1ABCDEF" }]);
 * ```
 */
export const entryListSchema: z.ZodType<Entry[]> = z.lazy(() =>
  z.array(entrySchema).superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((item, index) => {
      if (seen.has(item.key)) {
        ctx.addIssue({ code: "custom", message: `duplicate key "${item.key}"`, path: [index, "key"] });
      }
      seen.add(item.key);
    });
  }),
);

/**
 * One labeled entry.
 *
 * @example
 * ```ts
 * entrySchema.parse({ key: "reason", label: "Reason", value: "Employee offboarding" });
 * ```
 */
export const entrySchema: z.ZodType<Entry> = z.object({
  key: z.string().regex(ENTRY_KEY_PATTERN, "key must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$"),
  label: z.string().superRefine(refineReadable("label")),
  value: z.union([z.string().superRefine(refineReadable("value")), entryListSchema]),
});

const principalTypeSchema = z.enum(PRINCIPAL_TYPES);

/**
 * A principal chain: at most five principals, and a human never has an operator.
 *
 * @example
 * ```ts
 * principalSchema.parse({ type: "agent", attributes: [], operator: { type: "human", attributes: [] } });
 * ```
 */
export const principalSchema: z.ZodType<Principal> = z
  .lazy(() =>
    z.object({
      type: principalTypeSchema,
      attributes: entryListSchema,
      operator: principalSchema.optional(),
    }),
  )
  .superRefine((principal, ctx) => {
    if (principal.type === "human" && principal.operator !== undefined) {
      ctx.addIssue({ code: "custom", message: "a human principal cannot have an operator", path: ["operator"] });
    }
  });

/**
 * A reviewer named in a decision: `{type, attributes}`.
 *
 * @example
 * ```ts
 * reviewerSchema.parse({ type: "human", attributes: [] });
 * ```
 */
export const reviewerSchema = z.object({ type: principalTypeSchema, attributes: entryListSchema });

/**
 * RFC 3339 UTC timestamp (`Z`), any fractional precision.
 *
 * @example
 * ```ts
 * utcTimestampSchema.parse("2026-02-18T14:30:00Z");
 * ```
 */
export const utcTimestampSchema = z.iso.datetime({ offset: false });
/** RFC 3339 timestamp with `Z` or a numeric offset. */
export const rfc3339TimestampSchema = z.iso.datetime({ offset: true });

/**
 * The requestId format: `req_` + at least 16 URL-safe characters.
 *
 * @example
 * ```ts
 * requestIdSchema.parse("req_a1b2c3d4e5f6a7b8c9d0");
 * ```
 */
export const requestIdSchema = z.string().regex(REQUEST_ID_PATTERN, "requestId must be req_ + ≥16 URL-safe characters");

/**
 * A service provider identity.
 *
 * @example
 * ```ts
 * spIdSchema.parse("sp_acme_mdm");
 * ```
 */
export const spIdSchema = z.string().min(1).max(128).superRefine(refineReadable("spId"));

function countCodePoints(text: string, stopAt: number): number {
  let count = 0;
  for (const _ of text) if (++count > stopAt) break;
  return count;
}

/**
 * The action: what will happen if approved. `summary` is required, non-blank, ≤ 4,000 characters.
 *
 * @example
 * ```ts
 * actionSchema.parse({ type: "device.wipe", summary: "If approved, the laptop will be wiped." });
 * ```
 */
export const actionSchema = z.object({
  type: z.string().min(1).max(200).superRefine(refineReadable("type")),
  category: z.string().min(1).max(200).superRefine(refineReadable("category")).optional(),
  summary: z
    .string()
    .superRefine(refineReadable("summary"))
    .refine((text) => text.trim().length > 0, "summary is required")
    .refine(
      (text) => countCodePoints(text, MAX_SUMMARY_CHARS) <= MAX_SUMMARY_CHARS,
      "summary exceeds 4,000 characters",
    ),
  details: entryListSchema.optional(),
});

/** Action as validated; `details` absent when the SP sent none. */
export type Action = z.infer<typeof actionSchema>;
