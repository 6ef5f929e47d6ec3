"""Listening statistics that track nobody.

The widget reports a listen's milestones (started, 25/50/75 %, finished) with the speed and
voice chosen; the service counts them per article, per day (Vietnam's calendar day), per
milestone, in memory, and adds the counts to the database every few seconds. Nothing about a
listener is kept: no cookie, no identifier, no address, no user agent, no referrer, no time
finer than the day. A request saying Global Privacy Control or Do Not Track is not counted (the
widget does not even send it). Statistics belong to a tenant by the article page's host.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from sqlalchemy import select

from reader_service.db import Database, add_counts
from reader_service.db.schema import articles, listen_stats
from reader_service.errors import InvalidInputError

log = logging.getLogger(__name__)

MILESTONES = ("started", "25", "50", "75", "100")
# Speeds are counted rounded to a quarter, within what the widget offers.
SPEED_STEP = 0.25
SPEED_RANGE = (0.5, 2.0)
_VOICE = re.compile(r"^[\w.-]{1,40}$")
# Vietnam keeps no daylight saving time: its day is UTC+7 all year.
VIETNAM = timezone(timedelta(hours=7))
# Article hosts remembered by a process before it starts over.
_HOSTS_KEPT = 10_000
# How often each process adds its counts to the database.
FLUSH_INTERVAL_S = 10.0


# What editors see unless they ask for another period.
DEFAULT_DAYS = 30


def today() -> str:
    return datetime.now(UTC).astimezone(VIETNAM).date().isoformat()


def period_start(since: date | None) -> date:
    """The first day shown: ``since``, else the first of the last DEFAULT_DAYS days."""
    return since or date.fromisoformat(today()) - timedelta(days=DEFAULT_DAYS - 1)


@dataclass(frozen=True)
class PlayEvent:
    """One milestone of one listen, as the widget reports it (nothing about the listener)."""

    article_id: str
    event: str
    speed: float | None = None
    voice: str | None = None

    def metrics(self) -> list[str]:
        """What it adds to: its milestone and, once a listen (at its start), speed and voice."""
        if self.event not in MILESTONES:
            known = ", ".join(MILESTONES)
            raise InvalidInputError(f"Sự kiện '{self.event}' không hợp lệ (cần: {known}).")
        found = [self.event]
        if self.event == "started":
            if self.speed is not None:
                low, high = SPEED_RANGE
                speed = min(max(round(self.speed / SPEED_STEP) * SPEED_STEP, low), high)
                found.append(f"speed:{speed:g}")
            if self.voice is not None:
                if not _VOICE.match(self.voice):
                    raise InvalidInputError("Tên giọng đọc không hợp lệ.")
                found.append(f"voice:{self.voice}")
        return found


@dataclass
class ArticleStats:
    article_id: str
    title: str
    url: str | None
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def started(self) -> int:
        return self.counts["started"]

    def chosen(self, kind: str) -> dict[str, int]:
        """How many listens chose each ``kind`` ("speed" or "voice"), most chosen first."""
        prefix = f"{kind}:"
        found = {k.removeprefix(prefix): n for k, n in self.counts.items() if k.startswith(prefix)}
        return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))

    def share(self, milestone: str) -> float | None:
        """The part of the listens that reached ``milestone`` (None before any listen)."""
        return self.counts[milestone] / self.started if self.started else None


@dataclass
class Report:
    since: str
    days: dict[str, Counter[str]]
    articles: list[ArticleStats]


class ListeningStats:
    """Counts in this process's memory, added to the database by :meth:`flush` (every
    FLUSH_INTERVAL_S by :meth:`start`, and at shutdown)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._pending: Counter[tuple[str, str, str, str]] = Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # article id -> its page's host: one database read per article (a miss is not kept:
        # the article may be made a moment later).
        self._hosts: dict[str, str] = {}

    def host_of(self, article_id: str) -> str | None:
        """The host of the article's page, or None if there is no such article."""
        if (known := self._hosts.get(article_id)) is not None:
            return known
        with self.database.transaction(read_only=True) as connection:
            row = connection.execute(
                select(articles.c.url).where(articles.c.id == article_id)
            ).first()
        if row is None:
            return None
        if len(self._hosts) >= _HOSTS_KEPT:
            self._hosts.clear()
        # As tenants' hosts are written: lower case, with a port if the URL has one, no "www.".
        netloc = urlsplit(row.url or "").netloc.rpartition("@")[2].lower()
        host = self._hosts[article_id] = netloc.removeprefix("www.")
        return host

    def count(self, event: PlayEvent, host: str) -> None:
        day = today()
        metrics = event.metrics()
        with self._lock:
            for metric in metrics:
                self._pending[(day, event.article_id, metric, host)] += 1

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, Counter()
        if not pending:
            return
        rows = [
            {"day": d, "article_id": a, "metric": m, "host": h, "count": n}
            for (d, a, m, h), n in pending.items()
        ]
        try:
            with self.database.transaction() as connection:
                add_counts(connection, listen_stats, ["day", "article_id", "metric"], rows)
        except Exception:
            with self._lock:  # kept for the next flush: counts are never lost to a hiccup
                self._pending.update(pending)
            raise

    def start(self) -> None:
        def run() -> None:
            while not self._stop.wait(FLUSH_INTERVAL_S):
                try:
                    self.flush()
                except Exception as exc:
                    log.warning("thống kê nghe: chưa ghi được vào cơ sở dữ liệu (%s)", exc)

        self._thread = threading.Thread(target=run, name="listen-stats", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            self.flush()
        except Exception as exc:  # shutting down: say what is lost, do not fail the shutdown
            log.warning("thống kê nghe: không ghi được các số đếm cuối (%s)", exc)

    def report(self, hosts: Iterable[str] | None, since: date) -> Report:
        """Counts since ``since`` for articles on ``hosts`` (None: every host), by day and by
        article (most listened first)."""
        query = select(
            listen_stats.c.day,
            listen_stats.c.article_id,
            listen_stats.c.metric,
            listen_stats.c.count,
        ).where(listen_stats.c.day >= since.isoformat())
        if hosts is not None:
            query = query.where(listen_stats.c.host.in_(sorted(hosts)))
        with self.database.transaction(read_only=True) as connection:
            rows = connection.execute(query).all()
            # Each article's record once (a title to show), not once per day and metric.
            listened = sorted({row.article_id for row in rows})
            records = {
                row.id: json.loads(row.record)
                for row in connection.execute(
                    select(articles.c.id, articles.c.record).where(articles.c.id.in_(listened))
                )
            }
        days: dict[str, Counter[str]] = {}
        by_article: dict[str, ArticleStats] = {}
        for row in rows:
            n = int(row._mapping["count"])  # not row.count: a Row is a tuple, with tuple.count
            days.setdefault(row.day, Counter())[row.metric] += n
            stats = by_article.get(row.article_id)
            if stats is None:
                record = records.get(row.article_id, {})
                title = record.get("title") or "(bài đã xoá)"
                stats = by_article[row.article_id] = ArticleStats(
                    row.article_id, title, record.get("url")
                )
            stats.counts[row.metric] += n
        ordered = sorted(by_article.values(), key=lambda s: (-s.started, s.title))
        return Report(since.isoformat(), dict(sorted(days.items())), ordered)
