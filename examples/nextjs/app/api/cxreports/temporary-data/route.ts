// POST /api/cxreports/temporary-data {"content": …, "expiryDate"?: "…"}:
// stores large report data in CxReports; the tempDataId it answers works in
// this user's PDF exports only. The page's own code calls it, never the widget.
import { endpoint } from "@/lib/cxreports/guard";
import { HttpError } from "@/lib/cxreports/errors";
import { rememberTempData } from "@/lib/cxreports/limits";
import { storeTempData } from "@/lib/cxreports/upstream";

export const dynamic = "force-dynamic";

const shape = 'The body must be JSON like {"content": <any JSON>, "expiryDate": "2026-01-01T00:00:00Z"}.';

export const POST = endpoint("temporary-data", async ({ request, user, settings }) => {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = () => new HttpError(413, "too_large", `The data is larger than ${settings.maxTempDataBytes} bytes. Send less.`);
  if (declared > settings.maxTempDataBytes) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > settings.maxTempDataBytes) throw tooLarge();
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
