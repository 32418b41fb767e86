"""The list of ratings over HTTP: filters, ordering, pages, `user=me` and bad parameters."""

from __future__ import annotations

from tests.support.social_data import insert_movie, insert_movies


async def test_the_list_filters_orders_and_paginates(app, client, create_user):
    alice, bob = await create_user("alice"), await create_user("bob")
    movies = await insert_movies(app, 5)
    for n, movie in enumerate(movies):
        await client.post(
            "/api/ratings/", json={"movie": movie, "score": n + 1}, headers=alice.headers
        )
    await client.post("/api/ratings/", json={"movie": movies[0], "score": 5}, headers=bob.headers)

    page = (await client.get("/api/ratings/?page_size=2&ordering=score&user=alice")).json()
    assert page["count"] == 5
    assert [r["score"] for r in page["results"]] == [1, 2]
    assert page["previous"] is None and "page=2" in page["next"] and "user=alice" in page["next"]
    last = (await client.get("/api/ratings/?page_size=2&page=3&ordering=score&user=alice")).json()
    assert [r["score"] for r in last["results"]] == [5] and last["next"] is None

    by_score = (await client.get("/api/ratings/?score=5")).json()
    assert sorted(r["username"] for r in by_score["results"]) == ["alice", "bob"]
    mine = (await client.get("/api/ratings/?user=me", headers=bob.headers)).json()
    assert [r["username"] for r in mine["results"]] == ["bob"]
    one_movie = (await client.get(f"/api/movies/{movies[0]}/ratings/?ordering=-score")).json()
    assert [r["username"] for r in one_movie["results"]] == ["bob", "alice"]
    by_movie = (await client.get(f"/api/ratings/?movie={movies[1]}")).json()
    assert by_movie["count"] == 1


BAD_QUERIES = [
    ("page=-1", "page"),
    ("page=abc", "page"),
    ("page_size=101", "page_size"),
    ("score=6", "score"),
    ("movie=abc", "movie"),
    ("ordering=title", "ordering"),
]


async def test_bad_list_parameters_are_422_naming_the_parameter(client):
    for query, field in BAD_QUERIES:
        for path in ("/api/ratings/", "/api/playlists/"):
            if path == "/api/playlists/" and field in ("score", "movie"):
                continue
            response = await client.get(f"{path}?{query}")
            assert response.status_code == 422, (path, query)
            assert response.json()["error"]["details"][0]["field"] == field


async def test_user_me_needs_a_signed_in_caller(client):
    response = await client.get("/api/ratings/?user=me")

    assert response.status_code == 401


async def test_unknown_ids_are_404(client):
    assert (await client.get("/api/ratings/999/")).status_code == 404
    assert (await client.get("/api/movies/999/ratings/")).status_code == 404
    assert (await client.get("/api/ratings/abc/")).status_code == 404  # ids are digits
    assert (await client.get(f"/api/ratings/{2**63}/")).status_code == 422


async def test_a_page_past_the_last_is_404_as_on_the_original(app, client, create_user):
    alice = await create_user("alice")
    await client.post(
        "/api/ratings/", json={"movie": await insert_movie(app), "score": 3}, headers=alice.headers
    )

    for path in ("/api/ratings/", "/api/playlists/"):
        empty_first = await client.get(f"{path}?page=1&user=nobody&owner=nobody")
        assert empty_first.status_code == 200 and empty_first.json()["results"] == []
        for page in ("2", str(2**63 - 1)):
            response = await client.get(f"{path}?page={page}")
            assert response.status_code == 404, (path, page)
            assert response.json()["error"]["details"][0]["field"] == "page"
        # Past a 64-bit page number the schema's bound refuses it as invalid input.
        beyond = await client.get(f"{path}?page=99999999999999999999999999")
        assert beyond.status_code == 422 and beyond.json()["error"]["details"][0]["field"] == "page"
