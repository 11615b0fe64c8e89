"use client";
// The widget on a server-rendered page. The server renders the element with
// its attributes; the module that defines it (and loads its WebAssembly) is
// imported in the browser only, after hydration, so the server never runs it
// and hydration sees the markup it rendered. The widget's events drive the
// page: the chosen report's name in the heading and the tab's title, and its
// address in the URL (/reports/{id}).
import { useEffect, useRef, useState } from "react";
import type {} from "cxreports-widget/react";
import type { CxReportViewerElement, ViewerEventMap } from "cxreports-widget";

type Props = {
  /** Where CxReports is (its viewer page is loaded in the widget's iframe). */
  cxreportsUrl: string;
  /** The CxReports workspace. */
  workspace: string;
  /** The report to open at once, from /reports/{id}; optional. */
  report?: string;
  /** Its name, as the server found it; optional. */
  name?: string;
};

type Shown = { report: string; name: string | null };

export function ReportViewer({ cxreportsUrl, workspace, report, name }: Props) {
  const ref = useRef<CxReportViewerElement>(null);
  const [shown, setShown] = useState<Shown | null>(report ? { report, name: name ?? null } : null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const viewer = ref.current;
    if (!viewer) return;
    let live = true;
    // A failure after this is the widget's to show (in the reader's language);
    // only a module that never arrives is the page's.
    import("cxreports-widget").catch(() => {
      if (live) setProblem("The report viewer could not be loaded. Reload the page to try again.");
    });
    const onSelect = (event: ViewerEventMap["cxreports:select"]) => {
      const id = String(event.detail.report);
      setShown((before) => (before?.report === id ? before : { report: id, name: null }));
      const path = `/reports/${encodeURIComponent(id)}`;
      if (window.location.pathname !== path) window.history.replaceState(null, "", path);
    };
    // The viewer may load before the widget's list has arrived: then its name is
    // null, and the one already shown (from the server) stays.
    const onLoad = (event: ViewerEventMap["cxreports:load"]) => {
      const id = String(event.detail.report);
      setShown((before) => ({ report: id, name: event.detail.name ?? (before?.report === id ? before.name : null) }));
    };
    viewer.addEventListener("cxreports:select", onSelect);
    viewer.addEventListener("cxreports:load", onLoad);
    return () => {
      live = false;
      viewer.removeEventListener("cxreports:select", onSelect);
      viewer.removeEventListener("cxreports:load", onLoad);
    };
  }, []);

  const heading = shown ? (shown.name ?? `Report ${shown.report}`) : "Reports";
  useEffect(() => {
    document.title = shown?.name ? `${shown.name} · Reports` : "Reports";
  }, [shown]);

  return (
    <>
      <h1 id="report-heading">{heading}</h1>
      {problem && (
        <p id="report-problem" role="alert">
          {problem}
        </p>
      )}
      <cx-report-viewer
        ref={ref}
        cxreports-url={cxreportsUrl}
        workspace={workspace}
        nonce-url="/api/cxreports/nonce"
        reports-url="/api/cxreports/reports"
        report-types-url="/api/cxreports/report-types"
        pdf-url="/api/cxreports/reports"
        report={report}
        height="560px"
      />
    </>
  );
}
