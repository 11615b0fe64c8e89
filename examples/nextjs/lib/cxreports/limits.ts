// What the route handlers remember between requests, in this process:
// fixed-window rate limits, and who stored which temporary data. Kept on
// globalThis because Next.js may load this module once per route. With
// several processes, keep both in a store they share (Redis, your database).
import "server-only";
import { HttpError } from "./errors";

type Hit = { count: number; resetAt: number };
type Owner = { user: string; expires: number };
const kept = globalThis as typeof globalThis & { cxreportsHits?: Map<string, Hit>; cxreportsOwners?: Map<string, Owner> };
const hits = (kept.cxreportsHits ??= new Map());
const owners = (kept.cxreportsOwners ??= new Map());

/** One more `what` for each key (user, client address) under its limit; a 429 with Retry-After when any is full. */
export function rateLimit(what: string, windows: [key: string, limit: number][], windowMs: number, now = Date.now()): void {
  if (hits.size > 10_000) for (const [key, hit] of hits) if (hit.resetAt <= now) hits.delete(key);
  const current = windows.map(([key, limit]) => {
    const hit = hits.get(`${what} ${key}`);
    return { key: `${what} ${key}`, limit, hit: hit && hit.resetAt > now ? hit : { count: 0, resetAt: now + windowMs } };
  });
  const full = current.filter(({ hit, limit }) => hit.count >= limit);
  if (full.length > 0) {
    const wait = Math.max(1, Math.ceil((Math.max(...full.map(({ hit }) => hit.resetAt)) - now) / 1000));
    throw new HttpError(429, "rate_limited", `Too many requests. Wait ${wait} s, then try again.`, undefined, { "retry-after": String(wait) });
  }
  for (const { key, hit } of current) {
    hit.count += 1;
    hits.set(key, hit);
  }
}

const MAX_TEMP_DATA_LIFE_MS = 24 * 3600 * 1000;

/** Remembers that `user` stored temporary data `id`, until `expiryDate` (a day at most). */
export function rememberTempData(id: string, user: string, expiryDate: string, now = Date.now()): void {
  if (owners.size > 10_000) for (const [key, owner] of owners) if (owner.expires <= now) owners.delete(key);
  owners.set(id, { user, expires: Math.min(Date.parse(expiryDate) || now + 3600_000, now + MAX_TEMP_DATA_LIFE_MS) });
}

/** Refuses a tempDataId that is malformed, or that `user` did not store (CxReports' ids are sequential: guessable). */
export function checkTempData(id: string, user: string, now = Date.now()): void {
  if (!/^\d{1,15}$/.test(id)) throw new HttpError(400, "bad_request", "tempDataId must be the number that POST /api/cxreports/temporary-data answered.");
  const owner = owners.get(id);
  if (!owner || owner.user !== user || owner.expires <= now) {
    throw new HttpError(403, "forbidden", "This tempDataId is not yours or has expired. Store the data again with POST /api/cxreports/temporary-data.");
  }
}
