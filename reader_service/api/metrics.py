"""Prometheus metrics of one application (its own registry: tests build many apps).

Under ``serve --workers N`` (PROMETHEUS_MULTIPROC_DIR set by serve) every worker writes its
figures to files there and ``/metrics``, whichever worker answers, adds up all of them
(prometheus-client's multiprocess mode); the figures the hot path keeps as plain integers are
copied into "livesum" gauges every few seconds and at each scrape.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from reader_service import clips as clips_module

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
            "reader_clips_synthesised",
            "Clip MP3s made on request.",
            value=self.service.clips.synthesised,
        )
        yield CounterMetricFamily(
            "reader_engine_syntheses",
            "Sentences an engine spoke in this process.",
            value=clips_module.engine_syntheses,
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
        yield CounterMetricFamily(
            "reader_store_write_refusals",
            "Writes the object store refused because the object existed (write-once: a late "
            "writer never replaces a clip).",
            value=store.write_refusals,
        )
        yield GaugeMetricFamily(
            "reader_cache_overflow_entries",
            "Entries held in memory because the cache could not take them.",
            value=store.overflow_entries,
        )
        slots = self.service.limits.page_slots
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


class _ReplicaLabel(Collector):
    """Another registry's metrics with a ``replica`` label on every sample, so the figures of
    several replicas stay apart wherever they are gathered."""

    def __init__(self, inner: CollectorRegistry, replica: str) -> None:
        self.inner = inner
        self.replica = replica

    def collect(self) -> Iterator[Metric]:
        for family in self.inner.collect():
            family.samples = [
                sample._replace(labels={**sample.labels, "replica": self.replica})
                for sample in family.samples
            ]
            yield family


class Metrics:
    def __init__(self, service: Service) -> None:
        self.service = service
        self.multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        # In multiprocess mode the metrics themselves live in files, not in a registry that is
        # scraped; the scraped registry reads every worker's files.
        own = None if self.multiprocess else CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "reader_requests", "HTTP requests.", ["route", "status"], registry=own
        )
        self.latency = Histogram(
            "reader_request_seconds", "Time to answer.", ["route"], registry=own
        )
        # What /metrics shows: every sample labelled with this replica's name.
        self.registry = CollectorRegistry()
        self.registry.register(_ReplicaLabel(own or self._multiprocess(), service.settings.replica))
        if own is not None:
            own.register(_ServiceCollector(service))
            return
        # One "livesum" gauge per figure of _ServiceCollector, made on first copy.
        self._figures: dict[str, Gauge] = {}
        self._figures_lock = threading.Lock()
        threading.Thread(target=self._copy_figures_forever, daemon=True).start()

    @staticmethod
    def _multiprocess() -> CollectorRegistry:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry

    def before_scrape(self) -> None:
        if self.multiprocess:
            self.copy_figures()

    def copy_figures(self) -> None:
        with self._figures_lock:
            for family in _ServiceCollector(self.service).collect():
                gauge = self._figures.get(family.name)
                if gauge is None:
                    gauge = Gauge(family.name, family.documentation, multiprocess_mode="livesum")
                    self._figures[family.name] = gauge
                gauge.set(family.samples[0].value)

    def _copy_figures_forever(self) -> None:
        while True:
            time.sleep(5)
            self.copy_figures()
