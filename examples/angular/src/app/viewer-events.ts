import { DestroyRef, Directive, ElementRef, inject, output } from "@angular/core";
import type { CxReportViewerElement, ViewerEventMap } from "cxreports-widget";

/**
 * The events of `<cx-report-viewer>` as Angular outputs. Angular templates
 * read a colon in an event binding as a global target (`(window:resize)`),
 * so `(cxreports:load)` cannot be bound directly: this directive, matched on
 * the element itself, listens for each event and re-emits it unchanged,
 * typed by the package's `ViewerEventMap`, as `(cxreportsLoad)` and so on.
 * Its listeners go when the element does.
 */
@Directive({ selector: "cx-report-viewer" })
export class ViewerEvents {
  /** `cxreports:ready`: mounted and configured. */
  readonly cxreportsReady = output<ViewerEventMap["cxreports:ready"]>();
  /** `cxreports:select`: a report was chosen. */
  readonly cxreportsSelect = output<ViewerEventMap["cxreports:select"]>();
  /** `cxreports:load`: the report's viewer page finished loading. */
  readonly cxreportsLoad = output<ViewerEventMap["cxreports:load"]>();
  /** `cxreports:reopen`: the widget opened the report again with a fresh nonce. */
  readonly cxreportsReopen = output<ViewerEventMap["cxreports:reopen"]>();
  /** `cxreports:error`: something failed; the widget shows it too. */
  readonly cxreportsError = output<ViewerEventMap["cxreports:error"]>();
  /** `cxreports:warning`: a deployment problem some readers will meet. */
  readonly cxreportsWarning = output<ViewerEventMap["cxreports:warning"]>();

  constructor() {
    const element = inject<ElementRef<CxReportViewerElement>>(ElementRef).nativeElement;
    const destroyRef = inject(DestroyRef);
    const forward = <K extends keyof ViewerEventMap>(name: K, emit: (event: ViewerEventMap[K]) => void) => {
      const listener = (event: ViewerEventMap[K]) => emit(event);
      element.addEventListener(name, listener);
      destroyRef.onDestroy(() => element.removeEventListener(name, listener));
    };
    forward("cxreports:ready", (event) => this.cxreportsReady.emit(event));
    forward("cxreports:select", (event) => this.cxreportsSelect.emit(event));
    forward("cxreports:load", (event) => this.cxreportsLoad.emit(event));
    forward("cxreports:reopen", (event) => this.cxreportsReopen.emit(event));
    forward("cxreports:error", (event) => this.cxreportsError.emit(event));
    forward("cxreports:warning", (event) => this.cxreportsWarning.emit(event));
  }
}
