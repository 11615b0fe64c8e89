// /reports/{id}: the reports page with that report open (a link to share, a
// page to reload).
import { notFound } from "next/navigation";
import { ReportsScreen } from "@/components/ReportsScreen";

export const dynamic = "force-dynamic";

export default async function ReportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) notFound();
  return <ReportsScreen report={id} />;
}
