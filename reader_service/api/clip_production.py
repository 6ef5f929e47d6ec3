"""Clip production: a clip's MP3 from the cache, or made once from its record's request."""

from __future__ import annotations

import re

from reader_service.api.publishing import Publisher
from reader_service.clips import Voicing, clip_key
from reader_service.cluster_lock import ClusterLocks
from reader_service.errors import NotFoundError
from reader_service.pipeline import ReadOptions, clip_mp3, live_voicings
from reader_service.singleflight import SingleFlight
from reader_service.storage.resilient import CacheOnlyStore

_KEY = re.compile(r"^[0-9a-f]{64}$")


class ClipProducer:
    def __init__(
        self,
        options: ReadOptions,
        store: CacheOnlyStore,
        publisher: Publisher,
        locks: ClusterLocks | None = None,
    ) -> None:
        self.options = options
        self.store = store
        self.publisher = publisher
        # Replicas sharing Redis make each clip once between them (READER_REDIS_URL).
        self.locks = locks
        self._encodes: SingleFlight[bytes] = SingleFlight()
        self.synthesised = 0

    def cached_clip(self, key: str, article_id: str | None) -> tuple[bytes | None, int]:
        """A clip's MP3 when it is cached, else None and the urgency of making it (its
        sentence's index in the article: the first sentence is the most urgent)."""
        if not _KEY.match(key):
            raise NotFoundError("Không có đoạn âm thanh này.")
        if (cached := self.store.get(f"{key}.mp3")) is not None:
            return cached, 0
        request = self.publisher.clip_requests(article_id).get(key) if article_id else None
        if request is None:
            raise NotFoundError("Không có đoạn âm thanh này.")
        return None, request.index

    def clip_mp3(self, key: str, article_id: str | None) -> bytes:
        """The MP3 of a clip, made and cached on its first request. The article id (the ``a``
        parameter of the clip's URL) says where its text is."""
        cached, _ = self.cached_clip(key, article_id)
        if cached is not None:
            return cached
        request = self.publisher.clip_requests(article_id or "")[key]

        def make() -> bytes:
            if self.locks is None:
                return self._make_mp3(key, request.spoken, request.voicing)
            return self.locks.run_once(
                f"clip:{key}",
                lambda: self._make_mp3(key, request.spoken, request.voicing),
                lambda: self.store.get(f"{key}.mp3"),
            )

        return self._encodes.run(key, make)

    def _make_mp3(self, key: str, spoken: str, preferred: Voicing) -> bytes:
        if (cached := self.store.get(f"{key}.mp3")) is not None:
            return cached
        # An engine whose breaker is open is skipped at once (no wait), and while it is, the
        # MP3 a fallback already made for this sentence is served instead of made again.
        chain = live_voicings(preferred, self.options)
        for each in chain:
            each_key = clip_key(spoken, each)
            if each_key == key:
                break
            if (made := self.store.get(f"{each_key}.mp3")) is not None:
                return made
        spoken_key, mp3 = clip_mp3(spoken, chain, self.options, self.store)
        self.synthesised += 1
        # Under the key of the engine that really spoke: a fallback's MP3 never takes the
        # preferred key, so the preferred engine is tried again once it is back.
        self.store.put(f"{spoken_key}.mp3", mp3)
        return mp3
