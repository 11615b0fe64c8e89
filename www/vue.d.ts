// `<cx-report-viewer>` in Vue 3 templates, props and events typed. Add once:
//
//   import type {} from "cxreports-widget/vue";
//
// and tell Vue's compiler it is a custom element (vite.config:
// `vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === "cx-report-viewer" } } })`).
// Vue sets a prop the element has as its property, objects and functions
// included; spell those camelCase (Vue looks the name up as written):
// `<cx-report-viewer :reports="list" :fetchNonce="getNonce" @cxreports:load="onLoad" />`.
import type { DefineComponent } from "vue";
import type { ViewerEventMap, ViewerOptions } from "./cxreports-widget.js";

type Emits = { [K in keyof ViewerEventMap]: (event: ViewerEventMap[K]) => void };

/** `<cx-report-viewer>` as Vue's type checker sees it. */
export type CxReportViewerComponent = DefineComponent<Partial<ViewerOptions>, {}, {}, {}, {}, {}, {}, Emits>;

declare module "vue" {
  interface GlobalComponents {
    "cx-report-viewer": CxReportViewerComponent;
  }
}
