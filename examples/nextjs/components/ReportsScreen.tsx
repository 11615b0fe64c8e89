// The reports page's content, on the server: who is signed in decides what is
// rendered. Only where CxReports is and the workspace go to the browser.
import { cookies } from "next/headers";
import { publicSettings, settings } from "@/lib/cxreports/config";
import { SESSION_COOKIE, userFromSessionCookie } from "@/lib/cxreports/session";
import { DemoSignIn } from "./DemoSignIn";
import { ReportViewer } from "./ReportViewer";

export async function ReportsScreen({ report, name }: { report?: string; name?: string }) {
  let where: { cxreportsUrl: string; workspace: string };
  try {
    where = publicSettings();
  } catch {
    return (
      <main>
        <h1>Reports</h1>
        <p role="alert">The reports are not set up on this site yet. Tell the site&apos;s administrator.</p>
      </main>
    );
  }
  const user = userFromSessionCookie((await cookies()).get(SESSION_COOKIE)?.value);
  if (!user) {
    return (
      <main>
        <h1>Reports</h1>
        <p>Sign in to see the reports.</p>
        {settings().demoSignIn && <DemoSignIn />}
      </main>
    );
  }
  return (
    <main>
      <ReportViewer cxreportsUrl={where.cxreportsUrl} workspace={where.workspace} report={report} name={name} />
    </main>
  );
}
