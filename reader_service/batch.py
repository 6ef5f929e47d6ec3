"""Editors' pre-generation: many articles made ahead of time, resumable and idempotent.

Per URL the last fetch's validators and the article's content hash are kept in the metadata
database (``PageStates``, written after the article's audio exists; not in the clip cache, whose
pruning must never make a batch redo everything). A later run asks
the portal conditionally (an unchanged page answers 304 and costs almost nothing), skips an
article whose text is unchanged, and otherwise reads it again: only sentences whose spoken text
changed are synthesised (the clip cache is content-addressed). A run killed midway leaves whole
clips and no state for unfinished articles, so the next run finishes the rest.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reader_service.db.records import PageStates
from reader_service.errors import ReaderError
from reader_service.feeds import Entry, parse_feed, parse_sitemap
from reader_service.fetch import FetchOptions, fetch_xml
from reader_service.models import Article, Rendition
from reader_service.pipeline import ReadOptions, load_page, plan, render
from reader_service.storage import Store

log = logging.getLogger(__name__)

# A sitemap index may point at sitemaps; this many are read at most.
MAX_SITEMAPS = 50


@dataclass(frozen=True, slots=True)
class BatchResult:
    url: str
    status: str  # "made" | "unchanged" | "failed"
    clips_new: int = 0
    clips_reused: int = 0
    error: str | None = None
    seconds: float = 0.0
    # The article's manifest (/v1/articles/{id}) where the batch was a tenant's.
    article: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("seconds")
        if data["article"] is None:
            data.pop("article")  # an editor's own run (the CLI): no tenant, no record
        return data


Progress = Callable[[BatchResult, int, int], None]
# Keeps the record of an article a tenant's batch read: called with its reading when its audio
# was made, with None when it was unchanged; answers the article's manifest URL, if it has one.
Publish = Callable[[Article, ReadOptions, Rendition | None], str | None]


def pregenerate_one(
    url: str,
    options: ReadOptions,
    store: Store,
    states: PageStates,
    publish: Publish | None = None,
) -> BatchResult:
    """Make (or confirm) one article's audio; never raises for a bad page: the result says why."""
    started = time.perf_counter()
    try:
        state = states.get(url)
        loaded = load_page(
            url,
            options,
            etag=state.get("etag") if state else None,
            last_modified=state.get("last_modified") if state else None,
        )
        page, article = loaded.page, loaded.article
        if article is None:
            if state:
                return BatchResult(url, "unchanged", seconds=time.perf_counter() - started)
            loaded = load_page(url, options)  # validators without a state: ask again, whole
            page, article = loaded.page, loaded.article
            assert article is not None
        new_state = {
            "etag": page.etag,
            "last_modified": page.last_modified,
            "content_hash": article.content_hash,
        }
        if state and state.get("content_hash") == article.content_hash:
            states.put(url, new_state)
            known = publish(article, options, None) if publish else None
            return BatchResult(
                url, "unchanged", seconds=time.perf_counter() - started, article=known
            )
        planned = plan(article, options)  # normalised once, for the count and the reading
        keys = {c.key for c in planned.clips}
        reused = sum(store.has(f"{key}.wav") for key in keys)
        rendition = render(article, options, store=store, planned=planned)
        made = publish(article, options, rendition) if publish else None
        states.put(url, new_state)
        return BatchResult(
            url,
            "made",
            len(keys) - reused,
            reused,
            seconds=time.perf_counter() - started,
            article=made,
        )
    except ReaderError as exc:
        return BatchResult(url, "failed", error=exc.message, seconds=time.perf_counter() - started)
    except Exception as exc:  # one bad URL never stops the batch
        log.exception("lỗi không mong đợi khi đọc %s", url)
        return BatchResult(
            url, "failed", error=f"lỗi không mong đợi: {exc}", seconds=time.perf_counter() - started
        )


def run_batch(
    urls: Iterable[str],
    options: ReadOptions,
    store: Store,
    states: PageStates,
    concurrency: int = 1,
    progress: Progress | None = None,
    publish: Publish | None = None,
) -> list[BatchResult]:
    """Every URL once (duplicates dropped), ``concurrency`` at a time; results in URL order."""
    unique = list(dict.fromkeys(u.strip() for u in urls if u.strip()))
    results: dict[str, BatchResult] = {}
    lock = threading.Lock()

    def work(url: str) -> None:
        result = pregenerate_one(url, options, store, states, publish)
        with lock:
            results[url] = result
            done = len(results)
        if progress is not None:
            progress(result, done, len(unique))

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        list(pool.map(work, unique))
    return [results[url] for url in unique]


def urls_from_sources(
    urls: Iterable[str],
    file: Path | None,
    sitemap: str | None,
    rss: str | None,
    since: date | None,
    fetch_options: FetchOptions,
) -> list[str]:
    """The batch's URLs: given ones, a file (one per line, # comments), a sitemap (index
    followed), a feed; with ``since``, dated entries older than that day are left out."""
    collected: list[Entry] = [Entry(u) for u in urls]
    if file is not None:
        collected += [Entry(url) for url in read_url_file(file)]
    if sitemap:
        pending: list[str] = [sitemap]
        seen: set[str] = set()
        while pending and len(seen) < MAX_SITEMAPS:
            current = pending.pop(0)
            if current in seen:
                continue
            seen.add(current)
            parsed = parse_sitemap(_xml(current, fetch_options))
            collected += parsed.pages
            pending += parsed.sitemaps
    if rss:
        collected += parse_feed(_xml(rss, fetch_options), rss)
    if since is not None:
        collected = [e for e in collected if e.changed is None or e.changed >= since]
    return list(dict.fromkeys(e.url for e in collected))


def read_url_file(file: Path) -> list[str]:
    """The URLs of a list file: one per line, blank lines and # comments left out."""
    try:
        lines = file.read_text("utf-8").splitlines()
    except OSError as exc:
        raise ReaderError(f"Không đọc được tệp danh sách '{file}': {exc.strerror}.") from exc
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _xml(url: str, options: FetchOptions) -> bytes:
    return fetch_xml(url, options)
