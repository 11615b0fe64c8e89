// GET /api/cxreports/report-types: the workspace's report types, as CxReports lists them.
import { endpoint } from "@/lib/cxreports/guard";
import { reportTypes } from "@/lib/cxreports/upstream";

export const dynamic = "force-dynamic";

export const GET = endpoint("report-types", () => reportTypes());
