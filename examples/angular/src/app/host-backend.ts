import { Injectable, inject, signal } from "@angular/core";
import type { ViewerOptions } from "cxreports-widget";
import { HOST_CONFIG } from "./host-config";

/**
 * The host app's own backend: it signs the reader in (a session cookie) and
 * mints the single-use nonces that open reports. The CxReports token stays
 * on that server; the browser only ever holds a nonce, and only briefly.
 */
@Injectable({ providedIn: "root" })
export class HostBackend {
  private readonly config = inject(HOST_CONFIG);
  /** The backend's origin ("" when the app is served under it). */
  readonly url = this.config.backendUrl;
  /** CxReports itself, where the viewer frame is opened. */
  readonly cxreportsUrl = this.config.cxreportsUrl;
  /** The backend's list of the reader's reports. */
  readonly reportsUrl = `${this.url}/api/cxreports/reports`;

  /** Signed in (true), refused (false), or not answered yet (null). */
  readonly signedIn = signal<boolean | null>(null);

  /**
   * A fresh nonce from the backend, each time the widget asks for one. An
   * arrow function, so the element can call it without this object.
   */
  readonly fetchNonce: NonNullable<ViewerOptions["fetchNonce"]> = async () => {
    const response = await fetch(`${this.url}/api/cxreports/nonce`, {
      method: "POST",
      credentials: "include",
      headers: { "X-Requested-With": "angular-example" },
    });
    if (!response.ok) throw new Error(`the nonce endpoint answered ${response.status}: is the session still signed in?`);
    const body: { nonce: string } = await response.json();
    return body.nonce;
  };

  private signingIn: Promise<void> | null = null;

  /** Signs in once for the app's lifetime (the demo sign-in takes any name). */
  signIn(user: string): Promise<void> {
    this.signingIn ??= fetch(`${this.url}/auth/login`, {
      method: "POST",
      credentials: "include",
      headers: { "Content-Type": "application/json", "X-Requested-With": "angular-example" },
      body: JSON.stringify({ user }),
    }).then(
      (response) => this.signedIn.set(response.ok),
      () => this.signedIn.set(false),
    );
    return this.signingIn;
  }
}
