// The app's own signed-in session: a cookie holding the user's id and an
// expiry, signed with SESSION_SECRET (HMAC-SHA256), so that no one can make
// one up or alter it. THE SEAM: in your app, make `userFromSessionCookie`
// (or `signedInUser`) ask your own authentication (NextAuth/Auth.js, your
// session store, a JWT) and return the user with an id that stays the same
// across their sessions, or null.
import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { NextRequest } from "next/server";
import { settings } from "./config";

/**
 * The session cookie's name. Not CxReports' own (`cxr_session`): cookies do
 * not tell ports apart, so on one host name the two would overwrite each other.
 */
export const SESSION_COOKIE = "app_session";
/** How long a demo session lasts. */
export const SESSION_SECONDS = 8 * 3600;

/** A signed-in user; `id` keys the rate limit and the ownership of temporary data. */
export type User = { id: string };

const mac = (payload: string) => createHmac("sha256", settings().sessionSecret).update(payload).digest("base64url");

/** The cookie value that signs `id` in until `SESSION_SECONDS` from `now`. */
export function sessionCookieValue(id: string, now = Date.now()): string {
  const payload = `${Buffer.from(id).toString("base64url")}.${Math.floor(now / 1000) + SESSION_SECONDS}`;
  return `${payload}.${mac(payload)}`;
}

/** The user a session cookie value signs in, or null if it is absent, altered or expired. */
export function userFromSessionCookie(value: string | undefined, now = Date.now()): User | null {
  const parts = (value ?? "").split(".");
  if (parts.length !== 3) return null;
  const [id, expires, given] = parts;
  const expected = Buffer.from(mac(`${id}.${expires}`));
  const received = Buffer.from(given);
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) return null;
  if (!/^\d{1,12}$/.test(expires) || Number(expires) * 1000 <= now) return null;
  return { id: Buffer.from(id, "base64url").toString() };
}

/** The signed-in user of a request to a route handler, or null. */
export function signedInUser(request: NextRequest): User | null {
  return userFromSessionCookie(request.cookies.get(SESSION_COOKIE)?.value);
}
