// /reports/{id}: the reports page with that report open (a link to share, a
// page to reload), its name in the heading and the title from the server
// render; 404 for a report this user is not offered.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ReportsScreen } from "@/components/ReportsScreen";
import { reportName } from "@/lib/cxreports/report-name";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };
const REPORT_ID = /^[A-Za-z0-9_-]{1,100}$/;

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  if (!REPORT_ID.test(id)) return {};
  const known = await reportName(id);
  return known.kind === "named" ? { title: `${known.name} · Reports` } : {};
}

export default async function ReportPage({ params }: Params) {
  const { id } = await params;
  if (!REPORT_ID.test(id)) notFound();
  const known = await reportName(id);
  if (known.kind === "absent") notFound();
  return <ReportsScreen report={id} name={known.kind === "named" ? known.name : undefined} />;
}
