"use client";
// The demo's sign-in: a name, then the server sets the session cookie and the
// page is rendered again, signed in. Shown only when DEMO_SIGN_IN=on.
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";

export function DemoSignIn() {
  const router = useRouter();
  const [name, setName] = useState("demo");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const response = await fetch("/api/auth/demo-sign-in", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Requested-With": "nextjs-example" },
        body: JSON.stringify({ user: name }),
      });
      if (response.ok) {
        router.refresh();
        return;
      }
      const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
      setProblem(typeof body?.error === "string" ? body.error : `The sign-in answered HTTP ${response.status}.`);
    } catch {
      setProblem("The sign-in could not reach the server. Check your connection, then try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={signIn}>
      <label>
        Name <input name="user" value={name} onChange={(event) => setName(event.target.value)} />
      </label>{" "}
      <button type="submit" disabled={busy}>
        Sign in (demo)
      </button>
      {problem && <p role="alert">{problem}</p>}
    </form>
  );
}
