// The auth flow of a real user, start to end: login → browse → stream → release → logout.
//   VUS (20), DURATION (1m), plus lib/config.js's settings (ACCOUNTS: give each virtual user an
//   account of its own when the accounts' stream limits are low).

import { sleep } from 'k6';
import exec from 'k6/execution';

import { durationFromEnv, intFromEnv, thresholds } from './lib/config.js';
import {
  accountOf,
  browse,
  detail,
  discoverCatalog,
  episodes,
  login,
  logout,
  me,
  search,
  streamAndRelease,
  workload,
} from './lib/kensho.js';

export const options = {
  scenarios: {
    auth_flow: {
      executor: 'constant-vus',
      vus: intFromEnv('VUS', 20),
      duration: durationFromEnv('DURATION', '1m'),
    },
  },
  thresholds: thresholds(),
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

/** Seconds a user pauses between steps (think time), 0 for a pure throughput run. */
const THINK_SECONDS = parseFloat(__ENV.THINK_SECONDS || '0.5');

export function setup() {
  return discoverCatalog();
}

export default function (catalog) {
  const draw = workload(catalog);
  const tokens = login(accountOf(exec.vu.idInTest));
  if (tokens === null) {
    return;
  }
  me(tokens);
  browse(draw);
  search(draw);
  sleep(THINK_SECONDS);
  const title = draw.title();
  detail({ title: () => title });
  episodes({ title: () => title });
  streamAndRelease(tokens, title.id);
  sleep(THINK_SECONDS);
  logout(tokens);
}
