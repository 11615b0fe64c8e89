// CxReports endpoints for the cxreports-widget, in one file: Node 20+, node:http only.
//
// The browser never sees the CxReports Personal Access Token (PAT): this server
// holds it and offers the widget what it needs under /api/cxreports:
//   POST /nonce                    a single-use nonce for the report viewer
//   GET  /reports[?type=CODE]      the workspace's reports (allowlisted)
//   GET  /report-types             the workspace's report types
//   GET  /reports/{id}/pdf?params= the report as a PDF download
//   POST /temporary-data           stores large report data; its tempDataId works in
//                                  this user's PDF exports only
//
// Run:  CXREPORTS_URL=https://reports.example.com CXREPORTS_PAT_FILE=/run/secrets/cxreports_pat \
//       DEMO_SESSIONS=alice:$(openssl rand -hex 16) ALLOWED_HOSTS=app.example.com \
//       ALLOWED_ORIGINS=https://app.example.com node server.mjs
// Env:  every setting, with its default, is listed in ../README.md ("Configuration").
// Replace: signedInUser() with your app's own session check; mount the routes in your app if you like.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const env = (name, fallback = '') => (process.env[name] ?? '').trim() || fallback;
const list = (name, fallback = '') => env(name, fallback).split(',').map((s) => s.trim()).filter(Boolean);
const fail = (message) => { console.error(`cxreports-host: ${message}`); process.exit(2); };
const number = (name, fallback, min, max) => {
  const value = Number(env(name, String(fallback)));
  return Number.isInteger(value) && value >= min && value <= max ? value : fail(`set ${name} to a whole number from ${min} to ${max}`);
};
const CXREPORTS_URL = env('CXREPORTS_URL').replace(/\/+$/, '') || fail('set CXREPORTS_URL to your CxReports address, like https://reports.example.com');
const readPat = (file) => { try { return readFileSync(file, 'utf8').trim(); } catch (e) { fail(`cannot read CXREPORTS_PAT_FILE: ${e.message}`); } };
const PAT = env('CXREPORTS_PAT') || (env('CXREPORTS_PAT_FILE') && readPat(env('CXREPORTS_PAT_FILE')))
  || fail('set CXREPORTS_PAT_FILE to a file holding your CxReports PAT (or CXREPORTS_PAT to the PAT)');
const WORKSPACE = encodeURIComponent(env('CXREPORTS_WORKSPACE', 'sales'));
const ALLOWED_REPORTS = new Set(list('CXREPORTS_ALLOWED_REPORTS'));
const ALLOWED_ORIGINS = list('ALLOWED_ORIGINS');
const ALLOWED_HOSTS = list('ALLOWED_HOSTS', 'localhost,127.0.0.1,[::1]').map((h) => h.toLowerCase());
const PREVIEW_KEYS = ['params', 'data', 'tempDataId', 'timezone', 'lang', 'theme', 'template'];
const PAGE_SIZE = number('CXREPORTS_PAGE_SIZE', 200, 1, 1000), MAX_PAGES = 500;
const TIMEOUT_MS = number('CXREPORTS_TIMEOUT_SECS', 10, 1, 600) * 1000;
const PDF_TIMEOUT_MS = number('CXREPORTS_PDF_TIMEOUT_SECS', 120, 1, 3600) * 1000;
const MAX_TEMP_DATA_BYTES = number('MAX_TEMP_DATA_BYTES', 256 * 1024, 1, 16 * 1024 * 1024);
const RATE_WINDOW_MS = number('RATE_LIMIT_WINDOW_SECS', 60, 1, 86400) * 1000;
const RATE_PER_USER = number('RATE_LIMIT_PER_USER', 30, 1, 1_000_000);
const RATE_PER_CLIENT = number('RATE_LIMIT_PER_CLIENT', 120, 1, 1_000_000);
const CLIENT_ADDRESS_HEADER = env('CLIENT_ADDRESS_HEADER').toLowerCase();
const HEADERS_TIMEOUT_MS = number('HEADERS_TIMEOUT_SECS', 10, 1, 300) * 1000;
const REQUEST_TIMEOUT_MS = number('REQUEST_TIMEOUT_SECS', 30, 1, 3600) * 1000;
const KEEP_ALIVE_TIMEOUT_MS = number('KEEP_ALIVE_TIMEOUT_SECS', 5, 1, 300) * 1000;
const MAX_CONNECTIONS = number('MAX_CONNECTIONS', 256, 1, 100_000);
if (REQUEST_TIMEOUT_MS < HEADERS_TIMEOUT_MS) fail('set REQUEST_TIMEOUT_SECS to at least HEADERS_TIMEOUT_SECS: the headers are part of the request');

