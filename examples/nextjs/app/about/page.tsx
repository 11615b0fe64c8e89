// A page without the widget: moving here from the reports removes it.
import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "About" };

export default function About() {
  return (
    <main>
      <h1>About</h1>
      <p>This app shows CxReports reports. Its server keeps the CxReports access token; your browser never sees it.</p>
      <p>
        <Link href="/">Back to the reports</Link>
      </p>
    </main>
  );
}
