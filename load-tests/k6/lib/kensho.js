// Kensho's REST API as the scenarios use it: requests tagged by route template (so k6's summary
// and thresholds group `/api/v1/anime/{id}` rather than every id), one error rate over all of
// them, and the catalog sample the workload draws its ids and queries from.

import http from 'k6/http';
import { check, fail } from 'k6';
import { Rate } from 'k6/metrics';

import { ACCOUNTS, API_KEY, BASE_URL, TITLES, ZIPF_S } from './config.js';
import { zipfSampler } from './zipf.js';

/** Share of requests that did not get the status their route promises. */
export const errors = new Rate('kensho_errors');

function params(route, token) {
  const headers = { accept: 'application/json' };
  if (API_KEY) {
    headers['x-api-key'] = API_KEY;
  }
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  return { headers, tags: { name: route } };
}

/** Checks `response` has one of `statuses`, counting it in `kensho_errors` otherwise. */
function expect(response, route, statuses) {
  const ok = check(response, {
    [`${route} answers ${statuses.join(' or ')}`]: (r) => statuses.includes(r.status),
  });
  errors.add(!ok);
  return ok;
}

/** GET `path`, named `route` in the metrics, expecting one of `statuses` (200 by default). */
export function get(route, path, token, statuses = [200]) {
  const response = http.get(`${BASE_URL}${path}`, params(route, token));
  expect(response, route, statuses);
  return response;
}

function postJson(route, path, body, statuses = [200]) {
  const request = params(route);
  request.headers['content-type'] = 'application/json';
  const response = http.post(`${BASE_URL}${path}`, JSON.stringify(body), request);
  expect(response, route, statuses);
  return response;
}

function del(route, path, token, statuses) {
  const response = http.del(`${BASE_URL}${path}`, null, params(route, token));
  expect(response, route, statuses);
  return response;
}

/**
 * What the workload draws from, read once in `setup()`: the most popular titles (ids and a
 * search query for each, from their titles), and the seasons the catalog holds.
 */
export function discoverCatalog() {
  const titles = [];
  let cursor = null;
  while (titles.length < TITLES) {
    const query = `limit=100&sort=-popularity${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = http.get(`${BASE_URL}/api/v1/anime?${query}`, params('setup'));
    if (response.status !== 200) {
      fail(`GET /api/v1/anime answered ${response.status}: is Kensho running at ${BASE_URL}?`);
    }
    const page = response.json();
    for (const anime of page.data) {
      titles.push({ id: anime.id, query: searchQueryFor(anime.title) });
    }
    cursor = page.next_cursor;
    if (!cursor) {
      break;
    }
  }
  const seasons = http.get(`${BASE_URL}/api/v1/seasons`, params('setup')).json().data;
  if (titles.length === 0 || seasons.length === 0) {
    fail('the catalog is empty: import one before loading it');
  }
  return { titles: titles.slice(0, TITLES), seasons };
}

/** The words a user would type for `title`: its first two words, lowercased. */
function searchQueryFor(title) {
  const words = title.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
  const query = words.slice(0, 2).join(' ');
  return query.length >= 2 ? query : title;
}

let currentWorkload = null;

/**
 * A sampler drawing titles and seasons of `catalog` with Zipf-distributed popularity, built once
 * per virtual user.
 */
export function workload(catalog) {
  if (currentWorkload === null) {
    currentWorkload = buildWorkload(catalog);
  }
  return currentWorkload;
}

function buildWorkload(catalog) {
  const titleSampler = zipfSampler(catalog.titles.length, ZIPF_S);
  const seasonSampler = zipfSampler(catalog.seasons.length, ZIPF_S);
  return {
    title: () => catalog.titles[titleSampler.next()],
    season: () => catalog.seasons[seasonSampler.next()],
  };
}

/** Browse: a season page, the tag list, or the top of the catalog list. */
export function browse(draw) {
  const pick = Math.random();
  if (pick < 0.6) {
    const season = draw.season();
    return get(
      '/api/v1/browse/season/{year}/{season}',
      `/api/v1/browse/season/${season.year}/${season.season}?limit=20`,
    );
  }
  if (pick < 0.8) {
    return get('/api/v1/tags', '/api/v1/tags?limit=50');
  }
  return get('/api/v1/anime', '/api/v1/anime?limit=20&sort=-score');
}

export function search(draw) {
  const { query } = draw.title();
  return get('/api/v1/search', `/api/v1/search?q=${encodeURIComponent(query)}&limit=10`);
}

export function detail(draw) {
  return get('/api/v1/anime/{id}', `/api/v1/anime/${draw.title().id}`);
}

export function episodes(draw) {
  return get('/api/v1/anime/{id}/episodes', `/api/v1/anime/${draw.title().id}/episodes?limit=25`);
}

/** The account of virtual user `vu` (1-based): the accounts are shared out round robin. */
export function accountOf(vu) {
  if (ACCOUNTS.length === 0) {
    fail('ACCOUNTS names no account');
  }
  return ACCOUNTS[(vu - 1) % ACCOUNTS.length];
}

export function login(account) {
  const response = postJson('/api/v1/auth/login', '/api/v1/auth/login', account);
  return response.status === 200 ? response.json() : null;
}

export function logout(tokens) {
  postJson('/api/v1/auth/logout', '/api/v1/auth/logout', { refresh_token: tokens.refresh_token }, [204]);
}

export function me(tokens) {
  return get('/api/v1/me', '/api/v1/me', tokens.access_token);
}

/**
 * Plays episode 1 of `animeId` and releases it at once. A title not (yet) matched on Crunchyroll
 * answers 404, which is the API's promise for it, not an error.
 */
export function streamAndRelease(tokens, animeId) {
  const response = get(
    '/api/v1/stream/{anime_id}/{episode}',
    `/api/v1/stream/${animeId}/1`,
    tokens.access_token,
    [200, 404],
  );
  if (response.status !== 200) {
    return response;
  }
  const { stream_token: streamToken } = response.json();
  del('/api/v1/stream/{token}', `/api/v1/stream/${streamToken}`, tokens.access_token, [204, 404]);
  return response;
}
