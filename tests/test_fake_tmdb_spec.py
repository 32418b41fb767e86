"""The fake TMDb serves bodies that TMDb's own OpenAPI document accepts.

The document types `poster_path`, `backdrop_path` and `belongs_to_collection` as plain strings and
objects, yet its own examples (and TMDb) send null for them; and `/movie/upcoming` types
`vote_average` as an integer while its own example sends 6.9. The schemas are read with exactly
those corrections (nullable paths, `vote_average` a number, as the contract says), and the
document's examples are checked against the same reading.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from tests.support import fake_tmdb_data as data
from tests.support.fake_tmdb import API_KEY, FakeTmdb

NULLABLE = {"poster_path", "backdrop_path", "belongs_to_collection", "logo_path"}


def schema_for(spec_path: str) -> dict[str, Any]:
    responses = data.spec()["paths"][spec_path]["get"]["responses"]
    schema = copy.deepcopy(responses["200"]["content"]["application/json"]["schema"])
    _allow_null(schema)
    return schema


def _allow_null(node: Any) -> None:
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            if name in NULLABLE and isinstance(prop.get("type"), str):
                prop["type"] = [prop["type"], "null"]
            if name == "vote_average":
                prop["type"] = "number"
        for value in node.values():
            _allow_null(value)
    elif isinstance(node, list):
        for value in node:
            _allow_null(value)


def assert_valid(spec_path: str, body: Any) -> None:
    validator = Draft202012Validator(schema_for(spec_path))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert not errors, f"{spec_path}: {errors[:5]}"


def strict_check(spec_path: str, body: Any) -> None:
    """Beyond the document's loose schema: what the contract promises about every list item."""
    for item in body.get("results", []):
        assert isinstance(item["id"], int) and item["title"]
        assert item["release_date"] == "" or len(item["release_date"]) == 10
        assert isinstance(item["vote_average"], int | float)
        assert all(isinstance(g, int) for g in item["genre_ids"])


@pytest.mark.parametrize("spec_path", list(data.spec()["paths"]))
def test_the_documents_examples_validate(spec_path: str) -> None:
    assert_valid(spec_path, data.example(spec_path))


QueryParams = dict[str, str | int]

CASES: list[tuple[str, str, QueryParams]] = [
    ("/3/movie/popular", "/movie/popular", {"page": 1}),
    ("/3/movie/popular", "/movie/popular", {"page": 2}),
    ("/3/movie/top_rated", "/movie/top_rated", {"page": 7}),
    ("/3/movie/now_playing", "/movie/now_playing", {"page": 3}),
    ("/3/movie/upcoming", "/movie/upcoming", {"page": 500}),
    ("/3/trending/movie/{time_window}", "/trending/movie/week", {"page": 2}),
    ("/3/trending/movie/{time_window}", "/trending/movie/day", {"page": 1}),
    ("/3/search/movie", "/search/movie", {"query": "club"}),
    ("/3/search/movie", "/search/movie", {"query": "nothing like this"}),
    ("/3/genre/movie/list", "/genre/movie/list", {}),
    ("/3/genre/movie/list", "/genre/movie/list", {"language": "de"}),
    ("/3/movie/{movie_id}", "/movie/11", {}),
    ("/3/movie/{movie_id}", "/movie/1000021", {}),
    ("/3/movie/{movie_id}", "/movie/550", {}),
    ("/3/configuration", "/configuration", {}),
]


def test_the_fakes_bodies_validate() -> None:
    with FakeTmdb().running() as fake:
        for spec_path, path, params in CASES:
            response = httpx.get(fake.base_url + path, params={**params, "api_key": API_KEY})
            assert response.status_code == 200, (path, response.text)
            body = response.json()
            assert_valid(spec_path, body)
            strict_check(spec_path, body)


def test_generated_pages_carry_tmdbs_quirks() -> None:
    items = data.list_page("popular", 2)["results"]
    assert any(item["poster_path"] is None and item["backdrop_path"] is None for item in items)
    assert any(item["release_date"] == "" for item in items)
    assert any(isinstance(item["vote_average"], int) for item in items)
    assert any(item["genre_ids"] == [] for item in items)
