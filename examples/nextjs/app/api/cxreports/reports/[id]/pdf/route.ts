// GET /api/cxreports/reports/{id}/pdf?params=…: the report as a PDF download
// named report-{id}.pdf, streamed. Only the preview keys are passed on, and a
// tempDataId only if this user stored it.
import type { NextRequest } from "next/server";
import { endpoint } from "@/lib/cxreports/guard";
import { HttpError } from "@/lib/cxreports/errors";
import { checkTempData } from "@/lib/cxreports/limits";
import { pdf } from "@/lib/cxreports/upstream";

export const dynamic = "force-dynamic";

const PREVIEW_KEYS = ["params", "data", "tempDataId", "timezone", "lang", "theme", "template"];

export async function GET(request: NextRequest, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return endpoint("pdf", async ({ user, settings }) => {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new HttpError(400, "bad_request", "A report id is letters, digits, - or _. Choose a report from the list.");
    if (settings.allowedReports.size > 0 && !settings.allowedReports.has(id)) {
      throw new HttpError(403, "forbidden", `Report ${id} is not offered here. Choose a report from the list.`);
    }
    const query = new URLSearchParams();
    for (const key of PREVIEW_KEYS) {
      const value = request.nextUrl.searchParams.get(key);
      if (value) query.set(key, value);
    }
    const tempDataId = query.get("tempDataId");
    if (tempDataId !== null) checkTempData(tempDataId, user.id);
    return pdf(id, query);
  })(request);
}
