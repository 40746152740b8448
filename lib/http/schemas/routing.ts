import { z } from "zod";
import { actionSchema, principalSchema } from "@/lib/stepauth";

// POST /routing/test: a script and a sample request (principal and action; the rest is filled in).

/** The body as first read: the sample is checked on its own afterwards, so its issues name `request.…`. */
export const routingTestSchema = z.strictObject({ script: z.string().max(64 * 1024), request: z.unknown() });

/** The sample request: what a service would submit, without the fields the gateway fills in. */
export const sampleRequestSchema = z.strictObject({ principal: principalSchema, action: actionSchema });
