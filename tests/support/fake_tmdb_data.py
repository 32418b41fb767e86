"""The fake TMDb's data: the OpenAPI document's own example bodies for page 1 and the details of
movie 11, and generated movies (with TMDb's quirks) for every other page."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).resolve().parent / "tmdb" / "tmdb-openapi-v3-subset.json"
LIST_PATHS = {
    "popular": "/3/movie/popular",
    "top_rated": "/3/movie/top_rated",
    "now_playing": "/3/movie/now_playing",
    "upcoming": "/3/movie/upcoming",
    "trending": "/3/trending/movie/{time_window}",
}
GENRES = {
    28: "Action", 12: "Adventure", 16: "Animation", 35: "Comedy", 80: "Crime",
    99: "Documentary", 18: "Drama", 10751: "Family", 14: "Fantasy", 36: "History",
    27: "Horror", 10402: "Music", 9648: "Mystery", 10749: "Romance", 878: "Science Fiction",
    10770: "TV Movie", 53: "Thriller", 10752: "War", 37: "Western",
}  # fmt: skip
PAGE_SIZE = 20
TOTAL_PAGES = 1000  # more than the 500 TMDb serves, as TMDb reports for its big lists


@cache
def spec() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text())


def example(spec_path: str) -> Any:
    """The first example of a path's 200 response, decoded (the document stores most as text)."""
    content = spec()["paths"][spec_path]["get"]["responses"]["200"]["content"]["application/json"]
    value = next(iter(content["examples"].values()))["value"]
    return json.loads(value) if isinstance(value, str) else value


def generated_item(category: str, page: int, index: int) -> dict[str, Any]:
    """A list item; some carry TMDb's quirks: null paths, empty date, integer vote, no genres."""
    offset = list(LIST_PATHS).index(category) * 20_000
    tmdb_id = 1_000_000 + offset + (page - 1) * PAGE_SIZE + index
    genre_ids = list(GENRES)[index % 19 : index % 19 + 2]
    item: dict[str, Any] = {
        "adult": False,
        "backdrop_path": f"/backdrop{tmdb_id}.jpg",
        "genre_ids": genre_ids,
        "id": tmdb_id,
        "original_language": "en",
        "original_title": f"Generated {category} {tmdb_id}",
        "overview": f"A generated film, number {index} of page {page}.",
        "popularity": round(1000.0 / (page + index), 3),
        "poster_path": f"/poster{tmdb_id}.jpg",
        "release_date": f"20{10 + index % 15:02d}-0{1 + index % 9}-1{index % 10}",
        "title": f"Generated {category} {tmdb_id}",
        "video": False,
        "vote_average": round(5 + (index % 10) / 2.5, 3),
        "vote_count": 10 * index,
    }
    if index % 5 == 1:
        item["poster_path"] = item["backdrop_path"] = None
    if index % 5 == 2:
        item["release_date"] = ""
    if index % 5 == 3:
        item["vote_average"] = 7
    if index % 5 == 4:
        item["genre_ids"] = []
    if category == "trending":
        item["media_type"] = "movie"
    return item


def list_page(category: str, page: int) -> dict[str, Any]:
    spec_body = example(LIST_PATHS[category])
    if page == 1:
        return spec_body
    body = {
        "page": page,
        "results": [generated_item(category, page, index) for index in range(PAGE_SIZE)],
        "total_pages": TOTAL_PAGES,
        "total_results": TOTAL_PAGES * PAGE_SIZE,
    }
    if "dates" in spec_body:
        body["dates"] = spec_body["dates"]
    return body


@cache
def known_items() -> dict[int, dict[str, Any]]:
    """Every item of the document's examples by id (the search body included)."""
    items: dict[int, dict[str, Any]] = {}
    for path in (*LIST_PATHS.values(), "/3/search/movie"):
        for item in example(path)["results"]:
            items.setdefault(item["id"], item)
    return items


def find_item(tmdb_id: int) -> dict[str, Any] | None:
    if tmdb_id in known_items():
        return known_items()[tmdb_id]
    local = tmdb_id - 1_000_000
    category_index, rest = divmod(local, 20_000)
    if local < 0 or category_index >= len(LIST_PATHS):
        return None
    page, index = divmod(rest, PAGE_SIZE)
    if not 2 <= page + 1 <= 500:
        return None
    return generated_item(list(LIST_PATHS)[category_index], page + 1, index)


def details(tmdb_id: int) -> dict[str, Any] | None:
    star_wars = example("/3/movie/{movie_id}")
    if tmdb_id == star_wars["id"]:
        return star_wars
    item = find_item(tmdb_id)
    if item is None:
        return None
    body = {key: value for key, value in item.items() if key not in {"genre_ids", "media_type"}}
    body.update(
        belongs_to_collection=None,
        budget=0,
        genres=[{"id": g, "name": GENRES.get(g, "Unknown")} for g in item.get("genre_ids", [])],
        homepage="",
        imdb_id=f"tt{tmdb_id:07d}",
        origin_country=["US"],
        production_companies=[],
        production_countries=[],
        revenue=0,
        runtime=90 + tmdb_id % 60,
        spoken_languages=[],
        status="Released",
        tagline=f"Tagline of {item['title']}",
    )
    return body


def search(query: str, page: int) -> dict[str, Any]:
    needle = query.casefold()
    matches = [
        item
        for item in known_items().values()
        if needle in item["title"].casefold() or needle in item["original_title"].casefold()
    ]
    total_pages = max(1, -(-len(matches) // PAGE_SIZE))
    start = (page - 1) * PAGE_SIZE
    return {
        "page": page,
        "results": matches[start : start + PAGE_SIZE],
        "total_pages": total_pages,
        "total_results": len(matches),
    }


def genre_list(language: str = "en-US") -> dict[str, Any]:
    """The document's example is TMDb's German list; other languages get the English names."""
    if language.startswith("de"):
        return example("/3/genre/movie/list")
    return {"genres": [{"id": genre_id, "name": name} for genre_id, name in GENRES.items()]}
