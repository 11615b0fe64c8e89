// Types for cxreports-widget.js, the module a host page imports.

/** A report: its numeric id, or a report-type code (that type's default report). */
export type ReportRef = number | string;

/** A report as the host backend lists it (the CxReports shape). */
export interface Report {
  id: number;
  name: string;
  reportTypeId: number;
  reportTypeName: string;
  reportTemplateName?: string;
  previewImage?: string | null;
  themeName?: string | null;
  isDefault?: boolean;
}

// BEGIN GENERATED from src/config/surface.rs and src/i18n: do not edit.
// `CXR_REGENERATE=1 cargo test -p cxreports-widget --test surface` writes it again.

/** Options of `mount()`. Attributes of `<cx-report-viewer>` mirror them in kebab-case. */
export interface ViewerOptions {
  /** CxReports base URL, absolute http(s). Required. */
  cxreportsUrl: string;
  /** Workspace id or code. Required. */
  workspace: string | number;
  /** Your backend's endpoint: POST answers `{"nonce": "..."}`. Give this or `fetchNonce`. */
  nonceUrl?: string;
  /** Your own async function returning a fresh nonce. Give this or `nonceUrl`. */
  fetchNonce?: () => Promise<string> | string;
  /** Your backend's GET endpoint listing reports. */
  reportsUrl?: string;
  /** Your backend's GET endpoint listing report types (orders the picker's groups). */
  reportTypesUrl?: string;
  /** A static list instead of `reportsUrl`. */
  reports?: Report[];
  /** The report shown first. */
  report?: ReportRef;
  /** Report parameters. */
  params?: Record<string, unknown>;
  /** Inline report data (small payloads: it rides in the URL). */
  data?: unknown;
  /** Id of data stored through your backend's temporary-data endpoint. For its PDF, the reference backend wants the `tempDataHandle` it answered too: put it in `pdfUrl`'s query. */
  tempDataId?: number;
  /**
   * IANA time zone for the viewer's dates, e.g. "Europe/Belgrade". Default:
   * the reader's own zone (the browser's). `false` or "none" sends none.
   */
  timezone?: string | false;
  /** Report language (the viewer's); also the widget's, when `locale` is not given. */
  lang?: string;
  /** Theme id or code. */
  theme?: string;
  /** Template id or code. */
  template?: string;
  /** How params ride in the viewer URL. Default "json". */
  paramsEncoding?: "json" | "base64";
  /** Your backend's PDF endpoint: `{pdfUrl}/{report}/pdf`, or a URL containing `{report}`. Enables the PDF button. */
  pdfUrl?: string;
  /** Extra headers for calls to your backend only (e.g. a CSRF token). Never a credential. */
  requestHeaders?: Record<string, string>;
  /** "include" when your backend is on another origin and uses cookies. Default "same-origin". */
  credentials?: "same-origin" | "include";
  /** Show the report picker. Default true. */
  showPicker?: boolean;
  /** CSS height, or pixels. Default "600px". */
  height?: string | number;
  /** Time limit of each call to your backend and of `fetchNonce`, ms. Default 15000. */
  timeoutMs?: number;
  /** Time limit of a PDF export, ms: the report is rendered while the reader waits. Never retried. Default 120000. */
  pdfTimeoutMs?: number;
  /** Retries of a transient failure (network, timeout, 408/429/502/503/504). Default 2. */
  retries?: number;
  /** Keep one fresh nonce ready so switching reports needs no round trip. Default true. */
  prefetchNonce?: boolean;
  /** Age after which a prefetched nonce is dropped unused, ms. Default 30000. */
  nonceMaxAgeMs?: number;
  /**
   * Age after which the viewer's session counts as expired, ms: when the page becomes
   * visible again, is restored from the back/forward cache or comes back online with
   * an older session, the report is opened again with a fresh nonce
   * (`cxreports:reopen`). Set it a little below the CxReports server's session
   * lifetime. 0: never. Default 1800000 (30 minutes).
   */
  sessionMaxAgeMs?: number;
  /** "lazy": request nothing and show no report until the widget nears the viewport (200px). Default "eager". */
  loading?: "eager" | "lazy";
  /**
   * The widget's own language, a BCP 47 tag like "de" or "sr-Latn". Default:
   * the first of `lang`, the element's or page's `lang` and the browser's
   * languages that has a catalog (en, de, fr, es, it, pt, nl, pl, hr, sr-Latn),
   * else English. Right-to-left languages lay the widget out mirrored.
   */
  locale?: string;
  /** Your own texts for any message key, over the language's catalog (see the README). */
  messages?: Partial<Record<MessageKey, string>>;
  /** The built-in colors: "light" (default), "dark", or "auto" (follows prefers-color-scheme). */
  colorScheme?: "light" | "dark" | "auto";
}

/** Every option's name. */
export type OptionName =
  | "cxreportsUrl" | "workspace" | "nonceUrl" | "fetchNonce" | "reportsUrl" | "reportTypesUrl"
  | "reports" | "report" | "params" | "data" | "tempDataId" | "timezone" | "lang" | "theme"
  | "template" | "paramsEncoding" | "pdfUrl" | "requestHeaders" | "credentials" | "showPicker"
  | "height" | "timeoutMs" | "pdfTimeoutMs" | "retries" | "prefetchNonce" | "nonceMaxAgeMs"
  | "sessionMaxAgeMs" | "loading" | "locale" | "messages" | "colorScheme";

