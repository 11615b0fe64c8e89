"""CxReports endpoints for the cxreports-widget, in one file: Python 3.10+, Flask.

The browser never sees the CxReports Personal Access Token (PAT): this server
holds it and offers the widget what it needs under /api/cxreports:
  POST /nonce                     a single-use nonce for the report viewer
  GET  /reports[?type=CODE]       the workspace's reports (allowlisted)
  GET  /report-types              the workspace's report types
  GET  /reports/{id}/pdf?params=  the report as a PDF download

Run:  pip install --require-hashes -r requirements.txt
      CXREPORTS_URL=https://reports.example.com CXREPORTS_PAT_FILE=/run/secrets/cxreports_pat \
      DEMO_SESSION=change-me ALLOWED_ORIGINS=https://app.example.com python app.py
      (in production, serve `app` with a WSGI server: gunicorn 'app:app')
Env:  CXREPORTS_URL, CXREPORTS_PAT or CXREPORTS_PAT_FILE, CXREPORTS_WORKSPACE (sales),
      CXREPORTS_ALLOWED_REPORTS (ids, comma-separated; empty = all), CXREPORTS_PAGE_SIZE (200), ALLOWED_ORIGINS
      (comma-separated; "http://localhost:*" = any port), HOST (127.0.0.1), PORT (8090),
      READY_FILE (receives the URL once listening), DEMO_SESSION (see signed_in_user).
Replace: signed_in_user() with your app's own session check; register the routes in your app if you like.
"""
import hmac, json, logging, os, re, sys, time, urllib.error, urllib.parse, urllib.request
from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

def env(name, default=""):
    return os.environ.get(name, "").strip() or default

def fail(message):
    print(f"cxreports-host: {message}", file=sys.stderr)
    sys.exit(2)

def read_pat():
    if env("CXREPORTS_PAT") or not env("CXREPORTS_PAT_FILE"):
        return env("CXREPORTS_PAT")
    try:
        with open(env("CXREPORTS_PAT_FILE"), encoding="utf-8") as f:
            return f.read().strip()
    except OSError as e:
        fail(f"cannot read CXREPORTS_PAT_FILE: {e}")

CXREPORTS_URL = env("CXREPORTS_URL").rstrip("/") or fail("set CXREPORTS_URL to your CxReports address, like https://reports.example.com")
PAT = read_pat() or fail("set CXREPORTS_PAT_FILE to a file holding your CxReports PAT (or CXREPORTS_PAT to the PAT)")
WORKSPACE = urllib.parse.quote(env("CXREPORTS_WORKSPACE", "sales"), safe="")
ALLOWED_REPORTS = {s.strip() for s in env("CXREPORTS_ALLOWED_REPORTS").split(",") if s.strip()}
ALLOWED_ORIGINS = [s.strip() for s in env("ALLOWED_ORIGINS").split(",") if s.strip()]
PREVIEW_KEYS = ("params", "data", "tempDataId", "timezone", "lang", "theme", "template")
PAGE_SIZE, MAX_PAGES, TIMEOUT_S = env("CXREPORTS_PAGE_SIZE", "200"), 500, 10.0
PAGE_SIZE = int(PAGE_SIZE) if PAGE_SIZE.isdigit() and 1 <= int(PAGE_SIZE) <= 1000 else fail("set CXREPORTS_PAGE_SIZE to a whole number from 1 to 1000, at most the page size your CxReports answers in full")
app = Flask(__name__)

def log(message):
    print(f"cxreports-host: {message}".replace(PAT, "[redacted]"), file=sys.stderr, flush=True)

# THE SEAM: replace this with your app's own session check (flask-login, your session cookie, a JWT, ...).
# Return the signed-in user, or None. This demo accepts the cookie `session=$DEMO_SESSION`.
def signed_in_user(req):
    demo, given = env("DEMO_SESSION"), req.cookies.get("session", "")
    return {"name": "demo"} if demo and hmac.compare_digest(given.encode(), demo.encode()) else None

class HttpError(Exception):
    def __init__(self, status, kind, message, upstream_status=None):
        super().__init__(message)
        self.status, self.kind, self.message, self.upstream_status = status, kind, message, upstream_status

class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect could carry the PAT elsewhere
        return None

_opener = urllib.request.build_opener(_NoRedirects)
REFUSED_PAT = (502, "upstream_auth", "CxReports refused the server's PAT: the administrator should check CXREPORTS_PAT")

