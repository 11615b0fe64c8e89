// A minimal Chrome DevTools Protocol client over --remote-debugging-pipe:
// Chromium reads commands on fd 3 and writes answers and events on fd 4,
// each message JSON text ended by a NUL byte. No WebSocket, no dependency.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run", "--no-default-browser-check",
  "--disable-extensions", "--disable-sync", "--mute-audio", "--remote-debugging-pipe",
  // Timers and rendering of a page must not be slowed because it is "hidden".
  "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
  "--disable-backgrounding-occluded-windows",
];

/** A running headless Chromium and its protocol connection. */
export class Browser {
  #child;
  #profile;
  #nextId = 1;
  #pending = new Map();
  #listeners = new Set();
  #buffer = Buffer.alloc(0);
  #closed = false;

  static async launch(executable = process.env.CHROMIUM || "/usr/bin/chromium") {
    const profile = mkdtempSync(join(tmpdir(), "cxr-bench-profile-"));
    const child = spawn(executable, [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, "about:blank"], {
      stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
    });
    const browser = new Browser(child, profile);
    await browser.send("Target.setDiscoverTargets", { discover: false });
    return browser;
  }

  constructor(child, profile) {
    this.#child = child;
    this.#profile = profile;
    let stderr = "";
    child.stderr.on("data", (chunk) => { stderr = (stderr + chunk).slice(-4000); });
    child.stdio[4].on("data", (chunk) => this.#receive(chunk));
    child.on("exit", (code, signal) => {
      this.#closed = true;
      for (const { reject } of this.#pending.values()) {
        reject(new Error(`chromium exited (${code ?? signal}); its last output:\n${stderr}`));
      }
      this.#pending.clear();
    });
    child.on("error", (error) => {
      for (const { reject } of this.#pending.values()) reject(error);
      this.#pending.clear();
    });
  }

  #receive(chunk) {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    let end;
    while ((end = this.#buffer.indexOf(0)) >= 0) {
      const message = JSON.parse(this.#buffer.subarray(0, end).toString("utf8"));
      this.#buffer = this.#buffer.subarray(end + 1);
      if (message.id !== undefined) {
        const waiter = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (!waiter) continue;
        if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
        else waiter.resolve(message.result);
      } else {
        for (const listener of this.#listeners) listener(message);
      }
    }
  }

  /** Sends one command (to the browser, or to a session) and waits for its answer. */
  send(method, params = {}, sessionId = undefined) {
    if (this.#closed) return Promise.reject(new Error("chromium is not running"));
    const id = this.#nextId++;
    const message = { id, method, params };
    if (sessionId) message.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method });
      this.#child.stdio[3].write(JSON.stringify(message) + "\0");
    });
  }

  /** Calls `listener(message)` for every event; returns a function that stops it. */
  onEvent(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A new page in a new browser context: its own cookies, cache and connections. */
  async newPage() {
    const { browserContextId } = await this.send("Target.createBrowserContext", { disposeOnDetach: true });
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank", browserContextId });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    const page = new Page(this, sessionId, targetId, browserContextId);
    await page.send("Page.enable");
    await page.send("Runtime.enable");
    return page;
  }

  async close() {
    if (!this.#closed) {
      try {
        await withTimeout(this.send("Browser.close"), 5000, "Browser.close");
      } catch (_) {
        this.#child.kill("SIGKILL");
      }
      await new Promise((resolve) => (this.#closed ? resolve() : this.#child.once("exit", resolve)));
    }
    rmSync(this.#profile, { recursive: true, force: true });
  }
}

/** One page (a target with a flat session). */
export class Page {
  constructor(browser, sessionId, targetId, browserContextId) {
    this.browser = browser;
    this.sessionId = sessionId;
    this.targetId = targetId;
    this.browserContextId = browserContextId;
    this.consoleLines = [];
    this.errors = [];
    browser.onEvent((message) => {
      if (message.sessionId !== sessionId) return;
      if (message.method === "Runtime.consoleAPICalled") {
        const text = message.params.args.map((a) => a.value ?? a.description ?? "").join(" ");
        this.consoleLines.push(`${message.params.type}: ${text}`);
      } else if (message.method === "Runtime.exceptionThrown") {
        const d = message.params.exceptionDetails;
        this.errors.push(d.exception?.description ?? d.text);
      }
    });
  }

  send(method, params = {}) {
    return this.browser.send(method, params, this.sessionId);
  }

  /** Waits for the next event `method` of this page. */
  waitFor(method, timeoutMs = 30000) {
    let stop;
    const event = new Promise((resolve) => {
      stop = this.browser.onEvent((m) => {
        if (m.sessionId === this.sessionId && m.method === method) {
          stop();
          resolve(m.params);
        }
      });
    });
    return withTimeout(event, timeoutMs, method).finally(() => stop());
  }

  async goto(url, timeoutMs = 30000) {
    const loaded = this.waitFor("Page.loadEventFired", timeoutMs);
    const { errorText } = await this.send("Page.navigate", { url });
    if (errorText) throw new Error(`navigating to ${url}: ${errorText}`);
    await loaded;
  }

  /** Evaluates `expression` in the page, awaiting a promise, and returns its JSON value. */
  async eval(expression, timeoutMs = 120000) {
    const answer = await withTimeout(this.send("Runtime.evaluate", {
      expression, awaitPromise: true, returnByValue: true, timeout: timeoutMs,
    }), timeoutMs + 5000, "Runtime.evaluate");
    if (answer.exceptionDetails) {
      const d = answer.exceptionDetails;
      throw new Error(`in the page: ${d.exception?.description ?? d.text}`);
    }
    return answer.result.value;
  }

  /** A remote object id for `expression` (for calls that take an object). */
  async handle(expression) {
    const answer = await this.send("Runtime.evaluate", { expression });
    if (answer.exceptionDetails) throw new Error(`in the page: ${answer.exceptionDetails.text}`);
    return answer.result.objectId;
  }

  async close() {
    await this.browser.send("Target.closeTarget", { targetId: this.targetId }).catch(() => {});
    await this.browser.send("Target.disposeBrowserContext", { browserContextId: this.browserContextId }).catch(() => {});
  }
}

export function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
