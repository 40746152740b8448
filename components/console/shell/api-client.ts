/** A failed console API call, carrying the API's stable error code and any field details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(ApiError.describe(message, details));
  }

  // "The request body is not valid" alone helps nobody: append each field's problem.
  private static describe(message: string, details: unknown): string {
    if (!Array.isArray(details)) return message;
    const parts = details
      .map((d: { path?: string; message?: string; line?: number; column?: number }) =>
        d.line ? `line ${d.line}, column ${d.column}: ${d.message}` : d.path ? `${d.path}: ${d.message}` : d.message,
      )
      .filter(Boolean);
    return parts.length > 0 ? `${message} — ${parts.join("; ")}` : message;
  }
}

/**
 * Fetches a console API route as JSON; a 401 sends the browser back to the login page. With
 * `timeoutMs`, a call with no answer by then fails with code `timeout` instead of spinning forever;
 * a call that cannot reach the server at all fails with `network_error`. Both say what happened.
 */
export async function consoleFetch<T>(
  path: string,
  init?: RequestInit & { json?: unknown; timeoutMs?: number },
): Promise<T> {
  const { json, timeoutMs, ...rest } = init ?? {};
  let response: Response;
  try {
    response = await fetch(path, {
      ...rest,
      ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
      headers: json === undefined ? rest.headers : { "content-type": "application/json", ...rest.headers },
      body: json === undefined ? rest.body : JSON.stringify(json),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      throw new ApiError(
        0,
        "timeout",
        `No answer within ${Math.round((timeoutMs ?? 0) / 1000)} s: the gateway or your connection may be offline. Try again.`,
      );
    }
    throw new ApiError(
      0,
      "network_error",
      "The console could not reach the gateway: check your connection and try again.",
    );
  }
  // A lost session needs a full navigation (server redirect and fresh state), not a client transition.
  if (response.status === 401 && typeof window !== "undefined")
    window.location.replace(`${window.location.origin}/login`);
  if (response.status === 204) return undefined as T;
  const body = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new ApiError(response.status, body.error ?? "unknown", body.message ?? response.statusText, body.details);
  return body as T;
}
