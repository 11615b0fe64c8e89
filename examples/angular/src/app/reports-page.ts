import { Component, CUSTOM_ELEMENTS_SCHEMA, inject, signal } from "@angular/core";
import "cxreports-widget"; // defines <cx-report-viewer>
import type { ViewerEventMap, ViewerOptions } from "cxreports-widget";
import { HostBackend } from "./host-backend";
import { ViewerEvents } from "./viewer-events";

type ViewerEventName = keyof ViewerEventMap;

@Component({
  selector: "app-reports-page",
  imports: [ViewerEvents],
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    @switch (backend.signedIn()) {
      @case (null) {
        <p>Signing in…</p>
      }
      @case (false) {
        <p role="alert">Sign-in failed.</p>
      }
      @default {
        <h1>Reports</h1>
        <cx-report-viewer
          [cxreportsUrl]="backend.cxreportsUrl"
          workspace="sales"
          [reportsUrl]="backend.reportsUrl"
          credentials="include"
          height="520px"
          [params]="params"
          [fetchNonce]="backend.fetchNonce"
          (cxreportsSelect)="onSelect($event)"
          (cxreportsLoad)="onLoad($event)"
          (cxreportsError)="onError($event)"
        ></cx-report-viewer>
        <h2>Events seen by Angular</h2>
        <ul id="events">
          @for (e of events(); track $index) {
            <li [attr.data-event]="e.name">{{ e.name }} {{ e.detail }}</li>
          }
        </ul>
      }
    }
  `,
})
export class ReportsPage {
  protected readonly backend = inject(HostBackend);
  /** Report parameters, as the element's `params` property. */
  protected readonly params: ViewerOptions["params"] = { year: 2026 };
  protected readonly events = signal<{ name: ViewerEventName; detail: string }[]>([]);

  constructor() {
    void this.backend.signIn("angular");
  }

  protected onSelect(event: ViewerEventMap["cxreports:select"]): void {
    this.log("cxreports:select", `report ${event.detail.report}`);
  }

  protected onLoad(event: ViewerEventMap["cxreports:load"]): void {
    this.log("cxreports:load", `report ${event.detail.report} ${event.detail.name ?? ""}`);
  }

  protected onError(event: ViewerEventMap["cxreports:error"]): void {
    this.log("cxreports:error", `${event.detail.kind} at ${event.detail.stage}: ${event.detail.message}`);
  }

  private log(name: ViewerEventName, detail: string): void {
    this.events.update((seen) => [...seen, { name, detail }]);
  }
}
