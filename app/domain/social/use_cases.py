"""The social use cases a running service holds, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class SocialUseCases:
    rate_movie: RateMovie
    get_rating: GetRating
    list_ratings: ListRatings
    list_movie_ratings: ListMovieRatings
    update_rating: UpdateRating
    delete_rating: DeleteRating
    create_playlist: CreatePlaylist
    get_playlist: GetPlaylist
    get_shared_playlist: GetSharedPlaylist
    list_playlists: ListPlaylists
    update_playlist: UpdatePlaylist
    delete_playlist: DeletePlaylist
    add_playlist_movie: AddPlaylistMovie
    remove_playlist_movie: RemovePlaylistMovie
    reorder_playlist_movies: ReorderPlaylistMovies
    update_profile: UpdateProfile
    get_public_profile: GetPublicProfile
    list_public_profiles: ListPublicProfiles
    get_user_stats: GetUserStats
