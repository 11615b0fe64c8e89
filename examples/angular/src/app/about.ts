import { Component } from "@angular/core";

/** A page of the host app without the widget. */
@Component({
  selector: "app-about",
  template: `
    <h1 id="about">About</h1>
    <p>A page without reports: the widget and its frame are gone while it shows.</p>
  `,
})
export class About {}
