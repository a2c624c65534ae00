// The TypeScript SDK against a live Kensho (KENSHO_URL, its catalog synced from the Crunchyroll
// simulator): search, detail, a list paged to its end, batch, log in and get a stream, and a 404
// surfacing as a typed ProblemError carrying the problem fields.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ProblemError, createKenshoClient, pages, unwrap } from "../dist/index.js";

const client = createKenshoClient(process.env.KENSHO_URL);

async function firstHitId(q) {
  const hits = await unwrap(client.GET("/api/v1/search", { params: { query: { q } } }));
  assert.ok(hits.data.length > 0, `no hits for ${q}`);
  return hits.data[0].anime.id;
}

test("search then detail returns the anime", async () => {
  const id = await firstHitId("bebop");

  const anime = await unwrap(client.GET("/api/v1/anime/{id}", { params: { path: { id } } }));

  assert.equal(anime.id, id);
  assert.equal(anime.title, "Cowboy Bebop");
});

test("a list pages through to its end", async () => {
  const names = [];

  for await (const tag of pages((cursor) =>
    client.GET("/api/v1/tags", { params: { query: { limit: 25, cursor } } }),
  )) {
    names.push(tag.name);
  }

  assert.ok(names.length > 25, `only ${names.length} tags`);
  assert.equal(new Set(names).size, names.length, "a tag appeared on two pages");
});

test("batch answers each id found or not", async () => {
  const id = await firstHitId("bebop");

  const answer = await unwrap(
    client.POST("/api/v1/anime/batch", { body: { ids: [id, "0000000000000000"] } }),
  );

  assert.deepEqual(
    answer.data.map((entry) => entry.status),
    ["found", "not_found"],
  );
});

test("a premium user logs in, gets a stream and releases it", async () => {
  const id = await firstHitId("bebop");
  const tokens = await unwrap(
    client.POST("/api/v1/auth/login", {
      body: { username: "premium@kensho.test", password: "premium-demo" },
    }),
  );
  const headers = { Authorization: `Bearer ${tokens.access_token}` };

  const stream = await unwrap(
    client.GET("/api/v1/stream/{anime_id}/{episode}", {
      params: { path: { anime_id: id, episode: 5 } },
      headers,
    }),
  );
  const released = await client.DELETE("/api/v1/stream/{token}", {
    params: { path: { token: stream.stream_token } },
    headers,
  });

  assert.ok(stream.manifest_url.startsWith("http"));
  assert.equal(released.response.status, 204);
});

test("an unknown anime is a typed problem", async () => {
  const lookup = unwrap(
    client.GET("/api/v1/anime/{id}", { params: { path: { id: "0000000000000000" } } }),
  );

  await assert.rejects(lookup, (error) => {
    assert.ok(error instanceof ProblemError);
    assert.equal(error.status, 404);
    assert.equal(error.problem.instance, "/api/v1/anime/0000000000000000");
    assert.ok(error.problem.type.startsWith("https://kensho.dev/problems/"));
    return true;
  });
});
