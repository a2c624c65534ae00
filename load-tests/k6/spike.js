// Spike: a steady base load, a sudden jump to SPIKE_VUS, then back, to show the service absorbs
// a burst and recovers.
//   BASE_VUS (10), SPIKE_VUS (300), BASE (30s), SPIKE (30s), plus lib/config.js's settings.

import { durationFromEnv, intFromEnv, thresholds } from './lib/config.js';
import { discoverCatalog, workload } from './lib/kensho.js';
import { mixedRequest } from './lib/mix.js';

const BASE_VUS = intFromEnv('BASE_VUS', 10);
const SPIKE_VUS = intFromEnv('SPIKE_VUS', 300);
const BASE = durationFromEnv('BASE', '30s');

export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-vus',
      startVUs: BASE_VUS,
      stages: [
        { duration: BASE, target: BASE_VUS },
        { duration: '5s', target: SPIKE_VUS },
        { duration: durationFromEnv('SPIKE', '30s'), target: SPIKE_VUS },
        { duration: '5s', target: BASE_VUS },
        { duration: BASE, target: BASE_VUS },
      ],
      gracefulRampDown: '5s',
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
