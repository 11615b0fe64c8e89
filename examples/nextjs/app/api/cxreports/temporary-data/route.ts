// POST /api/cxreports/temporary-data {"content": …, "expiryDate"?: "…"}:
// stores large report data in CxReports; the tempDataId it answers works in
// this user's PDF exports only. The page's own code calls it, never the widget.
import { endpoint } from "@/lib/cxreports/guard";
import { HttpError } from "@/lib/cxreports/errors";
import { rememberTempData } from "@/lib/cxreports/limits";
import { storeTempData } from "@/lib/cxreports/upstream";

export const dynamic = "force-dynamic";

const shape = 'The body must be JSON like {"content": <any JSON>, "expiryDate": "2026-01-01T00:00:00Z"}.';

/** The body as text, read no further than `limit` bytes (a chunked body has no length to check first). */
async function readLimited(request: Request, limit: number): Promise<string> {
  const tooLarge = () => new HttpError(413, "too_large", `The data is larger than ${limit} bytes. Send less.`);
  if (Number(request.headers.get("content-length") ?? "0") > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export const POST = endpoint("temporary-data", async ({ request, user, settings }) => {
  const text = await readLimited(request, settings.maxTempDataBytes);
  let body: { content?: unknown; expiryDate?: unknown } | null = null;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, "bad_request", shape);
  }
  if (!body || typeof body !== "object" || !("content" in body) || (body.expiryDate != null && typeof body.expiryDate !== "string")) {
    throw new HttpError(400, "bad_request", shape);
  }
  const stored = await storeTempData(body.content, body.expiryDate ?? undefined);
  rememberTempData(String(stored.tempDataId), user.id, stored.expiryDate);
  return stored;
});
