"""CxReports endpoints for the cxreports-widget, in one file: Python 3.10+, Flask.

The browser never sees the CxReports Personal Access Token (PAT): this server
holds it and offers the widget what it needs under /api/cxreports:
  POST /nonce                     a single-use nonce for the report viewer
  GET  /reports[?type=CODE]       the workspace's reports (allowlisted)
  GET  /report-types              the workspace's report types
  GET  /reports/{id}/pdf?params=  the report as a PDF download
  POST /temporary-data            stores large report data; its tempDataId works in
                                  this user's PDF exports only

Run:  pip install --require-hashes -r requirements.txt
      CXREPORTS_URL=https://reports.example.com CXREPORTS_PAT_FILE=/run/secrets/cxreports_pat \
      DEMO_SESSIONS=alice:$(openssl rand -hex 16) ALLOWED_HOSTS=app.example.com \
      ALLOWED_ORIGINS=https://app.example.com python app.py
      (in production, see ../README.md: a WSGI server behind a front server)
Env:  every setting, with its default, is listed in ../README.md ("Configuration").
Replace: signed_in_user() with your app's own session check; register the routes in your app if you like.
"""
import hmac, http.client, json, logging, math, os, re, socket, sys, threading, time, urllib.error, urllib.parse, urllib.request
from datetime import datetime
from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

def env(name, default=""):
    return os.environ.get(name, "").strip() or default

def env_list(name, default=""):
    return [s.strip() for s in env(name, default).split(",") if s.strip()]

def fail(message):
    print(f"cxreports-host: {message}", file=sys.stderr)
    sys.exit(2)

