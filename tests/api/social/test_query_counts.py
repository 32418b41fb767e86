"""No N+1: list endpoints run the same number of SQL statements whatever the page size."""

from __future__ import annotations

from tests.support.social_data import count_statements, insert_movies


async def statements_for(app, client, url: str, headers: dict[str, str]) -> int:
    with count_statements(app) as statements:
        response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return len(statements)


async def test_list_endpoints_do_not_grow_with_the_page_size(app, client, create_user):
    users = [await create_user(f"user{n}") for n in range(12)]
    movies = await insert_movies(app, 12)
    for n, user in enumerate(users):
        await client.post(
            "/api/ratings/", json={"movie": movies[n], "score": 3}, headers=user.headers
        )
        await client.post(
            "/api/ratings/", json={"movie": movies[0], "score": 4}, headers=user.headers
        )
        await client.post(
            "/api/playlists/",
            json={"name": "mine", "visibility": "public", "movie_ids": movies[: n + 1]},
            headers=user.headers,
        )
    for n in range(10):
        await client.post(
            "/api/playlists/", json={"name": f"p{n}", "movie_ids": movies}, headers=users[0].headers
        )
    headers = users[0].headers

    for url in (
        "/api/ratings/",
        f"/api/movies/{movies[0]}/ratings/",
        "/api/playlists/",
        "/api/playlists/my_playlists/",
    ):
        small = await statements_for(app, client, f"{url}?page_size=1", headers)
        large = await statements_for(app, client, f"{url}?page_size=100", headers)
        assert small == large, url
        assert 2 <= large <= 5, url
    assert await statements_for(app, client, "/api/profiles/user1/", {}) <= 5