// The demo's users: DEMO_SESSIONS="alice:TOKEN,bob:TOKEN", or DEMO_SESSION=TOKEN for one user, "demo".
const DEMO_USERS = [...list('DEMO_SESSIONS').map((pair) => pair.split(/:(.*)/s).map((s) => s.trim())),
  ...(env('DEMO_SESSION') ? [['demo', env('DEMO_SESSION')]] : [])];
for (const [name, token = ''] of DEMO_USERS) {
  // A short token can be guessed from the open internet.
  if (!name || token.length < 16) fail('give DEMO_SESSIONS as name:token pairs, each token at least 16 characters (openssl rand -hex 16)');
}

// THE SEAM: replace this with your app's own session check (your session cookie, JWT, ...).
// Return the signed-in user with a stable id, or null. There is no login here on purpose: the
// demo accepts the cookie `session=<token>` of a DEMO_SESSIONS user, and nothing else.
function signedInUser(req) {
  const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim().split('='))
    .find(([name]) => name === 'session');
  const given = Buffer.from(cookie?.slice(1).join('=') ?? '');
  const user = DEMO_USERS.find(([, token]) => given.length === Buffer.byteLength(token) && timingSafeEqual(given, Buffer.from(token)));
  return user ? { id: user[0] } : null;
}

class HttpError extends Error {
  constructor(status, kind, message, upstreamStatus, headers = {}) { super(message); Object.assign(this, { status, kind, upstreamStatus, headers }); }
}
// Every line goes through here, so that the PAT cannot reach the log; JSON.stringify keeps
// CxReports' text on one line.
const log = (message) => console.error(`cxreports-host: ${String(message).replaceAll(PAT, '[redacted]')}`);
const refusedPat = () => new HttpError(502, 'upstream_auth', "CxReports refused the server's PAT: the administrator should check CXREPORTS_PAT");
const timedOut = (ms) => new HttpError(504, 'upstream_timeout', `CxReports did not answer within ${ms / 1000} s: retry later`);

