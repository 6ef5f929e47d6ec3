"""Article records: loading an article, naming it, publishing its manifest, keeping it.

Records are scoped to their owner: a tenant's records are keyed by the tenant and the article's
URL (a host of that tenant), anonymous listens by the URL alone in a namespace of their own, so
nobody can replace a record of someone else. A canonical URL taken from a page counts only when
it names the page's own host. The record holds the manifest, the article's text and the voicing
of its clips, so every clip URL it gave can be made again after the cache lost it.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from reader_service.api.access import AccessPolicy
from reader_service.clips import Voicing
from reader_service.db.records import ArticleRecords
from reader_service.engines import get_engine
from reader_service.errors import (
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    ReaderError,
)
from reader_service.fetch import host_allowed, split_url
from reader_service.manifest import article_from_dict, article_to_dict, clip_url, planned_cue
from reader_service.models import Article, SynthesisOptions
from reader_service.pipeline import (
    ReadOptions,
    article_from_text,
    extract_page,
    load_page,
    plan,
)
from reader_service.tenants import Tenant

DEMO_PATH = "/demo/article"
PUBLIC_OWNER = ""  # anonymous listens: the widget on any allowed page
_ARTICLE_ID = re.compile(r"^[0-9a-f]{24}$")
_CLIP_IN_URL = re.compile(r"/v1/clips/([0-9a-f]{64})\.mp3")
# Fields of a stored record that are the service's own business, never sent out.
_PRIVATE = ("article", "owner", "voicings")


def public(record: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in record.items() if name not in _PRIVATE}


def _same_host(first: str, second: str) -> bool:
    try:
        a, b = urlsplit(first), urlsplit(second)
        return bool(a.hostname) and (a.hostname, a.port) == (b.hostname, b.port)
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class ClipRequest:
    """What one clip URL of a record stands for."""

    spoken: str
    voicing: Voicing
    index: int


class Publisher:
    def __init__(
        self,
        options: ReadOptions,
        access: AccessPolicy,
        records: ArticleRecords,
        sample_html: bytes,
    ) -> None:
        self.options = options
        self.access = access
        self.records = records
        self.sample_html = sample_html
        # Clip requests of recently used records, by article id (parsed once).
        self._clip_requests: OrderedDict[str, dict[str, ClipRequest]] = OrderedDict()
        self._clip_requests_lock = threading.Lock()

    def read_options(self, voice: str | None, rate_wpm: int | None = None) -> ReadOptions:
        options = self.options
        if rate_wpm is not None:
            options = replace(options, synthesis=replace(options.synthesis, rate_wpm=rate_wpm))
        if voice:
            voices = get_engine(options.engine, options.engines).info.voices
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
        if not url.startswith("/"):
            split_url(url)  # a malformed URL is 422 here, before any other work
        if self.is_demo(url, request_host):
            return extract_page(self.sample_html, url, None, self.options)
        if url.startswith("/"):
            raise InvalidInputError("Địa chỉ trang không hợp lệ: cần http:// hoặc https://.")
        loaded = load_page(url, replace(self.options, fetch=self.access.fetch_options(tenant)))
        assert loaded.article is not None  # an unconditional fetch is never "not modified"
        return loaded.article

    def load_html(self, html: str, url: str | None, tenant: Tenant | None) -> Article:
        if url:
            _, host, port = split_url(url)
            parts = urlsplit(url)
            if tenant is not None and not host_allowed(host, port, parts.scheme, tenant.hosts):
                raise ForbiddenError(f"Khoá API này không được dùng cho máy chủ '{host}'.")
        return extract_page(html, url, None, replace(self.options, content_selectors={}))

    def load_text(self, title: str, text: str) -> Article:
        return article_from_text(title, text)

    @staticmethod
    def identity_url(article: Article) -> str:
        """What names an article: its canonical URL when that is on the page's own host, else
        the URL it was read from, else (text sent directly) its content."""
        if article.canonical_url and article.url and _same_host(article.canonical_url, article.url):
            return article.canonical_url
        return article.url or f"text:{article.content_hash}"

    @classmethod
    def article_id(cls, owner: str, article: Article) -> str:
        identity = f"{owner}\n{cls.identity_url(article)}"
        return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]

    def listen(self, url: str, voice: str | None, request_host: str | None) -> dict[str, Any]:
        """The widget's manifest: extraction, sentences and spoken forms only (fast); each
        clip is made when first requested. Anonymous: the record is in the public namespace."""
        options = self.read_options(voice)
        article = self.load_url(url, None, request_host)
        planned = plan(article, options)
        article_id = self.article_id(PUBLIC_OWNER, article)
        engine = planned.voicing.engine
        cues = [
            planned_cue(c.utterance, engine, clip_url(c.key, article_id)) for c in planned.clips
        ]
        voices = list(get_engine(options.engine, options.engines).info.voices)
        return self.publish(article, options, cues, PUBLIC_OWNER, [planned.voicing], voices=voices)

    def publish(
        self,
        article: Article,
        options: ReadOptions,
        cues: list[dict[str, Any]],
        owner: str,
        spoken_by: list[Voicing],
        **extra: Any,
    ) -> dict[str, Any]:
        """The manifest of an article (what listen and POST /v1/articles answer), kept so
        GET /v1/articles/{id}, its audio and each of its clips can be found; one record holds
        everything, so a listen writes one file however long the article."""
        article_id = self.article_id(owner, article)
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
        private = {
            "owner": owner,
            "article": article_to_dict(article),
            "voicings": {v.engine: asdict(v) for v in spoken_by},
        }
        self.records.save(article_id, owner, article.url, record | private)
        with self._clip_requests_lock:
            self._clip_requests.pop(article_id, None)
        return record

    def attach(self, article_id: str, fields: dict[str, Any]) -> None:
        """Add ``fields`` to an article's record (its signed provenance, made on download)."""
        record = self.records.get(article_id)
        if record is None:
            raise NotFoundError("Không có bài viết này (chưa tạo hoặc đã xoá).")
        self.records.save(article_id, record["owner"], record.get("url"), record | fields)

    def record(self, article_id: str) -> dict[str, Any]:
        if not _ARTICLE_ID.match(article_id):
            raise NotFoundError("Không có bài viết này.")
        record = self.records.get(article_id)
        if record is None:
            raise NotFoundError("Không có bài viết này (chưa tạo hoặc đã xoá).")
        return record

    def delete_record(self, article_id: str, tenant: Tenant) -> None:
        """Only the owner deletes a record; a public (listened) record of one of the tenant's
        own hosts too. Anyone else is told there is no such article."""
        record = self.record(article_id)
        owner = record.get("owner", PUBLIC_OWNER)
        url = record.get("url") or ""
        own_page = False
        if owner == PUBLIC_OWNER and url.startswith(("http://", "https://")):
            try:
                parts, host, port = split_url(url)
                own_page = host_allowed(host, port, parts.scheme, tenant.hosts)
            except ReaderError:
                own_page = False
        if owner != tenant.name and not own_page:
            raise NotFoundError("Không có bài viết này (chưa tạo hoặc đã xoá).")
        self.records.delete(article_id)
        with self._clip_requests_lock:
            self._clip_requests.pop(article_id, None)

    @staticmethod
    def article_of(record: dict[str, Any]) -> Article:
        return article_from_dict(record["article"])

    def clip_requests(self, article_id: str) -> dict[str, ClipRequest]:
        """Clip key -> what to say, who says it, and the sentence's index, of an article's
        record (kept for a few)."""
        with self._clip_requests_lock:
            if (known := self._clip_requests.get(article_id)) is not None:
                self._clip_requests.move_to_end(article_id)
                return known
        try:
            record = self.record(article_id)
        except NotFoundError:
            return {}
        by_engine = {}
        for name, data in record.get("voicings", {}).items():
            fields = dict(data)
            fields["options"] = SynthesisOptions(**fields["options"])
            by_engine[name] = Voicing(**fields)
        requests: dict[str, ClipRequest] = {}
        for position, cue in enumerate(record.get("cues", [])):
            spoken_by = by_engine.get(cue.get("engine") or record.get("engine", ""))
            match = re.search(r"/v1/clips/([0-9a-f]{64})\.mp3", cue.get("clip", ""))
            if spoken_by is not None and match:
                requests[match[1]] = ClipRequest(cue["spoken"], spoken_by, position)
        with self._clip_requests_lock:
            self._clip_requests[article_id] = requests
            while len(self._clip_requests) > 64:
                self._clip_requests.popitem(last=False)
        return requests