def cxreports(method, path, timeout=TIMEOUT_S):
    """One call to CxReports with the PAT; answers the open response."""
    req = urllib.request.Request(CXREPORTS_URL + path, method=method, data=b"" if method == "POST" else None,
                                 headers={"Authorization": f"Bearer {PAT}"})
    try:
        res = _opener.open(req, timeout=max(timeout, 0.1))
    except urllib.error.HTTPError as e:
        log(f"{method} {path}: CxReports answered {e.code} {e.headers.get('Content-Type', '')}")
        e.close()
        if e.code in (401, 403) or 300 <= e.code < 400 or "text/html" in e.headers.get("Content-Type", ""):
            raise HttpError(*REFUSED_PAT)
        raise HttpError(502, "upstream_status", f"CxReports answered status {e.code}: retry later; if it persists, "
                        "the administrator should check CXREPORTS_URL and CXREPORTS_WORKSPACE", e.code)
    except (urllib.error.URLError, OSError) as e:
        log(f"{method} {path}: {e}")
        if isinstance(e, TimeoutError) or isinstance(getattr(e, "reason", None), TimeoutError):
            raise HttpError(504, "upstream_timeout", f"CxReports did not answer within {TIMEOUT_S:g} s: retry later")
        raise HttpError(502, "upstream_unreachable", "CxReports cannot be reached: retry later; if it persists, tell the administrator")
    if "text/html" in res.headers.get("Content-Type", ""):
        res.close()
        raise HttpError(*REFUSED_PAT)
    return res

def cxreports_json(method, path, shape, timeout=TIMEOUT_S):
    """A JSON answer of CxReports, of the type `shape` (list or dict)."""
    with cxreports(method, path, timeout) as res:
        try:
            value = json.loads(res.read())
        except TimeoutError:
            raise HttpError(504, "upstream_timeout", f"CxReports did not send its answer within {TIMEOUT_S:g} s: retry later")
        except (ValueError, OSError):
            value = None
    if not isinstance(value, shape):
        raise HttpError(502, "upstream_bad_response", "CxReports sent an answer that cannot be read: retry later")
    return value

def all_reports(report_type):
    """The whole report list, page by page: never rely on CxReports' default page size."""
    deadline, seen = time.monotonic() + TIMEOUT_S, {}
    for page in range(MAX_PAGES):
        query = urllib.parse.urlencode({**({"type": report_type} if report_type else {}), "offset": page * PAGE_SIZE, "limit": PAGE_SIZE})
        rows = cxreports_json("GET", f"/api/v1/ws/{WORKSPACE}/reports?{query}", list, deadline - time.monotonic())
        fresh = [r for r in rows if isinstance(r, dict) and r.get("id") is not None and r["id"] not in seen]
        if rows and not fresh:
            raise HttpError(502, "upstream_bad_response", "CxReports answered the same reports twice, as if it ignored offset: "
                            "the administrator should check CXREPORTS_URL")
        seen.update((r["id"], r) for r in fresh)
        if len(rows) < PAGE_SIZE:
            return [r for r in seen.values() if not ALLOWED_REPORTS or str(r["id"]) in ALLOWED_REPORTS]
    raise HttpError(502, "upstream_list_too_long", "CxReports lists too many reports here: list one report type at a time (?type=CODE)")

def origin_allowed(origin):
    return any(o == origin or (o.endswith(":*") and origin.startswith(o[:-1]) and origin[len(o) - 1:].isdigit())
               for o in ALLOWED_ORIGINS)

def bad_origin(origin):
    return HttpError(403, "csrf", f"the page origin {origin} is not allowed: add it to ALLOWED_ORIGINS on the server")

@app.before_request
def guard():
    origin, path = request.headers.get("Origin"), request.path
    route = re.fullmatch(r"/api/cxreports(/nonce|/reports|/report-types|/reports/[^/]+/pdf)", path)
    if not route:
        raise HttpError(404, "not_found", "no such endpoint: the widget uses /api/cxreports/nonce, /reports, /report-types and /reports/{id}/pdf")
    method = "POST" if route.group(1) == "/nonce" else "GET"
    if request.method == "OPTIONS":  # a CORS preflight
        if not origin or not origin_allowed(origin):
            raise bad_origin(origin or "(none)")
        return Response(status=204, headers={"Access-Control-Allow-Methods": "GET, POST", "Access-Control-Max-Age": "600",
                                             "Access-Control-Allow-Headers": "content-type, x-requested-with"})
    if request.method != method:
        raise HttpError(405, "method_not_allowed", f"{request.method} is not allowed here: use {method}")
    if method == "POST":  # CSRF: a cross-site form cannot send X-Requested-With, and a foreign page's Origin is refused
        if not request.headers.get("X-Requested-With", "").strip():
            raise HttpError(403, "csrf", "this POST lacks the X-Requested-With header: send it (the widget sends X-Requested-With: cxreports-widget)")
        if origin and not origin_allowed(origin) and origin != request.host_url.rstrip("/"):
            raise bad_origin(origin)
    if not signed_in_user(request):
        raise HttpError(401, "unauthenticated", "sign in first")

