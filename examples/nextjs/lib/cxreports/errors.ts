// Refusals and failures as the widget reads them: a status and a JSON body
// {"error": "…"} written for the person who sees it.

/** An answer other than success: its status, a message for the reader, and extra headers. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly upstreamStatus?: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A JSON answer that no cache keeps. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", "x-content-type-options": "nosniff", ...headers },
  });
}

/** The answer for a thrown `HttpError`, or a plain 500 for anything else. */
export function failure(error: unknown): Response {
  if (error instanceof HttpError) return json(error.status, { error: error.message, kind: error.kind }, error.headers);
  return json(500, { error: "The server failed. Try again in a moment.", kind: "internal" });
}
