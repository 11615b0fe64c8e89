// What every endpoint checks before it calls CxReports, in this order: the
// Host (DNS rebinding), the page's Origin (only configured origins, never one
// derived from Host), the signed-in session (401 for strangers), and for a
// POST the X-Requested-With header a cross-site form cannot send, then the
// rate limit. Errors become the JSON answers the widget shows its reader.
import "server-only";
import type { NextRequest } from "next/server";
import { log, settings } from "./config";
import { failure, HttpError, json } from "./errors";
import { rateLimit } from "./limits";
import { type User, signedInUser } from "./session";
import { SettingsError, type Settings } from "./settings";

/** What a checked request hands its endpoint. */
export type Checked = { request: NextRequest; user: User; settings: Settings };

/** Whether the Host header names one of `ALLOWED_HOSTS` (by name, or by name and port). */
export function hostAllowed(host: string | null, allowed: string[]): boolean {
  const h = (host ?? "").toLowerCase();
  const name = h.match(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/)?.[1];
  return name !== undefined && allowed.some((a) => a === name || a === h);
}

/** Whether a page origin is one of `ALLOWED_ORIGINS` (`http://localhost:*` allows any port). */
export function originAllowed(origin: string, allowed: string[]): boolean {
  return allowed.some(
    (o) => o === origin || (o.endsWith(":*") && origin.startsWith(o.slice(0, -1)) && /^\d{1,5}$/.test(origin.slice(o.length - 1))),
  );
}

/** Host and Origin checks, shared with the demo sign-in. */
export function checkHostAndOrigin(request: NextRequest, current: Settings): void {
  if (!hostAllowed(request.headers.get("host"), current.allowedHosts)) {
    throw new HttpError(421, "bad_host", "This site does not answer for that host name. The administrator should add it to ALLOWED_HOSTS.");
  }
  const origin = request.headers.get("origin");
  if (origin && !originAllowed(origin, current.allowedOrigins)) {
    throw new HttpError(403, "csrf", `Requests from the page ${origin} are not allowed. The administrator should add it to ALLOWED_ORIGINS.`);
  }
}

/** The CSRF check of a POST: a cross-site form cannot send X-Requested-With. */
export function checkCsrfHeader(request: NextRequest): void {
  if (!(request.headers.get("x-requested-with") ?? "").trim()) {
    throw new HttpError(403, "csrf", "This request lacks the X-Requested-With header. Send it (the widget sends X-Requested-With: cxreports-widget).");
  }
}

/** The checked settings, or a 500 that sends the administrator to the log. */
export function currentSettings(): Settings {
  try {
    return settings();
  } catch (error) {
    if (error instanceof SettingsError) log(`not configured: ${error.message}`);
    throw new HttpError(500, "not_configured", "The reports are not set up on this site yet. Tell the site's administrator.");
  }
}

/**
 * A route handler for one endpoint: runs the checks, counts POSTs against the
 * rate limit named `what`, and answers what `body` returns as JSON (or, if it
 * returns a Response, that Response).
 */
export function endpoint(what: string, body: (checked: Checked) => Promise<unknown>) {
  return async function handler(request: NextRequest): Promise<Response> {
    try {
      const current = currentSettings();
      checkHostAndOrigin(request, current);
      const user = signedInUser(request);
      if (!user) throw new HttpError(401, "unauthenticated", "Sign in first, then try again.");
      if (request.method === "POST") {
        checkCsrfHeader(request);
        const windows: [string, number][] = [[`user ${user.id}`, current.ratePerUser]];
        const client = current.clientAddressHeader && request.headers.get(current.clientAddressHeader)?.split(",").at(-1)?.trim();
        if (client) windows.push([`client ${client}`, current.ratePerClient]);
        rateLimit(what, windows, current.rateWindowMs);
      }
      const answer = await body({ request, user, settings: current });
      return answer instanceof Response ? answer : json(200, answer);
    } catch (error) {
      if (!(error instanceof HttpError)) log(`${request.method} ${request.nextUrl.pathname}: ${String((error as Error)?.stack ?? error)}`);
      return failure(error);
    }
  };
}
