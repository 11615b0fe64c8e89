import { InjectionToken } from "@angular/core";

/** Where the host app's backend and CxReports are. */
export interface HostConfig {
  /** The backend's origin ("" when the app is served under it). */
  backendUrl: string;
  /** CxReports itself, where the viewer frame is opened. */
  cxreportsUrl: string;
}

/** The app's {@link HostConfig}, provided once in app.config.ts. */
export const HOST_CONFIG = new InjectionToken<HostConfig>("HostConfig");

/**
 * In a real app, your environment file. This example reads the page's query
 * string, before the router rewrites the address, so the test command can
 * point it at its servers.
 */
export function hostConfigFromQuery(search: string): HostConfig {
  const query = new URLSearchParams(search);
  return {
    backendUrl: query.get("backend") ?? "",
    cxreportsUrl: query.get("cxreports") ?? "http://127.0.0.1:8081",
  };
}
