// The realistic mix of one virtual user's iteration: browse 10 : search 5 : detail 5 :
// episodes 3 : stream 1, ids and queries Zipf-distributed. Each virtual user logs in once, on
// its first stream (module state is per virtual user in k6).

import exec from 'k6/execution';

import { accountOf, browse, detail, episodes, login, search, streamAndRelease } from './kensho.js';

const WEIGHTS = [
  [10, browse],
  [5, search],
  [5, detail],
  [3, episodes],
  [1, stream],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [weight]) => sum + weight, 0);

let tokens = null;

function stream(draw) {
  if (tokens === null) {
    tokens = login(accountOf(exec.vu.idInTest));
    if (tokens === null) {
      return;
    }
  }
  streamAndRelease(tokens, draw.title().id);
}

/** One request of the mix. */
export function mixedRequest(draw) {
  let pick = Math.random() * TOTAL_WEIGHT;
  for (const [weight, action] of WEIGHTS) {
    if (pick < weight) {
      action(draw);
      return;
    }
    pick -= weight;
  }
}
