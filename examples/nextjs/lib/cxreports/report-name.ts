// The name of one report, for a page rendered on the server (its heading and
// title), for the signed-in user only. Once per render, however many places
// ask (React's cache).
import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { log } from "./config";
import { SESSION_COOKIE, userFromSessionCookie } from "./session";
import { allReports } from "./upstream";

/** What the server knows of a report: "absent" when it is not listed for this user. */
export type ReportName = { kind: "named"; name: string } | { kind: "absent" } | { kind: "unknown" };

/**
 * The report's name from the (allowlisted) list; "unknown" when no one is
 * signed in or CxReports cannot be asked now (the widget tells the reader).
 */
export const reportName = cache(async (id: string): Promise<ReportName> => {
  if (!userFromSessionCookie((await cookies()).get(SESSION_COOKIE)?.value)) return { kind: "unknown" };
  try {
    const found = (await allReports(null)).find((row) => String(row.id) === id);
    if (!found) return { kind: "absent" };
    return typeof found.name === "string" ? { kind: "named", name: found.name } : { kind: "unknown" };
  } catch (error) {
    log(`the name of report ${id} could not be read: ${(error as Error).message}`);
    return { kind: "unknown" };
  }
});
