// `<cx-report-viewer>` in React JSX (React 18 and 19). Add once, e.g. in
// your app's entry or a .d.ts of its own:
//
//   import type {} from "cxreports-widget/react";
//
// React 19 sets the camelCase props below as the element's properties
// (objects and functions included). React 18 sets every prop as an
// attribute: there, give options as kebab-case attributes (text) and set
// `fetchNonce`, `reports` or object `params` on the element through a ref.
import type * as React from "react";
import type { CxReportViewerElement, ViewerOptions } from "./cxreports-widget.js";

/** The options as kebab-case attributes (text, as HTML writes them). */
export interface CxReportViewerAttributes {
  "cxreports-url"?: string;
  workspace?: string;
  "nonce-url"?: string;
  "reports-url"?: string;
  "report-types-url"?: string;
  report?: string | number;
  "temp-data-id"?: string | number;
  timezone?: string;
  theme?: string;
  template?: string;
  "params-encoding"?: "json" | "base64";
  "pdf-url"?: string;
  "request-headers"?: string;
  credentials?: "same-origin" | "include";
  "show-picker"?: "true" | "false";
  height?: string | number;
  "timeout-ms"?: string | number;
  retries?: string | number;
  "prefetch-nonce"?: "true" | "false";
  "nonce-max-age-ms"?: string | number;
  locale?: string;
  "color-scheme"?: "light" | "dark" | "auto";
}

/** What `<cx-report-viewer>` takes in JSX. */
export type CxReportViewerProps = React.DetailedHTMLProps<React.HTMLAttributes<CxReportViewerElement>, CxReportViewerElement>
  & CxReportViewerAttributes
  & Partial<Omit<ViewerOptions, keyof CxReportViewerAttributes | "lang">>;

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "cx-report-viewer": CxReportViewerProps;
    }
  }
}
