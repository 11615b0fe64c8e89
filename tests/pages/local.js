// What the test pages share. They take the bundle's address from their own
// address (the test servers' ports change every run), so they load a module
// only from this machine, and tell what they saw only to a parent page on
// this machine: a crafted link can make them do nothing elsewhere.
const LOCAL = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** `file` under the bundle folder `base`, when `base` is on this machine. */
export function localModule(base, file) {
  const url = new URL(`${base}/${file}`, location.href);
  if (!LOCAL.has(url.hostname)) throw new Error(`${url.origin} is not this machine: test pages load modules from loopback only`);
  return url.href;
}

/** Posts `message` to the embedding page, if it is on this machine. */
export function tellParent(message) {
  const origin = location.ancestorOrigins?.[0];
  if (parent === window || !origin || !LOCAL.has(new URL(origin).hostname)) return;
  parent.postMessage(message, origin);
}
