/**
 * Typed client for the Kensho REST API. `schema.d.ts` is generated from the OpenAPI document
 * (`cargo xtask sdk`); this module adds what every caller needs on top of openapi-fetch: errors
 * thrown as a typed `ProblemError` carrying the problem fields, and `pages()` following
 * `next_cursor` to the end of a list.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type { components, paths } from "./schema.js";

/** The RFC 9457 problem document every error response carries. */
export type Problem = components["schemas"]["Problem"];

/** A Kensho client: `client.GET("/api/v1/search", { params: { query: { q } } })` and so on. */
export type KenshoClient = Client<paths>;

/** A client for the API at `baseUrl` (for example `http://localhost:8080`). */
export function createKenshoClient(baseUrl: string, options: ClientOptions = {}): KenshoClient {
  return createClient<paths>({ ...options, baseUrl });
}

/** An error response of the API, with its problem fields. */
export class ProblemError extends Error {
  /** The whole problem document. */
  readonly problem: Problem;
  /** The HTTP status. */
  readonly status: number;

  constructor(problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = "ProblemError";
    this.problem = problem;
    this.status = problem.status;
  }
}

/** What openapi-fetch answers: `data` on success, `error` (a problem) otherwise. */
interface FetchAnswer<Data> {
  data?: Data;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer; throws a `ProblemError` for an error answer. */
export async function unwrap<Data>(answer: Promise<FetchAnswer<Data>>): Promise<Data> {
  const { data, error, response } = await answer;
  if (error !== undefined || data === undefined) {
    throw new ProblemError(error as Problem);
  }
  if (!response.ok) {
    throw new ProblemError(data as unknown as Problem);
  }
  return data;
}

/** One page of a list. */
interface Page<Item> {
  data: Item[];
  next_cursor?: string | null;
}

/**
 * Every item of a list, page after page: `fetchPage` gets the page at a cursor (none for the
 * first page).
 */
export async function* pages<Item>(
  fetchPage: (cursor: string | undefined) => Promise<FetchAnswer<Page<Item>>>,
): AsyncGenerator<Item> {
  let cursor: string | undefined;
  do {
    const page = await unwrap(fetchPage(cursor));
    yield* page.data;
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
}
