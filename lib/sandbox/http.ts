/**
 * The wrapper of every `/api/sandbox-authorizer/**` handler, in the style of lib/http/api-route:
 * there is no session or API key; the body is read with the 64 KiB limit, any body problem is the
 * protocol's `malformed_request`, and the SP is authenticated by its envelope signature against
 * its registration before the handler runs.
 */
import { z } from "zod";
import { getDb, type Database } from "@/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { RouteHandler } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { authenticateSpEnvelope, type AuthenticatedSpCall } from "./inbound";

/** What a sandbox handler receives: the database and the authenticated SP call. */
export interface SandboxSpRequest {
  db: Database;
  call: AuthenticatedSpCall;
}

async function readEnvelopeBody(request: Request): Promise<unknown> {
  try {
    return await readJsonBody(request, z.unknown());
  } catch (error) {
    if (error instanceof AppError) throw new AppError("malformed_request", error.message);
    throw error;
  }
}

/**
 * Builds an SP-facing handler: body → envelope → registration → signature → rate limit → handler.
 *
 * @example
 * ```ts
 * export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
 *   POST: withSandboxSpEnvelope(async ({ db, call }) => json(await pollSandboxRequest(db, call))),
 * });
 * ```
 */
export function withSandboxSpEnvelope(handler: (input: SandboxSpRequest) => Promise<Response>): RouteHandler {
  return async (request) => {
    const db = getDb();
    const body = await readEnvelopeBody(request);
    const call = await authenticateSpEnvelope(db, body);
    return handler({ db, call });
  };
}
