// POST /api/auth/demo-sign-in {"user": "name"}: signs anyone in by name. A
// demo only: it answers 404 unless DEMO_SIGN_IN=on. Replace it with your
// app's own sign-in (see lib/cxreports/session.ts).
import type { NextRequest } from "next/server";
import { HttpError, failure, json } from "@/lib/cxreports/errors";
import { checkCsrfHeader, checkHostAndOrigin, currentSettings } from "@/lib/cxreports/guard";
import { SESSION_COOKIE, SESSION_SECONDS, sessionCookieValue } from "@/lib/cxreports/session";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest): Promise<Response> {
  try {
    const settings = currentSettings();
    if (!settings.demoSignIn) throw new HttpError(404, "not_found", "There is no demo sign-in on this site.");
    checkHostAndOrigin(request, settings);
    checkCsrfHeader(request);
    const body = (await request.json().catch(() => null)) as { user?: unknown } | null;
    const user = typeof body?.user === "string" ? body.user.trim() : "";
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(user)) throw new HttpError(400, "bad_request", 'Send {"user": "name"}: letters, digits, - or _, at most 40.');
    const secure = request.nextUrl.protocol === "https:" ? "; Secure" : "";
    return json(200, { user }, {
      "set-cookie": `${SESSION_COOKIE}=${sessionCookieValue(user)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_SECONDS}${secure}`,
    });
  } catch (error) {
    return failure(error);
  }
}
