// A React host app: it signs in to its own backend, shows the widget with
// options given as attributes and as properties (an object and a function),
// and lists the widget's events in its own state.
import { useEffect, useRef, useState } from "react";
import "cxreports-widget"; // defines <cx-report-viewer>
import type {} from "cxreports-widget/react"; // <cx-report-viewer> in JSX
import type { CxReportViewerElement, ViewerEventMap } from "cxreports-widget";

// Where things are: in a real app, your configuration. The query string
// lets the test command point this example at its servers.
const query = new URLSearchParams(location.search);
const backend = query.get("backend") ?? "";
const cxreportsUrl = query.get("cxreports") ?? "http://127.0.0.1:8081";

async function signIn(): Promise<boolean> {
  const response = await fetch(`${backend}/auth/login`, {
    method: "POST",
    credentials: "include",
    headers: { "Content-Type": "application/json", "X-Requested-With": "react-example" },
    body: JSON.stringify({ user: "react" }),
  });
  return response.ok;
}

type Logged = { name: keyof ViewerEventMap; detail: string };

function Reports({ onEvent }: { onEvent: (entry: Logged) => void }) {
  const ref = useRef<CxReportViewerElement>(null);
  useEffect(() => {
    const viewer = ref.current;
    if (!viewer) return;
    // Objects and functions go in as properties.
    viewer.params = { year: 2026 };
    viewer.fetchNonce = async () => {
      const response = await fetch(`${backend}/api/cxreports/nonce`, {
        method: "POST",
        credentials: "include",
        headers: { "X-Requested-With": "react-example" },
      });
      const body: { nonce: string } = await response.json();
      return body.nonce;
    };
    const names: (keyof ViewerEventMap)[] = ["cxreports:ready", "cxreports:select", "cxreports:load", "cxreports:error"];
    const listeners = names.map((name) => {
      const listener = (event: Event) => onEvent({ name, detail: JSON.stringify((event as CustomEvent).detail) });
      viewer.addEventListener(name, listener);
      return () => viewer.removeEventListener(name, listener);
    });
    return () => listeners.forEach((remove) => remove());
  }, [onEvent]);
  return (
    <cx-report-viewer
      ref={ref}
      cxreports-url={cxreportsUrl}
      workspace="sales"
      reports-url={`${backend}/api/cxreports/reports`}
      credentials="include"
      height="520px"
    />
  );
}

export function App() {
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const [shown, setShown] = useState(true);
  const [events, setEvents] = useState<Logged[]>([]);
  const [onEvent] = useState(() => (entry: Logged) => setEvents((all) => [...all, entry]));
  useEffect(() => {
    signIn().then(setSignedIn, () => setSignedIn(false));
  }, []);
  if (signedIn === null) return <p>Signing in…</p>;
  if (!signedIn) return <p role="alert">Sign-in failed.</p>;
  return (
    <main>
      <h1>Reports</h1>
      <button id="toggle" type="button" onClick={() => setShown((s) => !s)}>
        {shown ? "Hide reports" : "Show reports"}
      </button>
      {shown && <Reports onEvent={onEvent} />}
      <h2>Events seen by React</h2>
      <ul id="events">
        {events.map((e, i) => (
          <li key={i} data-event={e.name}>
            {e.name} {e.detail}
          </li>
        ))}
      </ul>
    </main>
  );
}
