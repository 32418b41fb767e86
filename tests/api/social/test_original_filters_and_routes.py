"""What the original API's clients call: `?user=` and `?owner=` by id or username, the API root
and the profile list."""

from __future__ import annotations

from tests.support.social_data import insert_movie


async def test_user_and_owner_filters_take_ids_and_usernames(app, client, create_user):
    alice, bob = await create_user("alice"), await create_user("bob")
    movie = await insert_movie(app, "Heat")
    for person in (alice, bob):
        rated = await client.post(
            "/api/ratings/", json={"movie": movie, "score": 4}, headers=person.headers
        )
        assert rated.status_code == 201
        made = await client.post(
            "/api/playlists/", json={"name": "Mine", "visibility": "public"}, headers=person.headers
        )
        assert made.status_code == 201
    for reference in (str(alice.user.id), "alice", "ALICE"):
        ratings = (await client.get("/api/ratings/", params={"user": reference})).json()
        assert [r["username"] for r in ratings["results"]] == ["alice"], reference
        playlists = (await client.get("/api/playlists/", params={"owner": reference})).json()
        assert [p["owner_username"] for p in playlists["results"]] == ["alice"], reference
    nobody = (await client.get("/api/ratings/", params={"user": "999999"})).json()
    assert nobody["count"] == 0


async def test_a_username_of_digits_wins_over_an_id(app, client, create_user):
    alice = await create_user("alice")
    numeric = await create_user(str(alice.user.id + 1000))
    movie = await insert_movie(app, "Heat")
    for person in (alice, numeric):
        await client.post(
            "/api/ratings/", json={"movie": movie, "score": 3}, headers=person.headers
        )
    found = (await client.get("/api/ratings/", params={"user": numeric.user.username})).json()
    assert [r["username"] for r in found["results"]] == [numeric.user.username]


async def test_the_api_root_maps_the_lists(client):
    response = await client.get("/api/")
    assert response.status_code == 200
    body = response.json()
    assert body["movies"] == "http://testserver/api/movies/"
    assert {"genres", "ratings", "playlists", "profiles"} <= set(body)
    for url in (body["movies"], body["profiles"], body["genres"]):
        assert (await client.get(url)).status_code == 200, url


async def test_the_profile_list_shows_public_fields_only(client, create_user):
    await create_user("bob")
    await create_user("alice")
    response = await client.get("/api/profiles/", params={"page_size": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"] == 2 and body["next"].endswith("page=2&page_size=1")) or "page=2" in body[
        "next"
    ]
    assert [p["username"] for p in body["results"]] == ["alice"]
    assert "email" not in response.text
    assert set(body["results"][0]) >= {"username", "date_joined", "ratings_count"}
