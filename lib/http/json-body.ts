import type { z } from "zod";
import { AppError, validationFailed } from "@/lib/errors/app-error";
import { exceedsJsonDepth, storableTextProblem } from "@/lib/stepauth";

export const defaultMaxBodyBytes = 64 * 1024;
const MAX_BODY_DEPTH = 64;

/**
 * Reads a JSON body no larger than `maxBytes` (counted while streaming, so a lying Content-Length
 * does not help) and validates it with `schema` before anything else touches it.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes = defaultMaxBodyBytes,
): Promise<z.infer<S>> {
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
  if (exceedsJsonDepth(value, MAX_BODY_DEPTH))
    throw new AppError("validation_failed", `The body nests deeper than ${MAX_BODY_DEPTH} levels`);
  const unstorable = findUnstorableText(value);
  if (unstorable) {
    const details = [
      { path: unstorable.path, message: `${unstorable.path || "body"} ${unstorable.problem.replaceAll("_", " ")}` },
    ];
    throw new AppError(
      "validation_failed",
      `${unstorable.path || "The body"} contains a NUL, control character or unpaired surrogate`,
      { details },
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed(parsed.error);
  return parsed.data;
}

/**
 * The first string (or member name) of a parsed body that no database column can hold — NUL, other
 * C0 controls, a lone surrogate — with its dotted path. Checked for every body, whatever its schema,
 * so no such text ever reaches a query and answers a database error.
 */
export function findUnstorableText(value: unknown, path = ""): { path: string; problem: string } | null {
  if (typeof value === "string") {
    const problem = storableTextProblem(value);
    return problem ? { path, problem } : null;
  }
  if (typeof value !== "object" || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path ? `${path}.${key}` : key;
    const keyProblem = storableTextProblem(key);
    if (keyProblem) return { path: itemPath, problem: keyProblem };
    const found = findUnstorableText(item, itemPath);
    if (found) return found;
  }
  return null;
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

/** A JSON body that may be absent: no body (or an empty one) means `{}` (DELETE and confirmation bodies). */
export async function readOptionalBody<S extends z.ZodType<object>>(
  request: Request,
  schema: S,
): Promise<z.infer<S> | Record<string, never>> {
  if (request.body === null || request.headers.get("content-length") === "0") return {};
  // Behind some servers a body-less DELETE still has an (empty) stream: no type and nothing in it is no body.
  if (!request.headers.get("content-type")) {
    if ((await readLimited(request, defaultMaxBodyBytes)).trim() === "") return {};
    throw new AppError("unsupported_media_type", "Send the body as application/json");
  }
  return readJsonBody(request, schema);
}
