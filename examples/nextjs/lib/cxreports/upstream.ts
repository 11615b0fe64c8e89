// Calls to CxReports with the PAT, each under a time limit. Redirects are not
// followed (they could carry the PAT elsewhere). CxReports' own error text
// goes to the server log only: it may name internal hosts or data.
import "server-only";
import { Buffer } from "node:buffer";
import { log, settings } from "./config";
import { HttpError } from "./errors";

const MAX_PAGES = 500;

const refusedPat = () => new HttpError(502, "upstream_auth", "CxReports refused this site's access token. Tell the site's administrator.");
const timedOut = (ms: number) => new HttpError(504, "upstream_timeout", `CxReports did not answer within ${ms / 1000} s. Try again in a moment.`);
const unreadable = (what: string) => new HttpError(502, "upstream_bad_response", `CxReports sent ${what} that cannot be read. Try again in a moment.`);

type CallOptions = { signal?: AbortSignal; ms?: number; json?: unknown; headers?: Record<string, string> };

/** One call to CxReports; a refusal or failure becomes an `HttpError` the reader can act on. */
async function cxreports(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const { cxreportsUrl, pat, timeoutMs } = settings();
  const ms = options.ms ?? timeoutMs;
  let response: Response;
  try {
    response = await fetch(cxreportsUrl + path, {
      method,
      signal: options.signal ?? AbortSignal.timeout(ms),
      redirect: "manual",
      cache: "no-store",
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      headers: {
        authorization: `Bearer ${pat}`,
        ...(options.json === undefined ? {} : { "content-type": "application/json" }),
        ...options.headers,
      },
    });
  } catch (error) {
    const e = error as Error & { cause?: unknown };
    log(`${method} ${path}: ${String(e.cause ?? e)}`);
    if (e.name === "TimeoutError") throw timedOut(ms);
    throw new HttpError(502, "upstream_unreachable", "CxReports cannot be reached. Try again in a moment; if it persists, tell the site's administrator.");
  }
  const type = response.headers.get("content-type") ?? "";
  if (response.ok && !type.includes("text/html")) return response;
  const text = await response.text().catch(() => "");
  log(`${method} ${path}: CxReports answered ${response.status} ${type}: ${JSON.stringify(text.slice(0, 300))}`);
  if (response.status === 401 || response.status === 403 || (response.status >= 300 && response.status < 400) || type.includes("text/html")) {
    throw refusedPat();
  }
  throw new HttpError(502, "upstream_status", `CxReports answered status ${response.status}. Try again in a moment; if it persists, tell the site's administrator.`, response.status);
}

async function readJson(response: Response, ms: number): Promise<unknown> {
  try {
    return await response.json();
  } catch (error) {
    if ((error as Error).name === "TimeoutError") throw timedOut(ms);
    return null;
  }
}

async function jsonList(path: string, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
  const body = await readJson(await cxreports("GET", path, { signal }), settings().timeoutMs);
  if (!Array.isArray(body)) throw unreadable("a list");
  return body;
}

const workspacePath = () => `/api/v1/ws/${encodeURIComponent(settings().workspace)}`;

/** A fresh single-use nonce for the viewer. */
export async function mintNonce(): Promise<{ nonce: string }> {
  const body = (await readJson(await cxreports("POST", "/api/v1/nonce-tokens"), settings().timeoutMs)) as { nonce?: unknown } | null;
  if (typeof body?.nonce !== "string" || !body.nonce) throw unreadable("a nonce");
  return { nonce: body.nonce };
}

/** The workspace's report types, as CxReports lists them. */
export function reportTypes(): Promise<Record<string, unknown>[]> {
  return jsonList(`${workspacePath()}/report-types`);
}

