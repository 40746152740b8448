import { z } from "zod";
import { isValidKeyId, REQUEST_ID_PATTERN } from "@/lib/stepauth";
import { AUTHORIZER_NAME_PATTERN } from "./authorizers";

// Path segments, defined once: ../params.ts reads them with these (a segment that fails names
// nothing: 404), and the OpenAPI tables describe the path parameters with the same schemas.

/** A row id: any 8-4-4-4-12 hex form (ids we never issued are simply not found, whatever their version bits). */
export const uuidSegmentSchema = z.guid();

/** An authorization request id (`req_…`). */
export const requestIdSegmentSchema = z.string().regex(REQUEST_ID_PATTERN);

/** An authorizer name, as routing scripts return it. */
export const authorizerNameSegmentSchema = z.string().regex(AUTHORIZER_NAME_PATTERN);

/** A signing key id. */
export const keyIdSegmentSchema = z
  .string()
  .refine((value) => isValidKeyId(value))
  .describe("A key id: 1–128 letters, digits, . _ : -");
