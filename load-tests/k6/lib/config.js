// Settings every scenario reads from the environment, so one script runs for a minute on a laptop
// and for an hour against a cluster. See load-tests/README.md for the full list.

/** Base URL of the gateway, without a trailing slash. */
export const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');

/** Sent as `X-API-Key` when set, so a tier with a large budget carries the load. */
export const API_KEY = __ENV.API_KEY || '';

/** Accounts the stream and auth-flow traffic logs in with: `email:password,email:password`. */
export const ACCOUNTS = (__ENV.ACCOUNTS || 'premium@kensho.test:premium-demo')
  .split(',')
  .filter((entry) => entry.includes(':'))
  .map((entry) => {
    const at = entry.indexOf(':');
    return { username: entry.slice(0, at), password: entry.slice(at + 1) };
  });

/** How many titles the workload draws from (the most popular first), and the Zipf exponent. */
export const TITLES = intFromEnv('TITLES', 2000);
export const ZIPF_S = floatFromEnv('ZIPF_S', 1.0);

/** Thresholds: p95 and p99 in milliseconds, and the error rate that fails the run. */
export const P95_MS = intFromEnv('P95_MS', 50);
export const P99_MS = intFromEnv('P99_MS', 200);
export const MAX_ERROR_RATE = floatFromEnv('MAX_ERROR_RATE', 0.0);

/** The thresholds every scenario applies to its requests. */
export function thresholds() {
  return {
    http_req_duration: [`p(95)<${P95_MS}`, `p(99)<${P99_MS}`],
    kensho_errors: [`rate<=${MAX_ERROR_RATE}`],
    checks: [`rate>=${1 - MAX_ERROR_RATE}`],
  };
}

/** A duration from the environment (`30s`, `5m`), or `fallback`. */
export function durationFromEnv(name, fallback) {
  return __ENV[name] || fallback;
}

export function intFromEnv(name, fallback) {
  const value = parseInt(__ENV[name] || '', 10);
  return Number.isFinite(value) ? value : fallback;
}

export function floatFromEnv(name, fallback) {
  const value = parseFloat(__ENV[name] || '');
  return Number.isFinite(value) ? value : fallback;
}
