// A static server that answers as a production host or CDN does, for the
// phone rows of the benchmark: every text and wasm file compressed once at
// start (brotli at quality 11 and gzip -9), served with `Content-Encoding`
// chosen from the request's `Accept-Encoding`, a strong ETag per encoding,
// `Vary: Accept-Encoding`, `Cache-Control`, and 304 on `If-None-Match`.
// /api/cxreports/ and /auth/ go on to the host backend, as a host app serves
// its own backend under its own origin.
//
//   node bench/js/cdn-server.mjs --bundle DIR --pages DIR --backend URL --ready-file FILE
//        [--addr 127.0.0.1:0] [--encoding auto|gzip|identity]
//
// URL layout: /cxreports/… is the bundle (as docs/embedding.md's lines name
// it), /www/bench/… the bench pages. --encoding gzip never sends brotli;
// identity sends every file as it is. The server answers GET /__encodings
// with how many bundle responses went out in each encoding.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { extname, join, relative, sep } from "node:path";
import { constants, brotliCompressSync, gzipSync } from "node:zlib";
import { parseArgs, log } from "./util.mjs";

const args = parseArgs(process.argv.slice(2), {
  bundle: "", pages: "", backend: "", "ready-file": "", addr: "127.0.0.1:0", encoding: "auto",
});
for (const name of ["bundle", "pages", "backend", "ready-file"]) {
  if (!args[name]) throw new Error(`--${name} is required`);
}
if (!["auto", "gzip", "identity"].includes(args.encoding)) {
  throw new Error(`--encoding must be auto (brotli when accepted, else gzip), gzip or identity, not ${args.encoding}`);
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml",
};
/** What a host compresses: text and WebAssembly (not images, already compressed). */
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg"]);
const PROXIED = ["/api/cxreports/", "/auth/"];

/** One file as served: its bytes in each encoding, each with its ETag. */
function prepare(path) {
  const raw = readFileSync(path);
  const ext = extname(path);
  const variants = { identity: raw };
  if (COMPRESSIBLE.has(ext)) {
    variants.gzip = gzipSync(raw, { level: 9 });
    variants.br = brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: ext === ".wasm" ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    });
  }
  const hash = createHash("sha256").update(raw).digest("base64url").slice(0, 22);
  return {
    type: TYPES[ext] ?? "application/octet-stream",
    modified: statSync(path).mtime.toUTCString(),
    variants: Object.fromEntries(Object.entries(variants).map(([enc, bytes]) => [enc, { bytes, etag: `"${hash}-${enc}"` }])),
  };
}

/** Every file under `dir`, by URL path under `prefix`, compressed once. */
function precompress(dir, prefix) {
  const files = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      if (name.startsWith(".")) continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(`${prefix}/${relative(dir, path).split(sep).join("/")}`, prepare(path));
    }
  };
  walk(dir);
  return files;
}

const files = new Map([...precompress(args.bundle, "/cxreports"), ...precompress(args.pages, "/www/bench")]);
const served = { br: 0, gzip: 0, identity: 0 };

/** The encoding to send, from `Accept-Encoding` and what --encoding allows. */
function chooseEncoding(accept, file) {
  if (args.encoding === "identity" || !file.variants.gzip) return "identity";
  const offered = new Map();
  for (const part of String(accept ?? "").split(",")) {
    const [token, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (token) offered.set(token, q ? Number(q.slice(2)) : 1);
  }
  const ok = (name) => (offered.get(name) ?? offered.get("*") ?? 0) > 0;
  if (args.encoding === "auto" && ok("br")) return "br";
  return ok("gzip") ? "gzip" : "identity";
}

function serveFile(req, res, path) {
  const file = files.get(path) ?? files.get(path.endsWith("/") ? `${path}index.html` : "");
  if (!file) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end(`not found: ${path}\n`);
    return;
  }
  const encoding = chooseEncoding(req.headers["accept-encoding"], file);
  const { bytes, etag } = file.variants[encoding];
  if (path.startsWith("/cxreports/")) served[encoding] += 1;
  const headers = {
    "Content-Type": file.type,
    ETag: etag,
    "Last-Modified": file.modified,
    Vary: "Accept-Encoding",
    // The bundle as a CDN caches a release's files; the pages revalidate.
    "Cache-Control": path.startsWith("/cxreports/") ? "public, max-age=3600" : "no-cache",
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Timing-Allow-Origin": "*",
  };
  if (req.headers["if-none-match"]?.split(",").map((t) => t.trim()).includes(etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  if (encoding !== "identity") headers["Content-Encoding"] = encoding;
  headers["Content-Length"] = bytes.length;
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : bytes);
}

function forward(req, res) {
  const target = new URL(args.backend);
  const headers = { ...req.headers };
  delete headers.host;
  delete headers.connection;
  const upstream = httpRequest({
    hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers,
  }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
    res.end("the host backend did not answer\n");
  });
  req.pipe(upstream);
}

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  if (PROXIED.some((p) => path.startsWith(p))) forward(req, res);
  else if (path === "/__encodings") res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(served));
  else if (req.method === "GET" || req.method === "HEAD") serveFile(req, res, path);
  else res.writeHead(405, { "Content-Type": "text/plain" }).end("method not allowed\n");
});
const [host, port] = [args.addr.slice(0, args.addr.lastIndexOf(":")), Number(args.addr.slice(args.addr.lastIndexOf(":") + 1))];
server.listen(port, host, () => {
  const url = `http://${host}:${server.address().port}`;
  writeFileSync(`${args["ready-file"]}.tmp`, url);
  renameSync(`${args["ready-file"]}.tmp`, args["ready-file"]);
  log(`cdn: ${files.size} files precompressed, on ${url} (encoding ${args.encoding})`);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
