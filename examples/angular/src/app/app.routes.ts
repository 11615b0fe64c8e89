import { Routes } from "@angular/router";
import { About } from "./about";

// The reports page is loaded lazily: the module that defines
// <cx-report-viewer> (and its WebAssembly) is fetched only when a reader
// opens it.
export const routes: Routes = [
  { path: "", loadComponent: () => import("./reports-page").then((m) => m.ReportsPage), title: "Reports" },
  { path: "about", component: About, title: "About" },
  { path: "**", redirectTo: "" },
];
