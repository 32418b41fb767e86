"""`/metrics`: requests by route template and status, cache hits and misses, pool usage."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from app.adapters.prometheus_metrics import PrometheusMetrics


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, frozenset(labels.items())), 0.0)


async def test_requests_are_counted_by_route_template_not_raw_path(
    client: httpx.AsyncClient,
) -> None:
    await client.get("/healthz")
    await client.get("/healthz")
    await client.get("/no/such/path/12345")
    await client.get("/no/such/path/67890")

    response = await client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    labels = {"method": "GET", "route": "/healthz", "status": "200"}
    assert value(text, "nexus_http_requests_total", **labels) == 2
    assert value(text, "nexus_http_request_duration_seconds_count", **labels) == 2
    unmatched = {"method": "GET", "route": "<unmatched>", "status": "404"}
    assert value(text, "nexus_http_requests_total", **unmatched) == 2
    assert "12345" not in text


async def test_metrics_is_not_in_the_openapi_schema(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert "/metrics" not in schema["paths"]


async def test_pool_usage_is_read_at_scrape_time(app: FastAPI, client: httpx.AsyncClient) -> None:
    runtime = app.state.runtime
    async with runtime.database.unit_of_work() as uow:
        await uow.connection.exec_driver_sql("SELECT 1")
        during = (await client.get("/metrics")).text
    after = (await client.get("/metrics")).text

    assert value(during, "nexus_db_pool_checked_out", pool="main") == 1
    assert value(after, "nexus_db_pool_checked_out", pool="main") == 0
    assert value(after, "nexus_db_pool_checked_in", pool="main") >= 1


async def test_cache_hits_and_misses_are_counted(app: FastAPI, client: httpx.AsyncClient) -> None:
    cache = app.state.runtime.cache
    await cache.get("metrics-test")
    await cache.set("metrics-test", b"x", 60)
    await cache.get("metrics-test")
    await cache.get("metrics-test")

    text = (await client.get("/metrics")).text

    assert value(text, "nexus_cache_misses_total", backend="memory") >= 1
    assert value(text, "nexus_cache_hits_total", backend="memory") >= 2


def test_upstream_calls_and_errors_are_counted() -> None:
    metrics = PrometheusMetrics()
    tmdb = metrics.upstream("tmdb")
    tmdb.call("/search/movie", "ok", 0.12)
    tmdb.call("/search/movie", "429", 0.01)
    tmdb.call("/movie/{id}", "timeout", 10.0)

    text = metrics.exposition().decode()

    ok = {"upstream": "tmdb", "endpoint": "/search/movie", "outcome": "ok"}
    assert value(text, "nexus_upstream_calls_total", **ok) == 1
    assert value(text, "nexus_upstream_errors_total", **ok) == 0
    limited = {"upstream": "tmdb", "endpoint": "/search/movie", "outcome": "429"}
    assert value(text, "nexus_upstream_errors_total", **limited) == 1
    timeout = {"upstream": "tmdb", "endpoint": "/movie/{id}", "outcome": "timeout"}
    assert value(text, "nexus_upstream_errors_total", **timeout) == 1
    seconds = {"upstream": "tmdb", "endpoint": "/search/movie"}
    assert value(text, "nexus_upstream_call_duration_seconds_count", **seconds) == 2


async def test_each_app_has_its_own_registry(app: FastAPI) -> None:
    assert isinstance(app.state.metrics, PrometheusMetrics)
    assert PrometheusMetrics().registry is not app.state.metrics.registry


async def test_redis_cache_counts_hits_misses_and_failures(
    redis_url: str, redis_prefix: str
) -> None:
    from app.adapters.redis.cache import RedisCache
    from app.adapters.redis.client import create_redis

    metrics = PrometheusMetrics()
    live = create_redis(redis_url)
    dead = create_redis("redis://127.0.0.1:1/0", socket_timeout=0.2)
    try:
        cache = RedisCache(live, prefix=redis_prefix, telemetry=metrics.cache("redis"))
        await cache.get("absent")
        await cache.set("present", b"x", 60)
        await cache.get("present")
        broken = RedisCache(dead, prefix=redis_prefix, telemetry=metrics.cache("redis"))
        assert await broken.get("anything") is None
    finally:
        await live.aclose()
        await dead.aclose()

    text = metrics.exposition().decode()
    assert value(text, "nexus_cache_hits_total", backend="redis") == 1
    assert value(text, "nexus_cache_misses_total", backend="redis") == 2
    assert value(text, "nexus_cache_errors_total", backend="redis", operation="get") == 1


def test_upstream_labels_are_templates_and_status_classes() -> None:
    from app.adapters.telemetry import endpoint_template, outcome_of_status

    assert endpoint_template("/movie/550/credits") == "/movie/{id}/credits"
    assert endpoint_template("/movie/550?api_key=secret") == "/movie/{id}"
    assert endpoint_template("/search/movie") == "/search/movie"
    assert [outcome_of_status(s) for s in (200, 204, 404, 429, 500, 503)] == [
        "ok",
        "ok",
        "4xx",
        "429",
        "5xx",
        "5xx",
    ]
