"""Prometheus metrics of one application (its own registry: tests build many apps)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from reader_service.api.service import Service


class _ServiceCollector(Collector):
    """Figures the hot path keeps as plain integers (no lock or label lookup per request)."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        memory = self.service.memory
        yield CounterMetricFamily(
            "reader_clip_memory_hits", "Clips served from memory.", value=memory.hits
        )
        yield CounterMetricFamily(
            "reader_clip_memory_misses", "Clip requests not in memory.", value=memory.misses
        )
        yield CounterMetricFamily(
            "reader_clips_synthesised", "Clip MP3s made on request.", value=self.service.synthesised
        )
        store = self.service.store
        yield CounterMetricFamily(
            "reader_cache_write_failures",
            "Cache writes that failed (full or read-only disk); the data was kept in memory.",
            value=store.write_failures,
        )
        yield CounterMetricFamily(
            "reader_cache_read_failures", "Cache reads that failed.", value=store.read_failures
        )
        yield GaugeMetricFamily(
            "reader_cache_overflow_entries",
            "Entries held in memory because the cache could not take them.",
            value=store.overflow_entries,
        )
        slots = self.service.page_slots
        yield CounterMetricFamily(
            "reader_page_work_refused", "Pages refused with 503: too many at once.", slots.refused
        )
        yield GaugeMetricFamily(
            "reader_page_work_waiting", "Page requests waiting for a slot.", slots.waiting
        )
        hooks = self.service.webhooks
        yield CounterMetricFamily("reader_webhooks_sent", "Webhook events delivered.", hooks.sent)
        yield CounterMetricFamily(
            "reader_webhooks_failed", "Webhook events not delivered.", hooks.failed
        )


class Metrics:
    def __init__(self, service: Service) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "reader_requests", "HTTP requests.", ["route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "reader_request_seconds", "Time to answer.", ["route"], registry=self.registry
        )
        self.registry.register(_ServiceCollector(service))
