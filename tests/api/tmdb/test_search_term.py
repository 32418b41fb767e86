"""The TMDb search's term: the document states `q` as required, `query` still works as its alias."""

from __future__ import annotations

import httpx


async def test_the_document_requires_q_and_the_alias_still_works(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    parameters = schema["paths"]["/api/tmdb/search/"]["get"]["parameters"]
    q = next(p for p in parameters if p["name"] == "q")
    assert q["required"] is True and q["schema"]["pattern"] == "\\S"
    assert [p["name"] for p in parameters].count("q") == 1
    # Without TMDb credentials a search the parameters accept is the documented 503, not a 422.
    assert (await client.get("/api/tmdb/search/?query=alien")).status_code == 503
    assert (await client.get("/api/tmdb/search/?q=alien")).status_code == 503


async def test_a_new_playlist_links_to_the_calls_on_its_movies(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    links = schema["paths"]["/api/playlists/"]["post"]["responses"]["201"]["links"]
    assert {link["requestBody"]["movie_id"] for link in links.values()} == {
        "$response.body#/movies/0/id"
    }
    for link in links.values():
        path, method = link["operationRef"].removeprefix("#/paths/").rsplit("/", 1)
        assert method in schema["paths"][path.replace("~1", "/")]
