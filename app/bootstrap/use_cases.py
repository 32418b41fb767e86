"""Every use case, built once from the ports: the running service builds them from its adapters
(`app.bootstrap.runtime`), the unit tests from in-memory fakes, the same way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from app.domain.accounts.access import Authenticate
from app.domain.accounts.ports import ActiveUsers, PasswordHasher, TokenCodec
from app.domain.accounts.registration import RegisterUser, UpdateAccount, utc_now
from app.domain.accounts.registration_checks import CheckRegistration
from app.domain.accounts.sessions import (
    DEFAULT_MAX_SESSION,
    RefreshSession,
    SignIn,
    SignOut,
    StartSession,
)
from app.domain.accounts.use_cases import AccountUseCases
from app.domain.catalogue.browsing import (
    GetMovie,
    ListGenres,
    ListMovies,
    RecentMovies,
    TopRatedMovies,
)
from app.domain.catalogue.editing import CreateMovie, DeleteMovie, UpdateMovie
from app.domain.catalogue.genre_refs import NameGenres, ResolveGenres
from app.domain.catalogue.use_cases import CatalogueUseCases
from app.domain.recommendations.facts import GetCatalogueFacts
from app.domain.recommendations.ports import RecommendationPorts
from app.domain.recommendations.recommend import ExplainMatch, RecommendMovies
from app.domain.recommendations.similar import SimilarMovies
from app.domain.recommendations.trending import TrendingMovies
from app.domain.recommendations.use_cases import RecommendationUseCases
from app.domain.shared.ports import Cache, Database
from app.domain.social.playlist_changes import (
    CreatePlaylist,
    DeletePlaylist,
    GetPlaylist,
    GetSharedPlaylist,
    ListPlaylists,
    UpdatePlaylist,
)
from app.domain.social.playlist_movies import (
    AddPlaylistMovie,
    RemovePlaylistMovie,
    ReorderPlaylistMovies,
)
from app.domain.social.profiles import GetPublicProfile, ListPublicProfiles, UpdateProfile
from app.domain.social.rating_changes import (
    DeleteRating,
    GetRating,
    ListMovieRatings,
    ListRatings,
    RateMovie,
    UpdateRating,
)
from app.domain.social.stats import GetUserStats
from app.domain.social.use_cases import SocialUseCases
from app.domain.tmdb.lookup import ImportFromTmdb, SearchTmdb
from app.domain.tmdb.ports import TmdbClient
from app.domain.tmdb.use_cases import TmdbUseCases

Clock = Callable[[], datetime]


def build_accounts(
    database: Database,
    passwords: PasswordHasher,
    tokens: TokenCodec,
    *,
    refresh_grace: timedelta,
    max_session: timedelta = DEFAULT_MAX_SESSION,
    now: Clock = utc_now,
    active_users: ActiveUsers | None = None,
) -> AccountUseCases:
    """`active_users`: where signed-in requests read their user (a cache); None: the database."""
    return AccountUseCases(
        register=RegisterUser(database, passwords),
        check_registration=CheckRegistration(database),
        update_account=UpdateAccount(database, passwords, now),
        sign_in=SignIn(database, passwords, tokens, now),
        start_session=StartSession(database, tokens, now),
        refresh_session=RefreshSession(
            database, tokens, refresh_grace, now, max_session=max_session
        ),
        sign_out=SignOut(database, tokens, now),
        authenticate=Authenticate(database, tokens, active_users),
    )


def build_catalogue(database: Database, cache: Cache) -> CatalogueUseCases:
    return CatalogueUseCases(
        list_movies=ListMovies(database),
        get_movie=GetMovie(database),
        recent_movies=RecentMovies(database),
        top_rated_movies=TopRatedMovies(database),
        list_genres=ListGenres(database),
        create_movie=CreateMovie(database),
        update_movie=UpdateMovie(database, cache),
        delete_movie=DeleteMovie(database, cache),
        resolve_genres=ResolveGenres(database),
        name_genres=NameGenres(database),
    )


def build_social(
    database: Database,
    cache: Cache,
    now: Clock = utc_now,
    active_users: ActiveUsers | None = None,
) -> SocialUseCases:
    return SocialUseCases(
        rate_movie=RateMovie(database, cache, active_users),
        get_rating=GetRating(database),
        list_ratings=ListRatings(database),
        list_movie_ratings=ListMovieRatings(database),
        update_rating=UpdateRating(database, cache, active_users),
        delete_rating=DeleteRating(database, cache, active_users),
        create_playlist=CreatePlaylist(database),
        get_playlist=GetPlaylist(database),
        get_shared_playlist=GetSharedPlaylist(database),
        list_playlists=ListPlaylists(database),
        update_playlist=UpdatePlaylist(database),
        delete_playlist=DeletePlaylist(database),
        add_playlist_movie=AddPlaylistMovie(database),
        remove_playlist_movie=RemovePlaylistMovie(database),
        reorder_playlist_movies=ReorderPlaylistMovies(database),
        update_profile=UpdateProfile(database, cache),
        get_public_profile=GetPublicProfile(database),
        list_public_profiles=ListPublicProfiles(database),
        get_user_stats=GetUserStats(database, now),
    )


def build_tmdb(tmdb: TmdbClient | None, database: Database) -> TmdbUseCases | None:
    """None without TMDb credentials: the routes then answer 503 `tmdb_not_configured`."""
    if tmdb is None:
        return None
    return TmdbUseCases(
        search=SearchTmdb(tmdb, database), import_movie=ImportFromTmdb(tmdb, database)
    )


def build_recommendations(ports: RecommendationPorts, cache: Cache) -> RecommendationUseCases:
    return RecommendationUseCases(
        recommend=RecommendMovies(ports.reading, ports.models, cache),
        explain_match=ExplainMatch(ports.reading, ports.models, cache),
        similar=SimilarMovies(ports.reading, ports.models),
        trending=TrendingMovies(ports.reading, cache),
        catalogue_facts=GetCatalogueFacts(ports.reading, cache),
    )
