"""Prometheus collectors for one app: HTTP requests, cache, upstream (TMDb) calls, the pool.

Each app owns its `CollectorRegistry` (tests start many apps in one process; a global registry
would refuse the second app's collectors and mix their figures).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from app.adapters.telemetry import CacheTelemetry, UpstreamTelemetry

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class PrometheusCacheTelemetry:
    def __init__(self, metrics: PrometheusMetrics, backend: str) -> None:
        self._hits = metrics.cache_hits.labels(backend)
        self._misses = metrics.cache_misses.labels(backend)
        self._errors = metrics.cache_errors
        self._backend = backend

    def hit(self) -> None:
        self._hits.inc()

    def miss(self) -> None:
        self._misses.inc()

    def error(self, operation: str) -> None:
        self._errors.labels(self._backend, operation).inc()


class PrometheusUpstreamTelemetry:
    def __init__(self, metrics: PrometheusMetrics, upstream: str) -> None:
        self._metrics = metrics
        self._upstream = upstream

    def call(self, endpoint: str, outcome: str, seconds: float) -> None:
        self._metrics.upstream_calls.labels(self._upstream, endpoint, outcome).inc()
        self._metrics.upstream_seconds.labels(self._upstream, endpoint).observe(seconds)
        if outcome != "ok":
            self._metrics.upstream_errors.labels(self._upstream, endpoint, outcome).inc()


class PoolCollector(Collector):
    """Reads SQLAlchemy pools when Prometheus scrapes, so the figures are never stale."""

    def __init__(self) -> None:
        self._pools: dict[str, Any] = {}

    def watch(self, name: str, pool: Any) -> None:
        self._pools[name] = pool

    def collect(self) -> Iterator[Metric]:
        families = {
            "size": GaugeMetricFamily(
                "nexus_db_pool_size", "Connections the pool keeps open.", labels=["pool"]
            ),
            "checkedout": GaugeMetricFamily(
                "nexus_db_pool_checked_out", "Connections in use by requests.", labels=["pool"]
            ),
            "checkedin": GaugeMetricFamily(
                "nexus_db_pool_checked_in", "Idle connections in the pool.", labels=["pool"]
            ),
            "overflow": GaugeMetricFamily(
                "nexus_db_pool_overflow",
                "Connections over pool_size (negative: room left before the pool is full).",
                labels=["pool"],
            ),
        }
        for name, pool in self._pools.items():
            for method, family in families.items():
                reading = getattr(pool, method, None)
                if callable(reading):
                    family.add_metric([name], float(reading()))
        yield from families.values()


class PrometheusMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "nexus_http_requests",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "nexus_http_request_duration_seconds",
            "Time from the request's start to its last response byte.",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.cache_hits = Counter(
            "nexus_cache_hits",
            "Cache reads that found a value.",
            ["backend"],
            registry=self.registry,
        )
        self.cache_misses = Counter(
            "nexus_cache_misses",
            "Cache reads that found nothing (or a backend down).",
            ["backend"],
            registry=self.registry,
        )
        self.cache_errors = Counter(
            "nexus_cache_errors",
            "Cache operations the backend failed.",
            ["backend", "operation"],
            registry=self.registry,
        )
        self.upstream_calls = Counter(
            "nexus_upstream_calls",
            "Calls to upstream APIs by endpoint template and outcome.",
            ["upstream", "endpoint", "outcome"],
            registry=self.registry,
        )
        self.upstream_errors = Counter(
            "nexus_upstream_errors",
            "Upstream calls that did not succeed.",
            ["upstream", "endpoint", "outcome"],
            registry=self.registry,
        )
        self.upstream_seconds = Histogram(
            "nexus_upstream_call_duration_seconds",
            "Time an upstream call took.",
            ["upstream", "endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.pools = PoolCollector()
        self.registry.register(self.pools)

    def cache(self, backend: str) -> CacheTelemetry:
        return PrometheusCacheTelemetry(self, backend)

    def upstream(self, name: str) -> UpstreamTelemetry:
        """The port an upstream client (the TMDb adapter) reports its calls through."""
        return PrometheusUpstreamTelemetry(self, name)

    def watch_pool(self, name: str, pool: Any) -> None:
        self.pools.watch(name, pool)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.request_seconds.labels(method, route, str(status)).observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