// One call to CxReports with the PAT. Redirects are not followed: they could carry the PAT elsewhere.
// CxReports' own error text goes to the log only: it may name internal hosts or data.
async function cxreports(method, path, { signal = AbortSignal.timeout(TIMEOUT_MS), ms = TIMEOUT_MS, json, headers = {} } = {}) {
  let res;
  try {
    res = await fetch(CXREPORTS_URL + path, {
      method, signal, redirect: 'manual', body: json === undefined ? undefined : JSON.stringify(json),
      headers: { authorization: `Bearer ${PAT}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    });
  } catch (e) {
    log(`${method} ${path}: ${String(e.cause ?? e)}`);
    if (e.name === 'TimeoutError') throw timedOut(ms);
    throw new HttpError(502, 'upstream_unreachable', 'CxReports cannot be reached: retry later; if it persists, tell the administrator');
  }
  const type = res.headers.get('content-type') ?? '';
  if (res.ok && !type.includes('text/html')) return res;
  const text = await res.text().catch(() => '');
  log(`${method} ${path}: CxReports answered ${res.status} ${type}: ${JSON.stringify(text.slice(0, 300))}`);
  if (res.status === 401 || res.status === 403 || (res.status >= 300 && res.status < 400) || type.includes('text/html')) throw refusedPat();
  throw new HttpError(502, 'upstream_status', `CxReports answered status ${res.status}: retry later; if it persists, the administrator should check CXREPORTS_URL and CXREPORTS_WORKSPACE`, res.status);
}
const readJson = (res, ms = TIMEOUT_MS) => res.json().catch((e) => { if (e.name === 'TimeoutError') throw timedOut(ms); return null; });
async function cxreportsJson(path, signal) {
  const body = await readJson(await cxreports('GET', path, { signal }));
  if (!Array.isArray(body)) throw new HttpError(502, 'upstream_bad_response', 'CxReports sent a list that cannot be read: retry later');
  return body;
}

// The whole report list, page by page: never rely on CxReports' default page size.
// One signal for all pages: the reader waits TIMEOUT_MS at most, however many pages there are.
async function allReports(type) {
  const signal = AbortSignal.timeout(TIMEOUT_MS), seen = new Map();
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ ...(type ? { type } : {}), offset: String(page * PAGE_SIZE), limit: String(PAGE_SIZE) });
    const rows = await cxreportsJson(`/api/v1/ws/${WORKSPACE}/reports?${query}`, signal);
    const fresh = rows.filter((r) => r && r.id != null && !seen.has(r.id));
    if (rows.length > 0 && fresh.length === 0) throw new HttpError(502, 'upstream_bad_response', 'CxReports answered the same reports twice, as if it ignored offset: the administrator should check CXREPORTS_URL');
    fresh.forEach((r) => seen.set(r.id, r));
    if (rows.length < PAGE_SIZE) return [...seen.values()].filter((r) => ALLOWED_REPORTS.size === 0 || ALLOWED_REPORTS.has(String(r.id)));
  }
  throw new HttpError(502, 'upstream_list_too_long', 'CxReports lists too many reports here: list one report type at a time (?type=CODE)');
}

// In memory, so per process: enough for one Node process. With several, keep both maps in a
// store they share (Redis, your database).
const hits = new Map(); // "what who" -> { count, resetAt }: fixed windows
function rateLimit(what, user, client) {
  const now = Date.now();
  if (hits.size > 10_000) for (const [key, hit] of hits) if (hit.resetAt <= now) hits.delete(key);
  const windows = [[`${what} user ${user.id}`, RATE_PER_USER], [`${what} client ${client}`, RATE_PER_CLIENT]]
    .map(([key, limit]) => { const hit = hits.get(key); return [key, limit, hit && hit.resetAt > now ? hit : { count: 0, resetAt: now + RATE_WINDOW_MS }]; });
  const full = windows.filter(([, limit, hit]) => hit.count >= limit);
  if (full.length > 0) {
    const wait = Math.max(1, Math.ceil((Math.max(...full.map(([, , hit]) => hit.resetAt)) - now) / 1000));
    throw new HttpError(429, 'rate_limited', `too many requests: wait ${wait} s, then retry`, undefined, { 'retry-after': String(wait) });
  }
  for (const [key, , hit] of windows) { hit.count += 1; hits.set(key, hit); }
}
const clientAddress = (req) => (CLIENT_ADDRESS_HEADER && req.headers[CLIENT_ADDRESS_HEADER]?.split(',').at(-1).trim()) || req.socket.remoteAddress;

// Who stored which temporary data: CxReports ids are sequential, so without this any user could
// export a PDF with another user's data by guessing its tempDataId.
const tempDataOwners = new Map(); // CxReports tempDataId -> { user, expires }
const MAX_TEMP_DATA_LIFE_MS = 24 * 3600 * 1000;

async function readBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'too_large', `the body is larger than ${limit} bytes: send less data, or raise MAX_TEMP_DATA_BYTES on the server`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function storeTempData(req, user) {
  let body;
  try { body = JSON.parse(await readBody(req, MAX_TEMP_DATA_BYTES)); } catch (e) { if (e instanceof HttpError) throw e; }
  if (!body || typeof body !== 'object' || !('content' in body) || (body.expiryDate != null && typeof body.expiryDate !== 'string')) {
    throw new HttpError(400, 'bad_request', 'the body must be JSON like {"content": <any JSON>, "expiryDate": "2026-01-01T00:00:00Z"}');
  }
  const stored = await readJson(await cxreports('POST', `/api/v1/ws/${WORKSPACE}/temporary-data`,
    { json: { content: body.content, ...(body.expiryDate ? { expiryDate: body.expiryDate } : {}) } }));
  if (!Number.isSafeInteger(stored?.tempDataId) || stored.tempDataId < 0 || typeof stored.expiryDate !== 'string') {
    throw new HttpError(502, 'upstream_bad_response', 'CxReports sent no tempDataId: retry later');
  }
  const now = Date.now();
  if (tempDataOwners.size > 10_000) for (const [id, owner] of tempDataOwners) if (owner.expires <= now) tempDataOwners.delete(id);
  const expires = Math.min(Date.parse(stored.expiryDate) || now + 3600_000, now + MAX_TEMP_DATA_LIFE_MS);
  tempDataOwners.set(String(stored.tempDataId), { user: user.id, expires });
  return { tempDataId: stored.tempDataId, expiryDate: stored.expiryDate };
}

function checkTempData(id, user) {
  if (!/^\d{1,15}$/.test(id)) throw new HttpError(400, 'bad_request', 'tempDataId must be the number POST /api/cxreports/temporary-data answered');
  const owner = tempDataOwners.get(id);
  if (!owner || owner.user !== user.id || owner.expires <= Date.now()) {
    throw new HttpError(403, 'forbidden', 'this tempDataId is not yours or has expired: store the data again with POST /api/cxreports/temporary-data');
  }
}

async function pdf(url, res, id, user) {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new HttpError(400, 'bad_request', 'a report id is letters, digits, - or _: pick one from GET /api/cxreports/reports');
  if (ALLOWED_REPORTS.size > 0 && !ALLOWED_REPORTS.has(id)) throw new HttpError(403, 'forbidden', `report ${id} is not offered here: pick one from GET /api/cxreports/reports`);
  const query = new URLSearchParams();
  for (const key of PREVIEW_KEYS) if (url.searchParams.get(key)) query.set(key, url.searchParams.get(key));
  if (query.has('tempDataId')) checkTempData(query.get('tempDataId'), user);
  // Its own, longer limit: rendering a big report takes time, and the signal stays on the stream.
  const upstream = await cxreports('GET', `/api/v1/ws/${WORKSPACE}/reports/${id}/pdf${query.size ? `?${query}` : ''}`,
    { signal: AbortSignal.timeout(PDF_TIMEOUT_MS), ms: PDF_TIMEOUT_MS, headers: { 'accept-encoding': 'identity' } }).catch((e) => {
    if (e.upstreamStatus === 404) throw new HttpError(404, 'not_found', `no report ${id} in this workspace: pick one from GET /api/cxreports/reports`);
    if (e.upstreamStatus === 400) throw new HttpError(400, 'bad_request', 'CxReports could not read the report inputs: send params and data as JSON, tempDataId as a number');
    throw e;
  });
  if (!upstream.headers.get('content-type')?.includes('application/pdf')) {
    upstream.body?.cancel();
    throw new HttpError(502, 'upstream_bad_response', 'CxReports sent something other than a PDF: retry later');
  }
  const headers = { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="report-${id}.pdf"` };
  // With the length, a client can tell a cut PDF from a whole one; fetch undoes any encoding,
  // so the length holds only for an unencoded answer.
  const length = upstream.headers.get('content-length') ?? '';
  if (/^\d+$/.test(length) && !upstream.headers.get('content-encoding')) headers['content-length'] = length;
  // fetch takes a chunked answer that breaks off for a whole one (undici ends the body quietly), so
  // without a length the PDF must end with its %%EOF line.
  let tail = '';
  const complete = new Transform({
    transform(chunk, _, done) { tail = (tail + chunk.toString('latin1')).slice(-1024); done(null, chunk); },
    flush(done) { done(headers['content-length'] || tail.includes('%%EOF') ? null : new Error('CxReports broke off the PDF (no %%EOF at its end)')); },
  });
  res.writeHead(200, headers);
  // If CxReports breaks off, pipeline rejects before the answer ends and the connection is
  // destroyed (see the server): the browser sees a failed download, never a short PDF that looks complete.
  await pipeline(Readable.fromWeb(upstream.body), complete, res);
}

const routes = {
  '/nonce': async () => {
    const body = await readJson(await cxreports('POST', '/api/v1/nonce-tokens'));
    if (typeof body?.nonce !== 'string' || !body.nonce) throw new HttpError(502, 'upstream_bad_response', 'CxReports sent no nonce: retry later');
    return { nonce: body.nonce };
  },
  '/reports': (url) => allReports(url.searchParams.get('type')),
  '/report-types': () => cxreportsJson(`/api/v1/ws/${WORKSPACE}/report-types`),
  '/temporary-data': (url, res, id, user, req) => storeTempData(req, user),
  '/pdf': (url, res, id, user) => pdf(url, res, id, user),
};
const POSTS = new Set(['/nonce', '/temporary-data']);

// A Host check stops DNS rebinding: a foreign site whose name resolves to this server sends its
// own name as Host (and as Origin), never one of ours.
const hostAllowed = (host = '') => {
  const h = host.toLowerCase(), name = h.match(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/)?.[1];
  return name !== undefined && ALLOWED_HOSTS.some((a) => a === name || a === h);
};
const originAllowed = (origin) => ALLOWED_ORIGINS.some((o) => o === origin
  || (o.endsWith(':*') && origin.startsWith(o.slice(0, -1)) && /^\d+$/.test(origin.slice(o.length - 1))));
const badOrigin = (origin) => new HttpError(403, 'csrf', `the page origin ${origin} is not allowed: add it to ALLOWED_ORIGINS on the server`);

async function handle(req, res) {
  const url = new URL(req.url, 'http://host'), origin = req.headers.origin;
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('vary', 'Origin');
  if (!hostAllowed(req.headers.host)) throw new HttpError(421, 'bad_host', 'this server does not answer for that host name: the administrator should add the public host name to ALLOWED_HOSTS');
  if (origin && originAllowed(origin)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-expose-headers', 'Content-Disposition, Retry-After');
  }
  const match = url.pathname.match(/^\/api\/cxreports(\/nonce|\/reports|\/report-types|\/temporary-data|\/reports\/([^/]+)\/pdf)$/);
  if (!match) throw new HttpError(404, 'not_found', 'no such endpoint: the widget uses /api/cxreports/nonce, /reports, /report-types and /reports/{id}/pdf');
  const route = match[2] === undefined ? match[1] : '/pdf', method = POSTS.has(route) ? 'POST' : 'GET';
  if (req.method === 'OPTIONS') { // a CORS preflight
    if (!origin || !originAllowed(origin)) throw badOrigin(origin ?? '(none)');
    res.writeHead(204, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, x-requested-with', 'access-control-max-age': '600' });
    return res.end();
  }
  // Only the configured origins, never one derived from Host: Host is whatever the caller says.
  if (origin && !originAllowed(origin)) throw badOrigin(origin);
  if (req.method !== method) { res.setHeader('allow', method); throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here: use ${method}`); }
  const user = signedInUser(req);
  if (!user) throw new HttpError(401, 'unauthenticated', 'sign in first');
  if (req.method === 'POST') { // CSRF: a cross-site form cannot send X-Requested-With
    if (!(req.headers['x-requested-with'] ?? '').trim()) throw new HttpError(403, 'csrf', 'this POST lacks the X-Requested-With header: send it (the widget sends X-Requested-With: cxreports-widget)');
    rateLimit(route, user, clientAddress(req));
  }
  const body = await routes[route](url, res, match[2], user, req);
  if (body !== undefined) send(res, 200, body);
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer({
  // A client that never finishes its request would hold a connection forever (slowloris).
  headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  connectionsCheckingInterval: Math.min(1000, HEADERS_TIMEOUT_MS / 2),
}, (req, res) => {
  res.on('finish', () => console.log(`cxreports-host: ${req.method} ${req.url.split('?')[0]} ${res.statusCode}`));
  handle(req, res).catch((e) => {
    if (!(e instanceof HttpError)) log(String(e?.stack ?? e));
    if (res.headersSent) { log(`${req.method} ${req.url.split('?')[0]}: cut off after the headers: ${String(e?.cause ?? e?.message ?? e)}`); return res.destroy(); }
    const { status = 500, kind = 'internal', message = 'the server failed: retry later', headers = {} } = e instanceof HttpError ? e : {};
    if (status === 413) res.setHeader('connection', 'close'); // the rest of the body is not read
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    send(res, status, { error: message, kind });
  });
});
server.maxConnections = MAX_CONNECTIONS;
server.listen(Number(env('PORT', '8090')), env('HOST', '127.0.0.1'), () => {
  const { address, port } = server.address();
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  console.log(`cxreports-host listening on ${url} (CxReports: ${CXREPORTS_URL}, workspace: ${decodeURIComponent(WORKSPACE)})`);
  if (env('READY_FILE')) { writeFileSync(`${env('READY_FILE')}.tmp`, url); renameSync(`${env('READY_FILE')}.tmp`, env('READY_FILE')); }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