def number(name, default, low, high):
    value = env(name, str(default))
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value) and low <= int(value) <= high else fail(f"set {name} to a whole number from {low} to {high}")

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
ALLOWED_REPORTS = set(env_list("CXREPORTS_ALLOWED_REPORTS"))
ALLOWED_ORIGINS = env_list("ALLOWED_ORIGINS")
ALLOWED_HOSTS = [h.lower() for h in env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")]
PREVIEW_KEYS = ("params", "data", "tempDataId", "timezone", "lang", "theme", "template")
PAGE_SIZE, MAX_PAGES = number("CXREPORTS_PAGE_SIZE", 200, 1, 1000), 500
TIMEOUT_S = number("CXREPORTS_TIMEOUT_SECS", 10, 1, 600)
PDF_TIMEOUT_S = number("CXREPORTS_PDF_TIMEOUT_SECS", 120, 1, 3600)
MAX_TEMP_DATA_BYTES = number("MAX_TEMP_DATA_BYTES", 256 * 1024, 1, 16 * 1024 * 1024)
RATE_WINDOW_S = number("RATE_LIMIT_WINDOW_SECS", 60, 1, 86400)
RATE_PER_USER = number("RATE_LIMIT_PER_USER", 30, 1, 1_000_000)
RATE_PER_CLIENT = number("RATE_LIMIT_PER_CLIENT", 120, 1, 1_000_000)
CLIENT_ADDRESS_HEADER = env("CLIENT_ADDRESS_HEADER")
HEADERS_TIMEOUT_S = number("HEADERS_TIMEOUT_SECS", 10, 1, 300)
REQUEST_TIMEOUT_S = number("REQUEST_TIMEOUT_SECS", 30, 1, 3600)
MAX_CONNECTIONS = number("MAX_CONNECTIONS", 64, 1, 10_000)

# The demo's users: DEMO_SESSIONS="alice:TOKEN,bob:TOKEN", or DEMO_SESSION=TOKEN for one user, "demo".
DEMO_USERS = [tuple(s.strip() for s in pair.partition(":")[::2]) for pair in env_list("DEMO_SESSIONS")]
DEMO_USERS += [("demo", env("DEMO_SESSION"))] if env("DEMO_SESSION") else []
if any(not name or len(token) < 16 for name, token in DEMO_USERS):  # a short token can be guessed from the open internet
    fail("give DEMO_SESSIONS as name:token pairs, each token at least 16 characters (openssl rand -hex 16)")
app = Flask(__name__)

def log(message):
    print(f"cxreports-host: {message}".replace(PAT, "[redacted]"), file=sys.stderr, flush=True)

# THE SEAM: replace this with your app's own session check (flask-login, your session cookie, a JWT, ...).
# Return the signed-in user with a stable id, or None. There is no login here on purpose: the demo
# accepts the cookie `session=<token>` of a DEMO_SESSIONS user, and nothing else.
def signed_in_user(req):
    given = req.cookies.get("session", "").encode()
    for name, token in DEMO_USERS:
        if hmac.compare_digest(given, token.encode()):
            return {"id": name}
    return None

class HttpError(Exception):
    def __init__(self, status, kind, message, upstream_status=None, headers=None):
        super().__init__(message)
        self.status, self.kind, self.message, self.upstream_status, self.headers = status, kind, message, upstream_status, headers or {}

class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect could carry the PAT elsewhere
        return None

_opener = urllib.request.build_opener(_NoRedirects)
REFUSED_PAT = (502, "upstream_auth", "CxReports refused the server's PAT: the administrator should check CXREPORTS_PAT")

def timed_out(seconds):
    return HttpError(504, "upstream_timeout", f"CxReports did not answer within {seconds:g} s: retry later")

def cxreports(method, path, timeout=TIMEOUT_S, body=None, limit_s=TIMEOUT_S):
    """One call to CxReports with the PAT; answers the open response. CxReports' own error text goes to
    the log only: it may name internal hosts or data."""
    headers = {"Authorization": f"Bearer {PAT}", "Accept-Encoding": "identity"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(CXREPORTS_URL + path, method=method, headers=headers,
                                 data=json.dumps(body).encode() if body is not None else b"" if method == "POST" else None)
    try:
        res = _opener.open(req, timeout=max(timeout, 0.1))
    except urllib.error.HTTPError as e:
        try:
            text = e.read(300).decode("utf-8", "replace")
        except OSError:
            text = ""
        log(f"{method} {path}: CxReports answered {e.code} {e.headers.get('Content-Type', '')}: {json.dumps(text)}")
        e.close()
        if e.code in (401, 403) or 300 <= e.code < 400 or "text/html" in e.headers.get("Content-Type", ""):
            raise HttpError(*REFUSED_PAT)
        raise HttpError(502, "upstream_status", f"CxReports answered status {e.code}: retry later; if it persists, "
                        "the administrator should check CXREPORTS_URL and CXREPORTS_WORKSPACE", e.code)
    except (urllib.error.URLError, OSError) as e:
        log(f"{method} {path}: {e}")
        if isinstance(e, TimeoutError) or isinstance(getattr(e, "reason", None), TimeoutError):
            raise timed_out(limit_s)
        raise HttpError(502, "upstream_unreachable", "CxReports cannot be reached: retry later; if it persists, tell the administrator")
    if "text/html" in res.headers.get("Content-Type", ""):
        log(f"{method} {path}: CxReports answered an HTML page")
        res.close()
        raise HttpError(*REFUSED_PAT)
    return res

def cxreports_json(method, path, shape, deadline=None, body=None):
    """A JSON answer of CxReports, of the type `shape` (list or dict), read whole before `deadline`:
    the socket timeout alone bounds each read, not the answer."""
    deadline = deadline or time.monotonic() + TIMEOUT_S
    chunks = []
    with cxreports(method, path, deadline - time.monotonic(), body) as res:
        try:
            while chunk := res.read(65536):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise TimeoutError
            value = json.loads(b"".join(chunks))
        except TimeoutError:
            raise timed_out(TIMEOUT_S)
        except (ValueError, OSError):
            value = None
    if not isinstance(value, shape):
        raise HttpError(502, "upstream_bad_response", "CxReports sent an answer that cannot be read: retry later")
    return value

def all_reports(report_type):
    """The whole report list, page by page: never rely on CxReports' default page size.
    One deadline for all pages: the reader waits TIMEOUT_S at most, however many pages there are."""
    deadline, seen = time.monotonic() + TIMEOUT_S, {}
    for page in range(MAX_PAGES):
        query = urllib.parse.urlencode({**({"type": report_type} if report_type else {}), "offset": page * PAGE_SIZE, "limit": PAGE_SIZE})
        if time.monotonic() >= deadline:
            raise timed_out(TIMEOUT_S)
        rows = cxreports_json("GET", f"/api/v1/ws/{WORKSPACE}/reports?{query}", list, deadline)
        fresh = [r for r in rows if isinstance(r, dict) and r.get("id") is not None and r["id"] not in seen]
        if rows and not fresh:
            raise HttpError(502, "upstream_bad_response", "CxReports answered the same reports twice, as if it ignored offset: "
                            "the administrator should check CXREPORTS_URL")
        seen.update((r["id"], r) for r in fresh)
        if len(rows) < PAGE_SIZE:
            return [r for r in seen.values() if not ALLOWED_REPORTS or str(r["id"]) in ALLOWED_REPORTS]
    raise HttpError(502, "upstream_list_too_long", "CxReports lists too many reports here: list one report type at a time (?type=CODE)")

# In memory, so per process: run one process (e.g. gunicorn --workers 1 --threads 8). With several,
# keep both tables in a store they share (Redis, your database).
_lock = threading.Lock()
_hits = {}  # (what, "user"|"client", who) -> [count, reset_at]: fixed windows
_temp_data_owners = {}  # CxReports tempDataId -> (user id, expires)
MAX_TEMP_DATA_LIFE_S = 24 * 3600

def rate_limit(what, user):
    client = (request.headers.get(CLIENT_ADDRESS_HEADER, "").split(",")[-1].strip() if CLIENT_ADDRESS_HEADER else "") or request.remote_addr
    now = time.monotonic()
    with _lock:
        if len(_hits) > 10_000:
            for key in [k for k, (_, reset_at) in _hits.items() if reset_at <= now]:
                del _hits[key]
        windows = [(key, limit, hit if (hit := _hits.get(key)) and hit[1] > now else [0, now + RATE_WINDOW_S])
                   for key, limit in (((what, "user", user["id"]), RATE_PER_USER), ((what, "client", client), RATE_PER_CLIENT))]
        full = [hit[1] for _, limit, hit in windows if hit[0] >= limit]
        if full:
            wait = max(1, math.ceil(max(full) - now))
            raise HttpError(429, "rate_limited", f"too many requests: wait {wait} s, then retry", headers={"Retry-After": str(wait)})
        for key, _, hit in windows:
            hit[0] += 1
            _hits[key] = hit

def host_allowed(host):
    """A Host check stops DNS rebinding: a foreign site whose name resolves to this server sends its
    own name as Host (and as Origin), never one of ours."""
    host = host.lower()
    m = re.fullmatch(r"(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::[0-9]{1,5})?", host)
    return bool(m) and any(a in (m.group(1), host) for a in ALLOWED_HOSTS)

def origin_allowed(origin):
    return any(o == origin or (o.endswith(":*") and origin.startswith(o[:-1]) and re.fullmatch(r"[0-9]{1,5}", origin[len(o) - 1:]))
               for o in ALLOWED_ORIGINS)

def bad_origin(origin):
    return HttpError(403, "csrf", f"the page origin {origin} is not allowed: add it to ALLOWED_ORIGINS on the server")

@app.before_request
def guard():
    origin, path = request.headers.get("Origin"), request.path
    if not host_allowed(request.headers.get("Host", "")):
        raise HttpError(421, "bad_host", "this server does not answer for that host name: the administrator should add the public host name to ALLOWED_HOSTS")
    route = re.fullmatch(r"/api/cxreports(/nonce|/reports|/report-types|/temporary-data|/reports/[^/]+/pdf)", path)
    if not route:
        raise HttpError(404, "not_found", "no such endpoint: the widget uses /api/cxreports/nonce, /reports, /report-types and /reports/{id}/pdf")
    method = "POST" if route.group(1) in ("/nonce", "/temporary-data") else "GET"
    if request.method == "OPTIONS":  # a CORS preflight
        if not origin or not origin_allowed(origin):
            raise bad_origin(origin or "(none)")
        return Response(status=204, headers={"Access-Control-Allow-Methods": "GET, POST", "Access-Control-Max-Age": "600",
                                             "Access-Control-Allow-Headers": "content-type, x-requested-with"})
    if origin and not origin_allowed(origin):  # only the configured origins: Host is whatever the caller says
        raise bad_origin(origin)
    if request.method != method:
        raise HttpError(405, "method_not_allowed", f"{request.method} is not allowed here: use {method}")
    user = signed_in_user(request)
    if not user:
        raise HttpError(401, "unauthenticated", "sign in first")
    g.user = user
    if method == "POST":  # CSRF: a cross-site form cannot send X-Requested-With
        if not request.headers.get("X-Requested-With", "").strip():
            raise HttpError(403, "csrf", "this POST lacks the X-Requested-With header: send it (the widget sends X-Requested-With: cxreports-widget)")
        rate_limit(route.group(1), user)

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

def read_body(limit):
    """The request body, at most `limit` bytes, within REQUEST_TIMEOUT_S in all: a client that sends
    one byte at a time would otherwise hold a thread for as long as it likes."""
    if (request.content_length or 0) > limit:
        raise HttpError(413, "too_large", f"the body is larger than {limit} bytes: send less data, or raise MAX_TEMP_DATA_BYTES on the server")
    deadline, chunks, size = time.monotonic() + REQUEST_TIMEOUT_S, [], 0
    while chunk := request.stream.read(min(65536, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise HttpError(413, "too_large", f"the body is larger than {limit} bytes: send less data, or raise MAX_TEMP_DATA_BYTES on the server")
        if time.monotonic() > deadline:
            raise HttpError(408, "timeout", f"the body took longer than {REQUEST_TIMEOUT_S} s to arrive: retry on a better connection")
    return b"".join(chunks)

# Who stored which temporary data: CxReports ids are sequential, so without this any user could
# export a PDF with another user's data by guessing its tempDataId.
@app.post("/api/cxreports/temporary-data")
def temporary_data():
    try:
        body = json.loads(read_body(MAX_TEMP_DATA_BYTES))
    except ValueError:
        body = None
    if not isinstance(body, dict) or "content" not in body or not isinstance(body.get("expiryDate", ""), (str, type(None))):
        raise HttpError(400, "bad_request", 'the body must be JSON like {"content": <any JSON>, "expiryDate": "2026-01-01T00:00:00Z"}')
    stored = cxreports_json("POST", f"/api/v1/ws/{WORKSPACE}/temporary-data", dict,
                            body={"content": body["content"], **({"expiryDate": body["expiryDate"]} if body.get("expiryDate") else {})})
    temp_id, expiry = stored.get("tempDataId"), stored.get("expiryDate")
    if type(temp_id) is not int or not 0 <= temp_id < 10**15 or not isinstance(expiry, str):
        raise HttpError(502, "upstream_bad_response", "CxReports sent no tempDataId: retry later")
    now = time.time()
    try:
        expires = datetime.fromisoformat(expiry.replace("Z", "+00:00")).timestamp()
    except ValueError:
        expires = now + 3600
    with _lock:
        if len(_temp_data_owners) > 10_000:
            for key in [k for k, (_, until) in _temp_data_owners.items() if until <= now]:
                del _temp_data_owners[key]
        _temp_data_owners[str(temp_id)] = (g.user["id"], min(expires, now + MAX_TEMP_DATA_LIFE_S))
    return {"tempDataId": temp_id, "expiryDate": expiry}

def check_temp_data(temp_id):
    if not re.fullmatch(r"[0-9]{1,15}", temp_id):
        raise HttpError(400, "bad_request", "tempDataId must be the number POST /api/cxreports/temporary-data answered")
    with _lock:
        owner, expires = _temp_data_owners.get(temp_id, (None, 0))
    if owner != g.user["id"] or expires <= time.time():
        raise HttpError(403, "forbidden", "this tempDataId is not yours or has expired: store the data again with POST /api/cxreports/temporary-data")

@app.get("/api/cxreports/reports/<report_id>/pdf")
def pdf(report_id):
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,100}", report_id):
        raise HttpError(400, "bad_request", "a report id is letters, digits, - or _: pick one from GET /api/cxreports/reports")
    if ALLOWED_REPORTS and report_id not in ALLOWED_REPORTS:
        raise HttpError(403, "forbidden", f"report {report_id} is not offered here: pick one from GET /api/cxreports/reports")
    inputs = {k: request.args[k] for k in PREVIEW_KEYS if request.args.get(k)}
    if "tempDataId" in inputs:
        check_temp_data(inputs["tempDataId"])
    query = urllib.parse.urlencode(inputs)
    # Its own, longer limit: rendering a big report takes time.
    deadline = time.monotonic() + PDF_TIMEOUT_S
    try:
        res = cxreports("GET", f"/api/v1/ws/{WORKSPACE}/reports/{report_id}/pdf" + (f"?{query}" if query else ""), PDF_TIMEOUT_S, limit_s=PDF_TIMEOUT_S)
    except HttpError as e:
        if e.upstream_status == 404:
            raise HttpError(404, "not_found", f"no report {report_id} in this workspace: pick one from GET /api/cxreports/reports")
        if e.upstream_status == 400:
            raise HttpError(400, "bad_request", "CxReports could not read the report inputs: send params and data as JSON, tempDataId as a number")
        raise
    if "application/pdf" not in res.headers.get("Content-Type", ""):
        res.close()
        raise HttpError(502, "upstream_bad_response", "CxReports sent something other than a PDF: retry later")
    headers = {"Content-Disposition": f'attachment; filename="report-{report_id}.pdf"'}
    # With the length, a client can tell a cut PDF from a whole one.
    if re.fullmatch(r"[0-9]{1,15}", res.headers.get("Content-Length", "")) and not res.headers.get("Content-Encoding"):
        headers["Content-Length"] = res.headers["Content-Length"]
    path = request.path
    def next_chunk():
        try:
            chunk = res.read(65536)
            if time.monotonic() > deadline:
                raise TimeoutError(f"the PDF took longer than {PDF_TIMEOUT_S} s")
            return chunk
        except (OSError, ValueError, http.client.HTTPException) as e:
            res.close()
            log(f"GET {path}: CxReports broke off the PDF: {type(e).__name__}: {e}")
            raise ConnectionAbortedError("CxReports broke off the PDF") from None
    try:  # the first bytes before the answer starts, so that a PDF that fails at once is a JSON 502
        first = next_chunk()
    except ConnectionAbortedError:
        raise HttpError(502, "upstream_bad_response", "CxReports broke off the PDF: retry later")
    def chunks():
        # Once the answer has started, a PDF that breaks off or runs out of time raises
        # ConnectionAbortedError: the server then drops the connection without ending the answer, so
        # the browser sees a failed download, never a short PDF that looks complete (and the server
        # takes it for a lost client, so it logs no traceback).
        with res:
            chunk = first
            while chunk:
                yield chunk
                chunk = next_chunk()
    return Response(chunks(), mimetype="application/pdf", headers=headers)

@app.errorhandler(HttpError)
def http_error(e):
    headers = dict(e.headers)
    if e.status == 405:
        headers["Allow"] = "POST" if request.path.endswith(("/nonce", "/temporary-data")) else "GET"
    return {"error": e.message, "kind": e.kind}, e.status, headers

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
    if origin and origin_allowed(origin) and host_allowed(request.headers.get("Host", "")):
        res.headers.update({"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true",
                            "Access-Control-Expose-Headers": "Content-Disposition, Retry-After"})
    log(f"{request.method} {request.path} {res.status_code}")  # the path only: queries stay out of the log
    return res

if __name__ == "__main__":
    from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

    class Handler(WSGIRequestHandler):
        """Bounds what a slow client can hold (slowloris): the socket timeout bounds each read and write,
        and a timer bounds the request line and headers together."""
        timeout = REQUEST_TIMEOUT_S

        def handle_one_request(self):
            self.headers_late = False
            self.headers_timer = threading.Timer(HEADERS_TIMEOUT_S, self.cut_off)
            self.headers_timer.start()
            try:
                super().handle_one_request()
            finally:
                self.headers_timer.cancel()

        def cut_off(self):
            self.headers_late = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def parse_request(self):
            ok = super().parse_request()
            self.headers_timer.cancel()
            if self.headers_late:  # half the headers are no request
                self.close_connection = True
                return False
            return ok

    class Server(ThreadedWSGIServer):
        """A thread per connection, MAX_CONNECTIONS of them at most; more are closed at once."""
        slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

        def process_request(self, req, client_address):
            if not self.slots.acquire(blocking=False):
                self.shutdown_request(req)
                return
            try:
                super().process_request(req, client_address)
            except BaseException:
                self.slots.release()
                raise

        def process_request_thread(self, req, client_address):
            try:
                super().process_request_thread(req, client_address)
            finally:
                self.slots.release()

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # its request lines would carry query strings
    server = Server(env("HOST", "127.0.0.1"), int(env("PORT", "8090")), app, Handler)
    url = f"http://{server.host}:{server.port}"
    print(f"cxreports-host listening on {url} (CxReports: {CXREPORTS_URL}, workspace: {env('CXREPORTS_WORKSPACE', 'sales')})", flush=True)
    if env("READY_FILE"):
        with open(env("READY_FILE") + ".tmp", "w") as f:
            f.write(url)
        os.replace(env("READY_FILE") + ".tmp", env("READY_FILE"))
    server.serve_forever()