@app.post("/api/cxreports/nonce")
def nonce():
    body = cxreports_json("POST", "/api/v1/nonce-tokens", dict)
    if not isinstance(body.get("nonce"), str) or not body["nonce"]:
        raise HttpError(502, "upstream_bad_response", "CxReports sent no nonce: retry later")
    return {"nonce": body["nonce"]}

@app.get("/api/cxreports/reports")
def reports():
    return Response(json.dumps(all_reports(request.args.get("type"))), mimetype="application/json")

@app.get("/api/cxreports/report-types")
def report_types():
    return Response(json.dumps(cxreports_json("GET", f"/api/v1/ws/{WORKSPACE}/report-types", list)), mimetype="application/json")

@app.get("/api/cxreports/reports/<report_id>/pdf")
def pdf(report_id):
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,100}", report_id):
        raise HttpError(400, "bad_request", "a report id is letters, digits, - or _: pick one from GET /api/cxreports/reports")
    if ALLOWED_REPORTS and report_id not in ALLOWED_REPORTS:
        raise HttpError(403, "forbidden", f"report {report_id} is not offered here: pick one from GET /api/cxreports/reports")
    query = urllib.parse.urlencode({k: request.args[k] for k in PREVIEW_KEYS if request.args.get(k)})
    try:
        res = cxreports("GET", f"/api/v1/ws/{WORKSPACE}/reports/{report_id}/pdf" + (f"?{query}" if query else ""))
    except HttpError as e:
        if e.upstream_status == 404:
            raise HttpError(404, "not_found", f"no report {report_id} in this workspace: pick one from GET /api/cxreports/reports")
        if e.upstream_status == 400:
            raise HttpError(400, "bad_request", "CxReports could not read the report inputs: send params and data as JSON, tempDataId as a number")
        raise
    if "application/pdf" not in res.headers.get("Content-Type", ""):
        res.close()
        raise HttpError(502, "upstream_bad_response", "CxReports sent something other than a PDF: retry later")
    def chunks():
        with res:
            yield from iter(lambda: res.read(65536), b"")
    return Response(chunks(), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="report-{report_id}.pdf"'})

@app.errorhandler(HttpError)
def http_error(e):
    allow = {"Allow": "POST" if request.path.endswith("/nonce") else "GET"} if e.status == 405 else {}
    return {"error": e.message, "kind": e.kind}, e.status, allow

@app.errorhandler(Exception)
def unexpected(e):
    if isinstance(e, HTTPException):
        return {"error": f"{e.description}", "kind": "bad_request" if e.code == 400 else "internal"}, e.code
    log(f"{type(e).__name__}: {e}")
    return {"error": "the server failed: retry later", "kind": "internal"}, 500

@app.after_request
def headers(res):
    res.headers.update({"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Vary": "Origin"})
    origin = request.headers.get("Origin")
    if origin and origin_allowed(origin):
        res.headers.update({"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true",
                            "Access-Control-Expose-Headers": "Content-Disposition"})
    log(f"{request.method} {request.path} {res.status_code}")  # the path only: queries stay out of the log
    return res

if __name__ == "__main__":
    from werkzeug.serving import make_server
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # its request lines would carry query strings
    server = make_server(env("HOST", "127.0.0.1"), int(env("PORT", "8090")), app, threaded=True)
    url = f"http://{server.host}:{server.port}"
    print(f"cxreports-host listening on {url} (CxReports: {CXREPORTS_URL}, workspace: {env('CXREPORTS_WORKSPACE', 'sales')})", flush=True)
    if env("READY_FILE"):
        with open(env("READY_FILE") + ".tmp", "w") as f:
            f.write(url)
        os.replace(env("READY_FILE") + ".tmp", env("READY_FILE"))
    server.serve_forever()
