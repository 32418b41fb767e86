"""Playlist rules and use cases against in-memory fakes."""

from __future__ import annotations

import pytest

from app.bootstrap.use_cases import build_social
from app.domain.accounts.users import User
from app.domain.shared.errors import (
    Conflict,
    InvalidInput,
    LimitExceeded,
    NotFound,
    PermissionDenied,
)
from app.domain.shared.pagination import Page, PageRequest
from app.domain.social import playlist_changes as cases
from app.domain.social import playlist_movies
from app.domain.social.playlists import (
    Playlist,
    PlaylistDraft,
    PlaylistQuery,
    can_edit,
    can_view,
    can_view_by_id,
    new_slug,
)
from app.domain.social.use_cases import SocialUseCases
from tests.support.fakes import FakeDatabase, RecordingCache

World = tuple[FakeDatabase, User, User]


def social(database: FakeDatabase) -> SocialUseCases:
    """The social use cases as the composition root builds them, over the fakes."""
    return build_social(database, RecordingCache())


@pytest.fixture
def world() -> World:
    database = FakeDatabase()
    return database, database.add_user("alice"), database.add_user("bob")


def ids(playlist: Playlist) -> list[int]:
    return [movie.movie_id for movie in playlist.movies]


async def test_visibility_and_ownership_rules(world: World) -> None:
    database, alice, bob = world
    for visibility, by_slug, by_id in (
        ("private", False, False),
        ("unlisted", True, False),
        ("public", True, True),
    ):
        playlist = await social(database).create_playlist(
            alice, PlaylistDraft(visibility, visibility=visibility), None
        )
        assert can_view(playlist, alice) and can_edit(playlist, alice)
        assert can_view_by_id(playlist, alice)
        assert can_view(playlist, bob) is by_slug and can_view(playlist, None) is by_slug
        assert can_view_by_id(playlist, bob) is by_id and can_view_by_id(playlist, None) is by_id
        assert not can_edit(playlist, bob) and not can_edit(playlist, None)
        for viewer in (bob, None):
            if by_id:
                assert (await social(database).get_playlist(viewer, playlist.id)) == playlist
            else:
                with pytest.raises(NotFound):
                    await social(database).get_playlist(viewer, playlist.id)
        error = PermissionDenied if by_id else NotFound
        with pytest.raises(error):
            await social(database).delete_playlist(bob, playlist.id)


def test_drafts_are_checked_and_stripped() -> None:
    assert PlaylistDraft("  Noir ").name == "Noir"
    for bad in (
        {"name": " "},
        {"name": "x" * 201},
        {"name": "ok", "description": "d" * 501},
        {"name": "ok", "visibility": "friends"},
    ):
        with pytest.raises(InvalidInput):
            PlaylistDraft(**bad)
    assert len({new_slug() for _ in range(100)}) == 100


async def test_items_stay_in_order_and_errors_write_nothing(world: World) -> None:
    database, alice, _ = world
    a, b, c = (database.add_movie(t) for t in "abc")
    playlist = await social(database).create_playlist(alice, PlaylistDraft("x"), [b, a])
    assert ids(playlist) == [b, a]

    assert ids(await social(database).add_playlist_movie(alice, playlist.id, c, 0)) == [c, b, a]
    with pytest.raises(Conflict):
        await social(database).add_playlist_movie(alice, playlist.id, c, None)
    with pytest.raises(NotFound):
        await social(database).add_playlist_movie(alice, playlist.id, 999, None)
    with pytest.raises(InvalidInput):
        await social(database).reorder_playlist_movies(alice, playlist.id, [a, b])
    with pytest.raises(NotFound):
        await social(database).update_playlist(
            alice, playlist.id, cases.PlaylistChanges(name="new", movie_ids=[a, 999])
        )
    assert ids(await social(database).get_playlist(alice, playlist.id)) == [c, b, a]
    assert (await social(database).get_playlist(alice, playlist.id)).name == "x"
    assert ids(await social(database).reorder_playlist_movies(alice, playlist.id, [a, b, c])) == [
        a,
        b,
        c,
    ]
    assert ids(await social(database).remove_playlist_movie(alice, playlist.id, b)) == [a, c]


async def test_limits(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    database, alice, _ = world
    monkeypatch.setattr(cases, "MAX_PLAYLISTS_PER_USER", 1)
    monkeypatch.setattr(playlist_movies, "MAX_MOVIES_PER_PLAYLIST", 1)
    a, b = database.add_movie(), database.add_movie()
    playlist = await social(database).create_playlist(alice, PlaylistDraft("one"), [a])

    with pytest.raises(LimitExceeded):
        await social(database).create_playlist(alice, PlaylistDraft("two"), None)
    with pytest.raises(LimitExceeded):
        await social(database).add_playlist_movie(alice, playlist.id, b, None)


async def test_the_list_never_shows_others_unlisted_or_private(world: World) -> None:
    database, alice, bob = world
    for visibility in ("private", "unlisted", "public"):
        await social(database).create_playlist(
            alice, PlaylistDraft(visibility, visibility=visibility), None
        )

    def names(page: Page[Playlist]) -> list[str]:
        return sorted(p.name for p in page.items)

    as_bob = await social(database).list_playlists(PlaylistQuery(viewer_id=bob.id), PageRequest())
    as_alice = await social(database).list_playlists(
        PlaylistQuery(viewer_id=alice.id), PageRequest()
    )
    assert names(as_bob) == ["public"]
    assert names(as_alice) == ["private", "public", "unlisted"]
    for playlist in as_alice.items:
        if playlist.visibility == "private":
            with pytest.raises(NotFound):
                await social(database).get_shared_playlist(bob, playlist.slug)
        else:
            assert (
                await social(database).get_shared_playlist(None, playlist.slug)
            ).id == playlist.id
