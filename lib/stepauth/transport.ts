/**
 * The HTTP transport the authorizer client sends through. Injectable so tests and other runtimes
 * can replace it; the default is undici with a keep-alive `Agent` and a response size cap.
 */
import { Agent, request, type Dispatcher } from "undici";

/** One POST to an authorizer. */
export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Aborted when the per-attempt timeout fires. */
  signal: AbortSignal;
}

/** The authorizer's answer; header names are lower-case. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/**
 * Sends one request. Rejects on network failure or abort; resolves for every HTTP status.
 *
 * @example
 * ```ts
 * const transport: HttpTransport = async (req) => ({ status: 202, headers: {}, body: "{}" });
 * ```
 */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/** Responses larger than this are cut off: a decision envelope is at most 64 KiB. */
export const MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * A call the transport refuses to make or to finish. Unlike a network error it is never retried:
 * the same call would be refused again. A transport may throw it for its own policy (an SSRF guard).
 *
 * @example
 * ```ts
 * throw new TransportRefusedError("destination_refused", "the endpoint resolves to a private address");
 * ```
 */
export class TransportRefusedError extends Error {
  override readonly name: string = "TransportRefusedError";
  constructor(
    readonly code: "response_too_large" | "destination_refused",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Raised by the default transport when a response body exceeds {@link MAX_RESPONSE_BYTES}. */
export class ResponseTooLargeError extends TransportRefusedError {
  override readonly name = "ResponseTooLargeError";
  constructor(message: string) {
    super("response_too_large", message);
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/**
 * Creates the default transport: `undici.request` over a keep-alive `Agent` (one per client
 * unless a dispatcher is shared), reading at most `maxResponseBytes` of the body.
 *
 * @example
 * ```ts
 * const transport = createUndiciTransport({ dispatcher: new Agent({ keepAliveTimeout: 10_000 }) });
 * ```
 */
export function createUndiciTransport(
  options: { dispatcher?: Dispatcher; maxResponseBytes?: number } = {},
): HttpTransport {
  const dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  const limit = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  return async (req) => {
    const response = await request(req.url, {
      method: "POST",
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      dispatcher,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        response.body.destroy();
        throw new ResponseTooLargeError(`response exceeds ${limit} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: Buffer.concat(chunks).toString("utf8"),
    };
  };
}
