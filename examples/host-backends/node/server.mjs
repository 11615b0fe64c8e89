// CxReports endpoints for the cxreports-widget, in one file: Node 20+, node:http only.
//
// The browser never sees the CxReports Personal Access Token (PAT): this server
// holds it and offers the widget what it needs under /api/cxreports:
//   POST /nonce                    a single-use nonce for the report viewer
//   GET  /reports[?type=CODE]      the workspace's reports (allowlisted)
//   GET  /report-types             the workspace's report types
//   GET  /reports/{id}/pdf?params= the report as a PDF download
//
// Run:  CXREPORTS_URL=https://reports.example.com CXREPORTS_PAT_FILE=/run/secrets/cxreports_pat \
//       DEMO_SESSION=change-me ALLOWED_ORIGINS=https://app.example.com node server.mjs
// Env:  CXREPORTS_URL, CXREPORTS_PAT or CXREPORTS_PAT_FILE, CXREPORTS_WORKSPACE (sales),
//       CXREPORTS_ALLOWED_REPORTS (ids, comma-separated; empty = all), CXREPORTS_PAGE_SIZE (200), ALLOWED_ORIGINS
//       (comma-separated; "http://localhost:*" = any port), HOST (127.0.0.1), PORT (8090),
//       READY_FILE (receives the URL once listening), DEMO_SESSION (see signedInUser).
// Replace: signedInUser() with your app's own session check; mount the routes in your app if you like.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const env = (name, fallback = '') => (process.env[name] ?? '').trim() || fallback;
const list = (name) => env(name).split(',').map((s) => s.trim()).filter(Boolean);
const fail = (message) => { console.error(`cxreports-host: ${message}`); process.exit(2); };
const CXREPORTS_URL = env('CXREPORTS_URL').replace(/\/+$/, '') || fail('set CXREPORTS_URL to your CxReports address, like https://reports.example.com');
const readPat = (file) => { try { return readFileSync(file, 'utf8').trim(); } catch (e) { fail(`cannot read CXREPORTS_PAT_FILE: ${e.message}`); } };
const PAT = env('CXREPORTS_PAT') || (env('CXREPORTS_PAT_FILE') && readPat(env('CXREPORTS_PAT_FILE')))
  || fail('set CXREPORTS_PAT_FILE to a file holding your CxReports PAT (or CXREPORTS_PAT to the PAT)');
const WORKSPACE = encodeURIComponent(env('CXREPORTS_WORKSPACE', 'sales'));
const ALLOWED_REPORTS = new Set(list('CXREPORTS_ALLOWED_REPORTS'));
const ALLOWED_ORIGINS = list('ALLOWED_ORIGINS');
const PREVIEW_KEYS = ['params', 'data', 'tempDataId', 'timezone', 'lang', 'theme', 'template'];
const PAGE_SIZE = Number(env('CXREPORTS_PAGE_SIZE', '200')), MAX_PAGES = 500, TIMEOUT_MS = 10_000;
if (!(Number.isInteger(PAGE_SIZE) && PAGE_SIZE >= 1 && PAGE_SIZE <= 1000)) fail('set CXREPORTS_PAGE_SIZE to a whole number from 1 to 1000, at most the page size your CxReports answers in full');

// THE SEAM: replace this with your app's own session check (your session cookie, JWT, ...).
// Return the signed-in user, or null. This demo accepts the cookie `session=$DEMO_SESSION`.
function signedInUser(req) {
  const demo = Buffer.from(env('DEMO_SESSION'));
  const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim().split('='))
    .find(([name]) => name === 'session');
  const given = Buffer.from(cookie?.slice(1).join('=') ?? '');
  return demo.length > 0 && given.length === demo.length && timingSafeEqual(given, demo) ? { name: 'demo' } : null;
}

class HttpError extends Error {
  constructor(status, kind, message, upstreamStatus) { super(message); Object.assign(this, { status, kind, upstreamStatus }); }
}
const refusedPat = () => new HttpError(502, 'upstream_auth', "CxReports refused the server's PAT: the administrator should check CXREPORTS_PAT");

// One call to CxReports with the PAT. Redirects are not followed: they could carry the PAT elsewhere.
async function cxreports(method, path, signal = AbortSignal.timeout(TIMEOUT_MS)) {
  let res;
  try {
    res = await fetch(CXREPORTS_URL + path, { method, signal, redirect: 'manual', headers: { authorization: `Bearer ${PAT}` } });
  } catch (e) {
    console.error(`cxreports-host: ${method} ${path}: ${String(e.cause ?? e).replaceAll(PAT, '[redacted]')}`);
    if (e.name === 'TimeoutError') throw timedOut();
    throw new HttpError(502, 'upstream_unreachable', 'CxReports cannot be reached: retry later; if it persists, tell the administrator');
  }
  const type = res.headers.get('content-type') ?? '';
  if (res.ok && !type.includes('text/html')) return res;
  console.error(`cxreports-host: ${method} ${path}: CxReports answered ${res.status} ${type}`);
  res.body?.cancel();
  if (res.status === 401 || res.status === 403 || (res.status >= 300 && res.status < 400) || type.includes('text/html')) throw refusedPat();
  throw new HttpError(502, 'upstream_status', `CxReports answered status ${res.status}: retry later; if it persists, the administrator should check CXREPORTS_URL and CXREPORTS_WORKSPACE`, res.status);
}
const timedOut = () => new HttpError(504, 'upstream_timeout', `CxReports did not answer within ${TIMEOUT_MS / 1000} s: retry later`);
const readJson = (res) => res.json().catch((e) => { if (e.name === 'TimeoutError') throw timedOut(); return null; });
async function cxreportsJson(path, signal) {
  const body = await readJson(await cxreports('GET', path, signal));
  if (!Array.isArray(body)) throw new HttpError(502, 'upstream_bad_response', 'CxReports sent a list that cannot be read: retry later');
  return body;
}

