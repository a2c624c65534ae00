// Normal load: ramp up to VUS virtual users, hold, ramp down, each running the realistic mix.
//   VUS (100), RAMP (30s), HOLD (1m), plus lib/config.js's settings.

import { durationFromEnv, intFromEnv, thresholds } from './lib/config.js';
import { discoverCatalog, workload } from './lib/kensho.js';
import { mixedRequest } from './lib/mix.js';

const VUS = intFromEnv('VUS', 100);
const RAMP = durationFromEnv('RAMP', '30s');

export const options = {
  scenarios: {
    normal: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: RAMP, target: VUS },
        { duration: durationFromEnv('HOLD', '1m'), target: VUS },
        { duration: RAMP, target: 0 },
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
