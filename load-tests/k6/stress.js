// Stress: the arrival rate climbs in steps until the service breaks, and the summary tells at
// which step. Every request is tagged with its step (`step:0`, `step:1`, ...), and each step has
// its own p95, p99 and error thresholds, so the exported summary (`--summary-export`) holds one
// figure per step: the breaking point is the first step that misses one, which
// `cargo xtask load stress` reports.
//   START_RATE (50 requests/s), RATE_STEP (50), STEPS (10), STEP (20s), MAX_VUS (400), plus
//   lib/config.js's settings.

import exec from 'k6/execution';

import { durationFromEnv, intFromEnv, MAX_ERROR_RATE, P95_MS, P99_MS } from './lib/config.js';
import { discoverCatalog, workload } from './lib/kensho.js';
import { mixedRequest } from './lib/mix.js';

const START_RATE = intFromEnv('START_RATE', 50);
const RATE_STEP = intFromEnv('RATE_STEP', 50);
const STEPS = intFromEnv('STEPS', 10);
const STEP = durationFromEnv('STEP', '20s');
const STEP_SECONDS = parseDurationSeconds(STEP);

function parseDurationSeconds(text) {
  const match = /^(\d+)(s|m)$/.exec(text);
  if (!match) {
    throw new Error(`STEP must look like 20s or 2m, not ${text}`);
  }
  return parseInt(match[1], 10) * (match[2] === 'm' ? 60 : 1);
}

function stages() {
  const result = [];
  for (let step = 0; step < STEPS; step += 1) {
    const rate = START_RATE + step * RATE_STEP;
    // Each step holds its rate for the whole step: the ramp between steps takes no time.
    result.push({ duration: '0s', target: rate }, { duration: STEP, target: rate });
  }
  return result;
}

function stepThresholds() {
  const result = {};
  for (let step = 0; step < STEPS; step += 1) {
    result[`http_req_duration{step:${step}}`] = [`p(95)<${P95_MS}`, `p(99)<${P99_MS}`];
    result[`kensho_errors{step:${step}}`] = [`rate<=${MAX_ERROR_RATE}`];
  }
  return result;
}

export const options = {
  scenarios: {
    stress: {
      executor: 'ramping-arrival-rate',
      startRate: START_RATE,
      timeUnit: '1s',
      preAllocatedVUs: Math.min(intFromEnv('MAX_VUS', 400), 50),
      maxVUs: intFromEnv('MAX_VUS', 400),
      stages: stages(),
    },
  },
  thresholds: stepThresholds(),
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

export function setup() {
  return discoverCatalog();
}

export default function (catalog) {
  const elapsedSeconds = (Date.now() - exec.scenario.startTime) / 1000;
  const step = Math.min(STEPS - 1, Math.floor(elapsedSeconds / STEP_SECONDS));
  exec.vu.metrics.tags.step = String(step);
  mixedRequest(workload(catalog));
}
