// Soak: a constant, moderate load for a long time, to surface leaks and slow drift.
//   SOAK_VUS (50), DURATION (10m; an hour or more against a cluster), plus lib/config.js's
//   settings.

import { durationFromEnv, intFromEnv, thresholds } from './lib/config.js';
import { discoverCatalog, workload } from './lib/kensho.js';
import { mixedRequest } from './lib/mix.js';

export const options = {
  scenarios: {
    soak: {
      executor: 'constant-vus',
      vus: intFromEnv('SOAK_VUS', 50),
      duration: durationFromEnv('DURATION', '10m'),
    },
  },
  thresholds: thresholds(),
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

export function setup() {
  return discoverCatalog();
}

export default function (catalog) {
  mixedRequest(workload(catalog));
}
