// Every page: the app's navigation (next/link, so moving between pages is a
// client-side route change) around the page.
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";

export const metadata: Metadata = { title: "Reports" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", margin: "0 auto", maxWidth: 1200, padding: "0 16px" }}>
        <header>
          <nav aria-label="Site">
            <Link href="/">Reports</Link> · <Link href="/about">About</Link>
          </nav>
        </header>
        {children}
      </body>
    </html>
  );
}
