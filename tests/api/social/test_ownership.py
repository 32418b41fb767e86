"""The ownership matrix: every rating, playlist and profile endpoint x owner / other user /
anonymous / staff. Someone else's private playlist is 404; a visible one that is not yours is 403
on write; staff get no extra rights over users' ratings and playlists."""

from __future__ import annotations

import itertools

import pytest

from tests.support.social_data import insert_movies

ACTORS = ("owner", "other", "anonymous", "staff")


@pytest.fixture
async def people(create_user):
    owner = await create_user("owner")
    other = await create_user("other")
    staff = await create_user("staffer", is_staff=True)
    return {"owner": owner.headers, "other": other.headers, "staff": staff.headers, "anonymous": {}}


RATING_CALLS = {
    ("GET", ""): {"owner": 200, "other": 200, "anonymous": 200, "staff": 200},
    ("PUT", '{"score": 2}'): {"owner": 200, "other": 403, "anonymous": 401, "staff": 403},
    ("PATCH", '{"review": "x"}'): {"owner": 200, "other": 403, "anonymous": 401, "staff": 403},
    ("DELETE", ""): {"owner": 200, "other": 403, "anonymous": 401, "staff": 403},
}


async def test_rating_endpoints(app, client, people):
    (movie,) = await insert_movies(app, 1)
    for (method, body), expected in RATING_CALLS.items():
        for actor in ACTORS:
            created = await client.post(
                "/api/ratings/", json={"movie": movie, "score": 4}, headers=people["owner"]
            )
            rating_id = created.json()["id"]
            response = await client.request(
                method,
                f"/api/ratings/{rating_id}/",
                content=body or None,
                headers={**people[actor], "Content-Type": "application/json"},
            )
            assert response.status_code == expected[actor], (method, actor, response.text)
            await client.delete(f"/api/ratings/{rating_id}/", headers=people["owner"])
    anonymous_post = await client.post("/api/ratings/", json={"movie": movie, "score": 4})
    assert anonymous_post.status_code == 401


def playlist_calls(playlist: dict, spare: int, member: int) -> list[tuple[str, str, dict | None]]:
    base = f"/api/playlists/{playlist['id']}"
    return [
        ("GET", f"{base}/", None),
        ("GET", f"/api/playlists/shared/{playlist['slug']}/", None),
        ("PUT", f"{base}/", {"name": "Renamed"}),
        ("PATCH", f"{base}/", {"description": "changed"}),
        ("DELETE", f"{base}/", None),
        ("POST", f"{base}/add_movie/", {"movie_id": spare}),
        ("POST", f"{base}/remove_movie/", {"movie_id": member}),
        ("POST", f"{base}/movies/", {"movie_id": spare, "position": 0}),
        ("DELETE", f"{base}/movies/{member}/", None),
        ("PUT", f"{base}/movies/order/", {"movie_ids": [member]}),
    ]


def expected_status(method: str, visibility: str, actor: str, url: str) -> int:
    if actor == "owner":
        # Removing a movie answers the playlist, as adding does; deleting the playlist is 204.
        return 204 if method == "DELETE" and "/movies/" not in url else 200
    if method == "GET" and "/shared/" in url:
        return 404 if visibility == "private" else 200
    if method == "GET":
        # By id, an unlisted playlist is hidden like a private one: ids can be walked.
        return 200 if visibility == "public" else 404
    if actor == "anonymous":
        return 401
    return 403 if visibility == "public" else 404


@pytest.mark.parametrize("visibility", ["private", "unlisted", "public"])
async def test_playlist_endpoints(app, client, people, visibility):
    member, spare = await insert_movies(app, 2)
    names = (f"list {n}" for n in itertools.count())
    for index in range(10):
        for actor in ACTORS:
            created = await client.post(
                "/api/playlists/",
                json={"name": next(names), "visibility": visibility, "movie_ids": [member]},
                headers=people["owner"],
            )
            playlist = created.json()
            method, url, body = playlist_calls(playlist, spare, member)[index]
            response = await client.request(method, url, json=body, headers=people[actor])
            expected = expected_status(method, visibility, actor, url)
            if method == "POST" and url.endswith("/movies/") and actor == "owner":
                expected = 201
            assert response.status_code == expected, (method, url, actor, response.text)
            if response.status_code >= 400:
                assert set(response.json()["error"]) >= {"code", "message", "details"}
            after = await client.get(f"/api/playlists/{playlist['id']}/", headers=people["owner"])
            if actor != "owner":  # a refused write changed nothing
                assert after.json()["name"] == playlist["name"]
                assert after.json()["description"] == playlist["description"]
                assert [m["id"] for m in after.json()["movies"]] == [member]


async def test_anonymous_cannot_create_playlists(client):
    response = await client.post("/api/playlists/", json={"name": "x"})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


OWN_PROFILE_CALLS = [
    ("GET", "/api/profiles/me/"),
    ("PUT", "/api/profiles/me/"),
    ("PATCH", "/api/profiles/me/"),
    ("GET", "/api/profiles/stats/"),
]


async def test_own_profile_endpoints_need_a_signed_in_caller(client, people):
    for method, url in OWN_PROFILE_CALLS:
        body = {"bio": "x"} if method != "GET" else None
        anonymous = await client.request(method, url, json=body)
        signed_in = await client.request(method, url, json=body, headers=people["other"])
        assert (anonymous.status_code, signed_in.status_code) == (401, 200), (method, url)


async def test_a_public_profile_is_public_and_shows_only_public_playlists(client, people):
    for name, visibility in (("Open", "public"), ("Link", "unlisted"), ("Secret", "private")):
        await client.post(
            "/api/playlists/",
            json={"name": name, "visibility": visibility},
            headers=people["owner"],
        )

    for actor in ACTORS:
        response = await client.get("/api/profiles/owner/", headers=people[actor])
        assert response.status_code == 200
        body = response.json()
        assert [p["name"] for p in body["public_playlists"]] == ["Open"]
        assert body["public_playlists_count"] == 1
        assert "email" not in body
    assert (await client.get("/api/profiles/nobody/")).status_code == 404
