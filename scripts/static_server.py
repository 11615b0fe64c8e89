#!/usr/bin/env python3
"""Serves a folder as a plain static host would (another origin than the
backend and the simulator), for the drop-in browser tests. Sends CORS and
CORP headers so a page on another origin may import the module and the wasm,
and serves any `csp.html` under the strict Content-Security-Policy that
SECURITY.md recommends. Writes its URL to --ready-file once listening."""
import argparse
import functools
import http.server
import os
import re
import urllib.parse

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
    args = parser.parse_args()
    host, port = args.addr.rsplit(":", 1)
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
