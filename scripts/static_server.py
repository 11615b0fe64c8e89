#!/usr/bin/env python3
"""Serves a folder as a plain static host would (another origin than the
backend and the simulator), for the drop-in browser tests. Sends CORS and
CORP headers so a page on another origin may import the module and the wasm,
and serves any `csp.html` under the strict Content-Security-Policy that
SECURITY.md recommends. Writes its URL to --ready-file once listening."""
import argparse
import functools
import http.client
import http.server
import os
import re
import urllib.parse

# With --proxy, these paths go to the host backend, as a host app serves its
# own backend under its own origin (the benchmark's same-origin pages).
PROXIED = ("/api/cxreports/", "/auth/")

ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?$")


def strict_csp(query):
    """The strict policy SECURITY.md recommends, for the origins in the query
    (cdn: the widget bundle, backend: the host backend, cxreports: CxReports)."""
    params = urllib.parse.parse_qs(query)
    origin = lambda key: next((v for v in params.get(key, []) if ORIGIN.match(v)), None)
    cdn, backend, cxreports = origin("cdn"), origin("backend"), origin("cxreports")
    if not (cdn and backend and cxreports):
        return None
    return (
        "default-src 'none'; "
        f"script-src 'self' {cdn} 'wasm-unsafe-eval'; "
        f"connect-src {cdn} {backend}; "
        f"frame-src {cxreports}; "
        "style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
    )


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
    }

    proxy = None

    def do_GET(self):
        if not self.forward():
            super().do_GET()

    def do_HEAD(self):
        if not self.forward():
            super().do_HEAD()

    def do_POST(self):
        if not self.forward():
            self.send_error(405)

    def do_OPTIONS(self):
        if not self.forward():
            self.send_error(405)

    def forward(self):
        """Passes a request for the host backend on, as it came; answers
        with what the backend answered. False when it is not one."""
        if not self.proxy or not self.path.startswith(PROXIED):
            return False
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        target = urllib.parse.urlsplit(self.proxy)
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        except OSError:
            self.send_error(502)
            return True
        finally:
            connection.close()
        self.send_response_only(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        http.server.BaseHTTPRequestHandler.end_headers(self)
        if self.command != "HEAD":
            self.wfile.write(data)
        return True

    def end_headers(self):
        path, _, query = self.path.partition("?")
        if path.endswith("/csp.html"):
            policy = strict_csp(query)
            if policy:
                self.send_header("Content-Security-Policy", policy)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cross-Origin-Resource-Policy", "cross-origin")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, fmt, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--addr", default="127.0.0.1:0")
    parser.add_argument("--ready-file")
    parser.add_argument("--proxy", help="host backend URL that /api/cxreports/ and /auth/ go to")
    args = parser.parse_args()
    host, port = args.addr.rsplit(":", 1)
    Handler.proxy = args.proxy
    handler = functools.partial(Handler, directory=args.root)
    server = http.server.ThreadingHTTPServer((host, int(port)), handler)
    url = "http://%s:%d" % server.server_address[:2]
    if args.ready_file:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(url)
        os.replace(tmp, args.ready_file)
    print("static server on", url, "for", args.root, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
