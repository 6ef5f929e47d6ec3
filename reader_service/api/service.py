"""What the routes share: settings, options, the store, tenants, limits and the article records."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from dataclasses import asdict, replace
from datetime import date
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import httpx

from reader_service import audio
from reader_service.api.hotpath import ClipMemory
from reader_service.clips import Voicing, obtain, voicings
from reader_service.engines import get_engine
from reader_service.errors import (
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    RateLimitedError,
)
from reader_service.extract import extract
from reader_service.fetch import FetchOptions, fetch
from reader_service.models import Article, SynthesisOptions
from reader_service.pipeline import ReadOptions, article_from_text
from reader_service.settings import Settings
from reader_service.singleflight import SingleFlight
from reader_service.storage import FileStore
from reader_service.tenants import Tenant, TenantRegistry

log = logging.getLogger(__name__)

DEMO_PATH = "/demo/article"
_KEY = re.compile(r"^[0-9a-f]{64}$")
_ARTICLE_ID = re.compile(r"^[0-9a-f]{24}$")


class RateLimiter:
    """A token bucket per client: ``per_minute`` calls, refilled continuously."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60
        self.capacity = float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                raise RateLimitedError("Quá nhiều yêu cầu; xin thử lại sau ít phút.")
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > 100_000:  # forget idle clients
                self._buckets.clear()


