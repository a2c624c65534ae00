"""The Python SDK against a live Kensho (KENSHO_URL, its catalog synced from the Crunchyroll
simulator): search, detail, a list paged to its end, batch, log in and get a stream, and a 404
surfacing as a typed Problem carrying the problem fields."""

import os
import unittest

from kensho_client import AuthenticatedClient, Client
from kensho_client.api.anime import batch_get_anime, get_anime
from kensho_client.api.auth import login
from kensho_client.api.browse import list_tags
from kensho_client.api.search import search
from kensho_client.api.stream import get_stream, release_stream
from kensho_client.models import (
    Anime,
    BatchRequest,
    BatchStatus,
    ListResponseSearchHit,
    LoginRequest,
    Problem,
    Stream,
    TokenResponse,
)
from kensho_client.pagination import items, pages


class PythonSdkAgainstALiveKensho(unittest.TestCase):
    def setUp(self):
        self.client = Client(base_url=os.environ["KENSHO_URL"], raise_on_unexpected_status=True)

    def first_hit_id(self, query):
        hits = search.sync(client=self.client, q=query)
        self.assertIsInstance(hits, ListResponseSearchHit)
        self.assertTrue(hits.data, "no hits for %r" % query)
        return hits.data[0].anime.id

    def test_search_then_detail_returns_the_typed_anime(self):
        anime_id = self.first_hit_id("bebop")

        anime = get_anime.sync(anime_id, client=self.client)

        self.assertIsInstance(anime, Anime)
        self.assertEqual(anime.id, anime_id)
        self.assertEqual(anime.title, "Cowboy Bebop")

    def test_a_list_pages_through_to_its_end(self):
        walked = list(pages(list_tags.sync, client=self.client, limit=25))
        names = [tag.name for tag in items(list_tags.sync, client=self.client, limit=25)]

        self.assertGreater(len(walked), 1)
        self.assertIsNone(walked[-1].next_cursor)
        self.assertTrue(all(page.next_cursor for page in walked[:-1]))
        self.assertEqual(names, [tag.name for page in walked for tag in page.data])
        self.assertEqual(len(names), len(set(names)), "a tag appeared on two pages")

    def test_batch_answers_each_id_found_or_not(self):
        anime_id = self.first_hit_id("bebop")

        answer = batch_get_anime.sync(client=self.client, body=BatchRequest(ids=[anime_id, "0000000000000000"]))

        self.assertEqual([entry.status for entry in answer.data], [BatchStatus.FOUND, BatchStatus.NOT_FOUND])

    def test_a_premium_user_logs_in_gets_a_stream_and_releases_it(self):
        anime_id = self.first_hit_id("bebop")
        tokens = login.sync(
            client=self.client, body=LoginRequest(username="premium@kensho.test", password="premium-demo")
        )
        self.assertIsInstance(tokens, TokenResponse)
        authenticated = AuthenticatedClient(base_url=os.environ["KENSHO_URL"], token=tokens.access_token)

        stream = get_stream.sync(anime_id, 5, client=authenticated)
        released = release_stream.sync_detailed(stream.stream_token, client=authenticated)

        self.assertIsInstance(stream, Stream)
        self.assertTrue(stream.manifest_url.startswith("http"))
        self.assertEqual(released.status_code, 204)

    def test_an_unknown_anime_is_a_typed_problem(self):
        problem = get_anime.sync("0000000000000000", client=self.client)

        self.assertIsInstance(problem, Problem)
        self.assertEqual(problem.status, 404)
        self.assertEqual(problem.instance, "/api/v1/anime/0000000000000000")
        self.assertTrue(problem.type_.startswith("https://kensho.dev/problems/"))


if __name__ == "__main__":
    unittest.main()
