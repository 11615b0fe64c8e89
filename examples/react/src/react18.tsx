// Type-checked against React 18's types (tsconfig.react18.json): there every
// prop is an attribute, so options are kebab-case text and the rest goes in
// through a ref.
import { useEffect, useRef } from "react";
import type {} from "cxreports-widget/react";
import type { CxReportViewerElement } from "cxreports-widget";

export function Reports18() {
  const ref = useRef<CxReportViewerElement>(null);
  useEffect(() => {
    const viewer = ref.current;
    if (!viewer) return;
    viewer.reports = [{ id: 1, name: "Sales", reportTypeId: 1, reportTypeName: "Invoice" }];
    viewer.fetchNonce = async () => "nonce-from-your-backend";
    const onLoad = (event: CustomEvent<{ report: string | number; name: string | null }>) => console.log(event.detail.name);
    viewer.addEventListener("cxreports:load", onLoad);
    return () => viewer.removeEventListener("cxreports:load", onLoad);
  }, []);
  return <cx-report-viewer ref={ref} cxreports-url="https://reports.example.com" workspace="sales" show-picker="true" color-scheme="dark" />;
}
