// GET /api/cxreports/reports[?type=CODE]: the workspace's reports, read from
// CxReports page by page and filtered by CXREPORTS_ALLOWED_REPORTS.
import { endpoint } from "@/lib/cxreports/guard";
import { allReports } from "@/lib/cxreports/upstream";

export const dynamic = "force-dynamic";

export const GET = endpoint("reports", ({ request }) => allReports(request.nextUrl.searchParams.get("type")));
