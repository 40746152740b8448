import type { z, ZodError } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { exceedsJsonDepth } from "@/lib/stepauth";

export const defaultMaxBodyBytes = 64 * 1024;
const MAX_BODY_DEPTH = 64;

/**
 * Reads a JSON body no larger than `maxBytes` (counted while streaming, so a lying Content-Length
 * does not help) and validates it with `schema` before anything else touches it.
 */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S, maxBytes = defaultMaxBodyBytes): Promise<z.infer<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as application/json");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new AppError("payload_too_large", `The body must be at most ${maxBytes} bytes`);
  const text = await readLimited(request, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The body is not valid JSON");
  }
  // Recursive validation of a body nested thousands deep would exhaust the stack: refuse it first.
  if (exceedsJsonDepth(value, MAX_BODY_DEPTH)) throw new AppError("validation_failed", `The body nests deeper than ${MAX_BODY_DEPTH} levels`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed(parsed.error);
  return parsed.data;
}

async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new AppError("payload_too_large", `The body must be at most ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("invalid_json", "The body is not valid UTF-8");
  }
}

/** A zod failure as the API's `validation_failed` error, with a path and message per issue. */
export function validationFailed(error: ZodError): AppError {
  const details = error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  return new AppError("validation_failed", "The request body is not valid", { details });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID cannot name anything: 404 rather than a database type error. */
export function uuidParam(value: string | undefined, what: string): string {
  if (!value || !uuidPattern.test(value)) throw new AppError("not_found", `No such ${what}`);
  return value.toLowerCase();
}