class Service:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.options = ReadOptions.from_settings(settings)
        self.store = FileStore(settings.cache_dir / "clips", settings.cache_max_mb * 1_000_000)
        self.tenants = TenantRegistry(settings.data_dir / "tenants.json")
        self.anonymous = RateLimiter(settings.anonymous_per_minute)
        self.keyed = RateLimiter(settings.key_per_minute)
        self.memory = ClipMemory(64_000_000)
        self._encodes: SingleFlight[bytes] = SingleFlight()
        # Batches running in this process, by id (identical requests share one).
        self.batches: dict[str, dict[str, Any]] = {}
        self.batches_lock = threading.Lock()
        self.synthesised = 0
        self.sample_html = (
            resources.files("reader_service")
            .joinpath("samples", "portal-article.html")
            .read_bytes()
        )

    def notify(self, tenant: Tenant, event: str, payload: dict[str, Any]) -> None:
        """The tenant's webhook, if any: best effort, never fails the work it reports on."""
        if not tenant.webhook:
            return
        try:
            httpx.post(tenant.webhook, json={"event": event, **payload}, timeout=10.0)
        except httpx.HTTPError as exc:
            log.warning("webhook of %s failed: %s", tenant.name, exc)

    # --- who may read what -------------------------------------------------------------------

    def allowed_hosts(self, tenant: Tenant | None = None) -> frozenset[str]:
        if tenant is not None:
            return tenant.hosts
        hosts = set(self.settings.allowed_host_set)
        for each in self.tenants.tenants():
            hosts |= each.hosts
        return frozenset(hosts)

    def origin_allowed(self, origin: str) -> bool:
        host = (urlsplit(origin).hostname or "").lower().removeprefix("www.")
        port = urlsplit(origin).port
        hosts = self.allowed_hosts()
        return bool(host) and (host in hosts or f"{host}:{port}" in hosts)

    def fetch_options(self, tenant: Tenant | None = None) -> FetchOptions:
        return replace(
            self.options.fetch, allowed_hosts=self.allowed_hosts(tenant), require_allowed=True
        )

    # --- articles -------------------------------------------------------------------------------

    def read_options(self, voice: str | None, rate_wpm: int | None = None) -> ReadOptions:
        options = self.options
        if rate_wpm is not None:
            options = replace(options, synthesis=replace(options.synthesis, rate_wpm=rate_wpm))
        if voice:
            voices = get_engine(options.engine).info.voices
            if voice not in voices:
                raise InvalidInputError(
                    f"Không có giọng '{voice}'; chọn một trong: {', '.join(voices)}."
                )
            options = replace(options, voice=voice)
        return options

    def is_demo(self, url: str, request_host: str | None) -> bool:
        parts = urlsplit(url)
        return parts.path == DEMO_PATH and (parts.netloc == request_host or not parts.netloc)

    def load_url(self, url: str, tenant: Tenant | None, request_host: str | None) -> Article:
        if len(url) > 2048 or not url.startswith(("http://", "https://", "/")):
            raise InvalidInputError("Địa chỉ trang không hợp lệ: cần http:// hoặc https://.")
        if self.is_demo(url, request_host):
            return extract(self.sample_html, url=url)
        if url.startswith("/"):
            raise InvalidInputError("Địa chỉ trang không hợp lệ: cần http:// hoặc https://.")
        page = fetch(url, self.fetch_options(tenant))
        return extract(
            page.body,
            url=page.final_url,
            charset=page.charset,
            max_bytes=self.options.fetch.max_bytes,
            pinned=self.options.content_selectors,
        )

    def load_html(self, html: str, url: str | None, tenant: Tenant | None) -> Article:
        if url:
            host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
            if tenant is not None and host not in tenant.hosts:
                raise ForbiddenError(f"Khoá API này không được dùng cho máy chủ '{host}'.")
        return extract(html, url=url, max_bytes=self.options.fetch.max_bytes)

    def load_text(self, title: str, text: str) -> Article:
        return article_from_text(title, text)

    @staticmethod
    def article_id(article: Article) -> str:
        identity = article.canonical_url or article.url or article.content_hash
        return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]

    def publish(
        self, article: Article, options: ReadOptions, cues: list[dict[str, Any]], **extra: Any
    ) -> dict[str, Any]:
        """The manifest of an article (what listen and POST /v1/articles answer), kept so
        GET /v1/articles/{id} and its audio can find it."""
        article_id = self.article_id(article)
        record = {
            "id": article_id,
            "title": article.title,
            "url": article.url,
            "lang": article.lang,
            "published": article.published.isoformat() if article.published else None,
            "voice": options.voice,
            "engine": options.engine,
            "audio": f"/v1/articles/{article_id}/audio.mp3",
            **extra,
            "cues": cues,
        }
        self.save_record(article_id, record | {"article": self.article_dict(article)})
        return record

    def save_record(self, article_id: str, record: dict[str, Any]) -> None:
        self.store.put(
            f"article-{article_id}.json", json.dumps(record, ensure_ascii=False).encode()
        )

    def record(self, article_id: str) -> dict[str, Any]:
        if not _ARTICLE_ID.match(article_id):
            raise NotFoundError("Không có bài viết này.")
        data = self.store.get(f"article-{article_id}.json")
        if data is None:
            raise NotFoundError("Không có bài viết này (chưa tạo hoặc đã xoá).")
        return dict(json.loads(data))

    def delete_record(self, article_id: str) -> None:
        self.record(article_id)
        (self.store.root / "ar" / f"article-{article_id}.json").unlink(missing_ok=True)

    @staticmethod
    def article_of(record: dict[str, Any]) -> Article:
        data = dict(record["article"])
        if data.get("published"):
            data["published"] = date.fromisoformat(data["published"])
        data["paragraphs"] = tuple(data["paragraphs"])
        return Article(**data)

    @staticmethod
    def article_dict(article: Article) -> dict[str, Any]:
        data = asdict(article)
        data["published"] = article.published.isoformat() if article.published else None
        data["paragraphs"] = list(article.paragraphs)
        return data

    # --- clips ----------------------------------------------------------------------------------

    def remember_clip(self, key: str, spoken: str, voicing: Voicing) -> None:
        """What a clip key stands for, so its audio can be made on first request."""
        name = f"{key}.req.json"
        if not self.store.has(name):
            request = {"spoken": spoken, "voicing": asdict(voicing)}
            self.store.put(name, json.dumps(request, ensure_ascii=False).encode("utf-8"))

    def clip_mp3(self, key: str) -> bytes:
        """The MP3 of a clip, made and cached on its first request."""
        if not _KEY.match(key):
            raise NotFoundError("Không có đoạn âm thanh này.")
        if (cached := self.store.get(f"{key}.mp3")) is not None:
            return cached
        request = self.store.get(f"{key}.req.json")
        if request is None:
            raise NotFoundError("Không có đoạn âm thanh này.")
        return self._encodes.run(key, lambda: self._make_mp3(key, json.loads(request)))

    def _make_mp3(self, key: str, request: dict[str, Any]) -> bytes:
        if (cached := self.store.get(f"{key}.mp3")) is not None:
            return cached
        voicing_data = dict(request["voicing"])
        voicing_data["options"] = SynthesisOptions(**voicing_data["options"])
        preferred = Voicing(**voicing_data)
        spoken_key, clip = obtain(
            request["spoken"], voicings(preferred, self.options.fallback_engines), self.store
        )
        segment = audio.level(audio.segment_of(clip))
        mp3 = audio.encode_mp3(segment, self.options.bitrate_kbps)
        self.synthesised += 1
        if spoken_key == key:  # a fallback's clip is not kept under the preferred key
            self.store.put(f"{key}.mp3", mp3)
        return mp3
