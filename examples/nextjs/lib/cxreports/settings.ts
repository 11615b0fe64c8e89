// The server's settings, read from its environment once and checked: a value
// that cannot be used is an error that names the variable and says what to
// put there. Pure (the environment and a file reader come in), so the start
// check in instrumentation.ts and the route handlers read it the same way.

/** What the route handlers need, from server-only environment variables. */
export type Settings = {
  /** CxReports' base URL, without a trailing slash (a path prefix is kept). */
  cxreportsUrl: string;
  /** The Personal Access Token: sent to CxReports only, never to a browser or a log. */
  pat: string;
  /** The workspace id or code every call is scoped to. */
  workspace: string;
  /** Report ids the browser may list and export; empty means all. */
  allowedReports: Set<string>;
  /** Page origins allowed to call the endpoints (`http://localhost:*` for any port). */
  allowedOrigins: string[];
  /** Host names (optionally with a port) this app answers for. */
  allowedHosts: string[];
  /** How many reports one call to CxReports asks for. */
  pageSize: number;
  /** The time limit of a call to CxReports (a whole report list included). */
  timeoutMs: number;
  /** The time limit of a PDF export, from the request to its last byte. */
  pdfTimeoutMs: number;
  /** The largest temporary-data body. */
  maxTempDataBytes: number;
  /** Nonces (and temporary-data stores, counted apart) one user may get per window. */
  ratePerUser: number;
  /** The same per client address, when `clientAddressHeader` names where the address is. */
  ratePerClient: number;
  /** The window of both limits. */
  rateWindowMs: number;
  /** A header your own reverse proxy sets to the client's address, lower case; empty: none. */
  clientAddressHeader: string;
  /** The key that signs session cookies (at least 32 characters). */
  sessionSecret: string;
  /** Whether POST /api/auth/demo-sign-in signs anyone in by name (a demo, never production). */
  demoSignIn: boolean;
};

/** A setting that cannot be used; the message names the variable. */
export class SettingsError extends Error {}

type Env = Record<string, string | undefined>;

/** Reads and checks the settings; throws a `SettingsError` naming the first bad variable. */
export function readSettings(env: Env, readFile: (path: string) => string): Settings {
  const text = (name: string, fallback = "") => (env[name] ?? "").trim() || fallback;
  const list = (name: string, fallback = "") =>
    text(name, fallback)
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
  const number = (name: string, fallback: number, min: number, max: number) => {
    const value = Number(text(name, String(fallback)));
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new SettingsError(`set ${name} to a whole number from ${min} to ${max}`);
    }
    return value;
  };

  const cxreportsUrl = text("CXREPORTS_URL").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/?#@\s]+(\/[^?#\s]*)?$/.test(cxreportsUrl)) {
    throw new SettingsError("set CXREPORTS_URL to your CxReports address, like https://reports.example.com");
  }
  let pat = text("CXREPORTS_PAT");
  if (!pat && text("CXREPORTS_PAT_FILE")) {
    try {
      pat = readFile(text("CXREPORTS_PAT_FILE")).trim();
    } catch (error) {
      throw new SettingsError(`cannot read CXREPORTS_PAT_FILE (${(error as Error).message}): point it at a file holding your CxReports PAT`);
    }
  }
  if (!pat) throw new SettingsError("set CXREPORTS_PAT_FILE to a file holding your CxReports PAT (or CXREPORTS_PAT to the PAT)");
  const sessionSecret = text("SESSION_SECRET");
  if (sessionSecret.length < 32) {
    throw new SettingsError("set SESSION_SECRET to at least 32 random characters (openssl rand -hex 32): it signs the session cookie");
  }
  const demo = text("DEMO_SIGN_IN", "off").toLowerCase();
  if (!["on", "off"].includes(demo)) throw new SettingsError("set DEMO_SIGN_IN to on (anyone may sign in by name: a demo) or off");
  const timeoutMs = number("CXREPORTS_TIMEOUT_SECS", 10, 1, 600) * 1000;

  return {
    cxreportsUrl,
    pat,
    workspace: text("CXREPORTS_WORKSPACE", "sales"),
    allowedReports: new Set(list("CXREPORTS_ALLOWED_REPORTS")),
    allowedOrigins: list("ALLOWED_ORIGINS"),
    allowedHosts: list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").map((host) => host.toLowerCase()),
    pageSize: number("CXREPORTS_PAGE_SIZE", 200, 1, 1000),
    timeoutMs,
    pdfTimeoutMs: number("CXREPORTS_PDF_TIMEOUT_SECS", 120, 1, 3600) * 1000,
    maxTempDataBytes: number("MAX_TEMP_DATA_BYTES", 256 * 1024, 1, 16 * 1024 * 1024),
    ratePerUser: number("RATE_LIMIT_PER_USER", 30, 1, 1_000_000),
    ratePerClient: number("RATE_LIMIT_PER_CLIENT", 120, 1, 1_000_000),
    rateWindowMs: number("RATE_LIMIT_WINDOW_SECS", 60, 1, 86_400) * 1000,
    clientAddressHeader: text("CLIENT_ADDRESS_HEADER").toLowerCase(),
    sessionSecret,
    demoSignIn: demo === "on",
  };
}
