// Runs once when the server starts (`next start`), before any request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    await import("./lib/cxreports/start-check");
  }
}
