/** A failed console API call, carrying the API's stable error code. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Fetches a console API route as JSON; a 401 sends the browser back to the login page. */
export async function consoleFetch<T>(path: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const { json, ...rest } = init ?? {};
  const response = await fetch(path, {
    ...rest,
    headers: json === undefined ? rest.headers : { "content-type": "application/json", ...rest.headers },
    body: json === undefined ? rest.body : JSON.stringify(json),
  });
  // A lost session needs a full navigation (server redirect and fresh state), not a client transition.
  if (response.status === 401 && typeof window !== "undefined") window.location.replace(`${window.location.origin}/login`);
  if (response.status === 204) return undefined as T;
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body.error ?? "unknown", body.message ?? response.statusText);
  return body as T;
}
