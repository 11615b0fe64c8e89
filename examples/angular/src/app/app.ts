import { Component } from "@angular/core";
import { RouterLink, RouterLinkActive, RouterOutlet } from "@angular/router";

/** The shell: navigation between the reports and a page without them. */
@Component({
  selector: "app-root",
  imports: [RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <nav>
      <a id="to-reports" routerLink="/" routerLinkActive="active" [routerLinkActiveOptions]="{ exact: true }">Reports</a>
      ·
      <a id="to-about" routerLink="/about" routerLinkActive="active">About</a>
    </nav>
    <router-outlet />
  `,
})
export class App {}