/** The attributes of `<cx-report-viewer>` that are options. */
export type OptionAttribute =
  | "cxreports-url" | "workspace" | "nonce-url" | "reports-url" | "report-types-url" | "reports"
  | "report" | "params" | "data" | "temp-data-id" | "timezone" | "lang" | "theme" | "template"
  | "params-encoding" | "pdf-url" | "request-headers" | "credentials" | "show-picker" | "height"
  | "timeout-ms" | "pdf-timeout-ms" | "retries" | "prefetch-nonce" | "nonce-max-age-ms"
  | "session-max-age-ms" | "loading" | "locale" | "messages" | "color-scheme";

/** The keys of the widget's messages (see the README's language section). */
export type MessageKey =
  | "reports" | "searchPlaceholder" | "noReports" | "noMatch" | "defaultBadge" | "defaultBadgeTitle"
  | "loadingReports" | "chooseReport" | "chooseHint" | "close" | "previewLabel" | "actionsLabel"
  | "moreActions" | "refresh" | "refreshTitle" | "print" | "printTitle" | "pdf" | "pdfBusy"
  | "pdfTitle" | "newTab" | "newTabTitle" | "fullScreen" | "fullScreenTitle" | "retry" | "opening"
  | "loaded" | "reportById" | "frameTitle" | "frameTitleNamed" | "errorReports" | "errorTypes"
  | "errorOpen" | "errorPdf" | "errorBadReport" | "errorPopup" | "errorPrint" | "reasonNetwork"
  | "reasonTimeout" | "reasonStatus" | "reasonStatusMessage" | "reasonHtml" | "reasonBadResponse"
  | "reasonEmptyNonce" | "reasonCallback";

/** What went wrong, as `cxreports:error` says it (`load`: the WebAssembly could not load). */
export type ErrorKind =
  | "config" | "network" | "timeout" | "http" | "html" | "bad-response" | "empty-nonce"
  | "fetch-nonce" | "bad-report" | "browser" | "load";

/** What the widget was doing when it failed. */
export type ErrorStage =
  | "config" | "reports" | "types" | "nonce" | "pdf" | "catalog" | "report" | "load";

/** What a `cxreports:warning` is about (`cross-site`: CxReports is on another site than the page). */
export type WarningKind = "cross-site";

/** The events of `<cx-report-viewer>` (they bubble out of shadow roots too). */
export interface ViewerEventMap {
  /** Mounted and configured. */
  "cxreports:ready": CustomEvent<Record<string, never>>;
  /** A report was chosen (by the picker or the host). */
  "cxreports:select": CustomEvent<{ report: ReportRef }>;
  /** The viewer page for the report finished loading. */
  "cxreports:load": CustomEvent<{ report: ReportRef; name: string | null }>;
  /**
   * The widget opens the current report again by itself, with a fresh nonce: its
   * session had grown older than `sessionMaxAgeMs` (`session-stale`), or it was
   * opened while offline and the browser is online again (`back-online`).
   */
  "cxreports:reopen": CustomEvent<{ report: ReportRef; reason: "session-stale" | "back-online" }>;
  /** Something failed; the widget shows it too. */
  "cxreports:error": CustomEvent<ErrorDetail>;
  /** The widget works, but how it is deployed will fail some readers; once per page, also on the console. */
  "cxreports:warning": CustomEvent<WarningDetail>;
}
// END GENERATED

/** A mounted widget. */
export interface ViewerHandle {
  /** Shows a report. */
  select(report: ReportRef): void;
  /** Replaces the parameters (or clears them with null) and reloads. */
  setParams(params: Record<string, unknown> | null): void;
  /** Reloads the report with a fresh nonce. */
  refresh(): void;
  /** Prints the report. */
  print(): void;
  /** Removes the widget and everything it started. */
  destroy(): void;
  /** Destroys the widget and frees its memory at once (else the garbage collector does). */
  free(): void;
}

/** `detail` of `cxreports:error`. */
export interface ErrorDetail {
  /** What went wrong. */
  kind: ErrorKind;
  /** What the widget was doing. */
  stage: ErrorStage;
  /** What happened and what to do, for people. */
  message: string;
}

/** `detail` of `cxreports:warning`. */
export interface WarningDetail {
  /** What it is about. */
  kind: WarningKind;
  /** What will fail and what to do, for developers (also on the console). */
  message: string;
  /** The CxReports origin it is about. */
  cxreportsOrigin: string;
}

/**
 * Mounts a widget. Once `ready` has resolved, throws an Error naming the
 * problem if an option is invalid; called before, it returns at once (its
 * first requests already on their way) and shows such a problem in place
 * and as a `cxreports:error` event.
 */
export function mount(element: Element, options: ViewerOptions): ViewerHandle;
/** Settles once the WebAssembly has loaded (rejects if it could not). */
export const ready: Promise<void>;
/** The widget's version: null until `ready`, or if the WebAssembly failed to load. */
export const version: string | null;

/**
 * `<cx-report-viewer>`: every option is a property too (`el.fetchNonce = …`,
 * `el.reports = […]`, `el.params = {…}`); text-like ones reflect to their
 * kebab-case attribute. Several changes in one task make one update.
 */
export interface CxReportViewerElement extends HTMLElement, Partial<Omit<ViewerOptions, "lang">> {
  /** The JS handle (select, setParams, refresh, print), once mounted. */
  readonly viewer: ViewerHandle | null;
  addEventListener<K extends keyof ViewerEventMap>(type: K, listener: (this: CxReportViewerElement, event: ViewerEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: CxReportViewerElement, event: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ViewerEventMap>(type: K, listener: (this: CxReportViewerElement, event: ViewerEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: CxReportViewerElement, event: HTMLElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface Window {
    CxReports: { mount: typeof mount; ready: typeof ready; readonly version: typeof version };
  }
  interface HTMLElementTagNameMap {
    "cx-report-viewer": CxReportViewerElement;
  }
}