// The whole report list, page by page: never rely on CxReports' default page size.
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

const routes = {
  '/nonce': async () => {
    const body = await readJson(await cxreports('POST', '/api/v1/nonce-tokens'));
    if (typeof body?.nonce !== 'string' || !body.nonce) throw new HttpError(502, 'upstream_bad_response', 'CxReports sent no nonce: retry later');
    return { nonce: body.nonce };
  },
  '/reports': (url) => allReports(url.searchParams.get('type')),
  '/report-types': () => cxreportsJson(`/api/v1/ws/${WORKSPACE}/report-types`),
  '/pdf': async (url, res, id) => {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new HttpError(400, 'bad_request', 'a report id is letters, digits, - or _: pick one from GET /api/cxreports/reports');
    if (ALLOWED_REPORTS.size > 0 && !ALLOWED_REPORTS.has(id)) throw new HttpError(403, 'forbidden', `report ${id} is not offered here: pick one from GET /api/cxreports/reports`);
    const query = new URLSearchParams();
    for (const key of PREVIEW_KEYS) if (url.searchParams.get(key)) query.set(key, url.searchParams.get(key));
    const upstream = await cxreports('GET', `/api/v1/ws/${WORKSPACE}/reports/${id}/pdf${query.size ? `?${query}` : ''}`).catch((e) => {
      if (e.upstreamStatus === 404) throw new HttpError(404, 'not_found', `no report ${id} in this workspace: pick one from GET /api/cxreports/reports`);
      if (e.upstreamStatus === 400) throw new HttpError(400, 'bad_request', 'CxReports could not read the report inputs: send params and data as JSON, tempDataId as a number');
      throw e;
    });
    if (!upstream.headers.get('content-type')?.includes('application/pdf')) {
      upstream.body?.cancel();
      throw new HttpError(502, 'upstream_bad_response', 'CxReports sent something other than a PDF: retry later');
    }
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="report-${id}.pdf"` });
    await pipeline(Readable.fromWeb(upstream.body), res);
  },
};

const originAllowed = (origin) => ALLOWED_ORIGINS.some((o) => o === origin
  || (o.endsWith(':*') && origin.startsWith(o.slice(0, -1)) && /^\d+$/.test(origin.slice(o.length - 1))));
const ownOrigin = (req) => `${req.headers['x-forwarded-proto'] ?? 'http'}://${req.headers.host}`;
const badOrigin = (origin) => new HttpError(403, 'csrf', `the page origin ${origin} is not allowed: add it to ALLOWED_ORIGINS on the server`);

async function handle(req, res) {
  const url = new URL(req.url, 'http://host'), origin = req.headers.origin;
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('vary', 'Origin');
  if (origin && originAllowed(origin)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-expose-headers', 'Content-Disposition');
  }
  const match = url.pathname.match(/^\/api\/cxreports(\/nonce|\/reports|\/report-types|\/reports\/([^/]+)\/pdf)$/);
  if (!match) throw new HttpError(404, 'not_found', 'no such endpoint: the widget uses /api/cxreports/nonce, /reports, /report-types and /reports/{id}/pdf');
  const route = match[2] === undefined ? match[1] : '/pdf', method = route === '/nonce' ? 'POST' : 'GET';
  if (req.method === 'OPTIONS') { // a CORS preflight
    if (!origin || !originAllowed(origin)) throw badOrigin(origin ?? '(none)');
    res.writeHead(204, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, x-requested-with', 'access-control-max-age': '600' });
    return res.end();
  }
  if (req.method !== method) { res.setHeader('allow', method); throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here: use ${method}`); }
  if (req.method === 'POST') { // CSRF: a cross-site form cannot send X-Requested-With, and a foreign page's Origin is refused
    if (!(req.headers['x-requested-with'] ?? '').trim()) throw new HttpError(403, 'csrf', 'this POST lacks the X-Requested-With header: send it (the widget sends X-Requested-With: cxreports-widget)');
    if (origin && !originAllowed(origin) && origin !== ownOrigin(req)) throw badOrigin(origin);
  }
  if (!signedInUser(req)) throw new HttpError(401, 'unauthenticated', 'sign in first');
  const body = await routes[route](url, res, match[2]);
  if (body !== undefined) send(res, 200, body);
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  res.on('finish', () => console.log(`cxreports-host: ${req.method} ${req.url.split('?')[0]} ${res.statusCode}`));
  handle(req, res).catch((e) => {
    if (!(e instanceof HttpError)) console.error(`cxreports-host: ${String(e?.stack ?? e).replaceAll(PAT, '[redacted]')}`);
    if (res.headersSent) return res.destroy();
    const { status = 500, kind = 'internal', message = 'the server failed: retry later' } = e instanceof HttpError ? e : {};
    send(res, status, { error: message, kind });
  });
});
server.listen(Number(env('PORT', '8090')), env('HOST', '127.0.0.1'), () => {
  const { address, port } = server.address();
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  console.log(`cxreports-host listening on ${url} (CxReports: ${CXREPORTS_URL}, workspace: ${decodeURIComponent(WORKSPACE)})`);
  if (env('READY_FILE')) { writeFileSync(`${env('READY_FILE')}.tmp`, url); renameSync(`${env('READY_FILE')}.tmp`, env('READY_FILE')); }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
