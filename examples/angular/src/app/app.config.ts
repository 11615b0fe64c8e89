import { ApplicationConfig, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from "@angular/core";
import { provideRouter, withHashLocation } from "@angular/router";
import { routes } from "./app.routes";
import { HOST_CONFIG, hostConfigFromQuery } from "./host-config";

// Hash routes: the built app works from any folder of a plain static host,
// with no server-side fallback to index.html.
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withHashLocation()),
    { provide: HOST_CONFIG, useValue: hostConfigFromQuery(location.search) },
  ],
};
