// Small helpers shared by the bench scripts.

/** Median (mean of the middle two for an even count). */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile `p` (0..100). */
export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return null;
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
}

const round = (x) => (x === null ? null : Math.round(x * 100) / 100);

/** The figures the report prints, and the samples behind them. */
export function summary(values) {
  return {
    n: values.length,
    p50: round(median(values)),
    p95: round(percentile(values, 95)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    samples: values,
  };
}

/** `--name value` pairs over `defaults`; anything else is an error. */
export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i].replace(/^--/, "");
    if (!argv[i].startsWith("--") || !(name in defaults)) throw new Error(`unknown argument ${argv[i]}`);
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    out[name] = argv[++i];
  }
  return out;
}

/** The benchmark only ever talks to this machine. */
export function requireLoopback(url) {
  const host = new URL(url).hostname;
  const loopback = host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (!loopback) throw new Error(`${url} is not a loopback address: the benchmark only loads this machine`);
}

export function log(message) {
  process.stderr.write(`\x1b[2mbench: ${message}\x1b[0m\n`);
}