/** The whole report list (of one type, if given), page by page under one time limit, allowlisted. */
export async function allReports(type: string | null): Promise<Record<string, unknown>[]> {
  const { pageSize, timeoutMs, allowedReports } = settings();
  const signal = AbortSignal.timeout(timeoutMs);
  const seen = new Map<unknown, Record<string, unknown>>();
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ ...(type ? { type } : {}), offset: String(page * pageSize), limit: String(pageSize) });
    const rows = await jsonList(`${workspacePath()}/reports?${query}`, signal);
    const fresh = rows.filter((row) => row && row.id != null && !seen.has(row.id));
    if (rows.length > 0 && fresh.length === 0) {
      log("CxReports answered the same reports twice, as if it ignored offset: check CXREPORTS_URL");
      throw unreadable("a report list");
    }
    for (const row of fresh) seen.set(row.id, row);
    if (rows.length < pageSize) {
      return [...seen.values()].filter((row) => allowedReports.size === 0 || allowedReports.has(String(row.id)));
    }
  }
  throw new HttpError(502, "upstream_list_too_long", "There are too many reports to list at once. Choose a report type first.");
}

/** Stores `content` as temporary data; answers CxReports' id and expiry. */
export async function storeTempData(content: unknown, expiryDate?: string): Promise<{ tempDataId: number; expiryDate: string }> {
  const response = await cxreports("POST", `${workspacePath()}/temporary-data`, { json: { content, ...(expiryDate ? { expiryDate } : {}) } });
  const stored = (await readJson(response, settings().timeoutMs)) as { tempDataId?: unknown; expiryDate?: unknown } | null;
  if (typeof stored?.tempDataId !== "number" || !Number.isSafeInteger(stored.tempDataId) || stored.tempDataId < 0 || typeof stored.expiryDate !== "string") {
    throw unreadable("no tempDataId, or one");
  }
  return { tempDataId: stored.tempDataId, expiryDate: stored.expiryDate };
}

/**
 * The report as a PDF download, streamed from CxReports under its own time
 * limit. Without a Content-Length, a PDF must end with its %%EOF line: one
 * that breaks off errors the stream, so the reader gets a failed download,
 * never a short file that looks whole.
 */
export async function pdf(id: string, query: URLSearchParams): Promise<Response> {
  const { pdfTimeoutMs } = settings();
  const upstream = await cxreports("GET", `${workspacePath()}/reports/${id}/pdf${query.size ? `?${query}` : ""}`, {
    signal: AbortSignal.timeout(pdfTimeoutMs),
    ms: pdfTimeoutMs,
    headers: { "accept-encoding": "identity" },
  }).catch((error) => {
    if (error instanceof HttpError && error.upstreamStatus === 404) {
      throw new HttpError(404, "not_found", `There is no report ${id} here. Choose one from the list.`);
    }
    if (error instanceof HttpError && error.upstreamStatus === 400) {
      throw new HttpError(400, "bad_request", "CxReports could not read the report's inputs: send params and data as JSON, tempDataId as a number.");
    }
    throw error;
  });
  if (!upstream.body || !upstream.headers.get("content-type")?.includes("application/pdf")) {
    await upstream.body?.cancel();
    throw unreadable("something other than a PDF");
  }
  const headers: Record<string, string> = {
    "content-type": "application/pdf",
    "content-disposition": `attachment; filename="report-${id}.pdf"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  };
  const length = upstream.headers.get("content-length") ?? "";
  if (/^\d+$/.test(length) && !upstream.headers.get("content-encoding")) headers["content-length"] = length;
  let tail = "";
  const whole = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      tail = (tail + Buffer.from(chunk).toString("latin1")).slice(-1024);
      controller.enqueue(chunk);
    },
    flush(controller) {
      if (!headers["content-length"] && !tail.includes("%%EOF")) {
        log(`GET report ${id} PDF: CxReports broke off the PDF (no %%EOF at its end)`);
        controller.error(new Error("CxReports broke off the PDF"));
      }
    },
  });
  return new Response(upstream.body.pipeThrough(whole), { status: 200, headers });
}
