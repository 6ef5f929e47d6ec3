"""What the service hands out and must keep: article records, batches, pre-generation state."""

from __future__ import annotations

import hashlib
import json
import random
import secrets
import time
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update

from reader_service.db import Database, insert_missing, now, upsert
from reader_service.db.schema import (
    articles,
    batch_results,
    batches,
    page_states,
    rate_hits,
    service_secrets,
)
from reader_service.errors import RateLimitedError


class ArticleRecords:
    def __init__(self, database: Database) -> None:
        self.database = database

    def save(self, article_id: str, owner: str, url: str | None, record: dict[str, Any]) -> None:
        document = json.dumps(record, ensure_ascii=False)
        values = {"id": article_id, "owner": owner, "url": url, "record": document}
        with self.database.transaction() as connection:
            upsert(connection, articles, "id", values | {"updated": now()})

    def get(self, article_id: str) -> dict[str, Any] | None:
        with self.database.transaction(read_only=True) as connection:
            document = connection.execute(
                select(articles.c.record).where(articles.c.id == article_id)
            ).scalar_one_or_none()
        return dict(json.loads(document)) if document is not None else None

    def newest(self, owner: str, limit: int) -> list[tuple[dict[str, Any], str]]:
        """The owner's records, most recently made first, with the time each was last saved."""
        with self.database.transaction(read_only=True) as connection:
            rows = connection.execute(
                select(articles.c.record, articles.c.updated)
                .where(articles.c.owner == owner)
                .order_by(articles.c.updated.desc(), articles.c.id)
                .limit(limit)
            ).all()
        return [(dict(json.loads(row.record)), row.updated) for row in rows]

    def exists(self, article_id: str) -> bool:
        with self.database.transaction(read_only=True) as connection:
            found = connection.execute(select(articles.c.id).where(articles.c.id == article_id))
            return found.first() is not None

    def stamps(self, owner: str, limit: int) -> list[tuple[str, str]]:
        """(id, time last saved) of the records :meth:`newest` would give: what says whether
        any of them changed, without reading them."""
        with self.database.transaction(read_only=True) as connection:
            rows = connection.execute(
                select(articles.c.id, articles.c.updated)
                .where(articles.c.owner == owner)
                .order_by(articles.c.updated.desc(), articles.c.id)
                .limit(limit)
            ).all()
        return [(row.id, row.updated) for row in rows]

    def delete(self, article_id: str) -> None:
        with self.database.transaction() as connection:
            connection.execute(delete(articles).where(articles.c.id == article_id))

    def count(self) -> int:
        with self.database.transaction(read_only=True) as connection:
            return int(connection.execute(select(func.count()).select_from(articles)).scalar_one())


def public_batch(record: dict[str, Any]) -> dict[str, Any]:
    """A batch record as its tenant sees it (API answers, webhooks): without the internal
    owner and update time."""
    return {name: value for name, value in record.items() if name not in ("owner", "updated")}


class BatchRecords:
    """Batches and their per-URL results, visible to every worker while they run."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def create(self, batch_id: str, owner: str, request_key: str) -> None:
        with self.database.transaction() as connection:
            connection.execute(
                insert(batches).values(
                    id=batch_id,
                    owner=owner,
                    request_key=request_key,
                    status="running",
                    total=0,
                    done=0,
                    counts=json.dumps({"made": 0, "unchanged": 0, "failed": 0}),
                    error=None,
                    created=now(),
                    updated=now(),
                )
            )

    def running_for(self, owner: str, request_key: str) -> str | None:
        with self.database.transaction(read_only=True) as connection:
            return connection.execute(
                select(batches.c.id).where(
                    batches.c.owner == owner,
                    batches.c.request_key == request_key,
                    batches.c.status == "running",
                )
            ).scalar_one_or_none()

    def running_count(self, owner: str) -> int:
        with self.database.transaction(read_only=True) as connection:
            return int(
                connection.execute(
                    select(func.count())
                    .select_from(batches)
                    .where(batches.c.owner == owner, batches.c.status == "running")
                ).scalar_one()
            )

    def set_total(self, batch_id: str, total: int) -> None:
        with self.database.transaction() as connection:
            connection.execute(
                update(batches).where(batches.c.id == batch_id).values(total=total, updated=now())
            )

    def add_result(
        self, batch_id: str, result: dict[str, Any], item: int | None = None
    ) -> tuple[int, int] | None:
        """Record one URL's result: (done, total) after it, or None when the result of this
        ``item`` (the URL's position in a queued batch) was already recorded."""
        with self.database.transaction() as connection:
            row = connection.execute(
                select(batches.c.done, batches.c.total, batches.c.counts)
                .where(batches.c.id == batch_id)
                .with_for_update()
            ).one()
            if (
                item is not None
                and connection.execute(
                    select(batch_results.c.seq).where(
                        batch_results.c.batch_id == batch_id, batch_results.c.item == item
                    )
                ).first()
            ):
                return None  # a message delivered twice: its result counts once
            counts = json.loads(row.counts)
            counts[result["status"]] = counts.get(result["status"], 0) + 1
            connection.execute(
                insert(batch_results).values(
                    batch_id=batch_id,
                    seq=row.done,
                    item=item,
                    result=json.dumps(result, ensure_ascii=False),
                )
            )
            connection.execute(
                update(batches)
                .where(batches.c.id == batch_id)
                .values(done=row.done + 1, counts=json.dumps(counts), updated=now())
            )
            return row.done + 1, int(row.total)

    def finish(self, batch_id: str, error: str | None = None) -> None:
        """Mark the batch done; ``error`` (if any) replaces what it says to the editor."""
        values: dict[str, Any] = {"status": "done", "updated": now()}
        if error is not None:
            values["error"] = error
        with self.database.transaction() as connection:
            connection.execute(update(batches).where(batches.c.id == batch_id).values(**values))

    def note_error(self, batch_id: str, error: str) -> None:
        """What the editor should know of a batch that goes on (it was cut to the limit)."""
        with self.database.transaction() as connection:
            connection.execute(
                update(batches).where(batches.c.id == batch_id).values(error=error, updated=now())
            )

    def get(self, batch_id: str) -> dict[str, Any] | None:
        """The batch as the API shows it, with its owner (for the caller to check)."""
        with self.database.transaction(read_only=True) as connection:
            row = connection.execute(select(batches).where(batches.c.id == batch_id)).first()
            if row is None:
                return None
            results = connection.execute(
                select(batch_results.c.result)
                .where(batch_results.c.batch_id == batch_id)
                .order_by(batch_results.c.seq)
            ).scalars()
            return {
                "id": row.id,
                "owner": row.owner,
                "status": row.status,
                "total": row.total,
                "done": row.done,
                "counts": json.loads(row.counts),
                "results": [json.loads(result) for result in results],
                "error": row.error,
                "updated": row.updated,
            }


class PageStates:
    """Per page URL: the last fetch's validators and the article's content hash."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @staticmethod
    def _key(url: str) -> str:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()

    def get(self, url: str) -> dict[str, Any] | None:
        with self.database.transaction(read_only=True) as connection:
            document = connection.execute(
                select(page_states.c.state).where(page_states.c.url_hash == self._key(url))
            ).scalar_one_or_none()
        return dict(json.loads(document)) if document is not None else None

    def put(self, url: str, state: dict[str, Any]) -> None:
        values = {
            "url_hash": self._key(url),
            "url": url,
            "state": json.dumps(state, ensure_ascii=False),
            "updated": now(),
        }
        with self.database.transaction() as connection:
            upsert(connection, page_states, "url_hash", values)


class ServiceSecrets:
    """Random secrets the service makes once and every worker shares (in the database)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, name: str) -> str:
        """The secret called ``name``, made on first use (the first writer's wins)."""
        with self.database.transaction() as connection:
            value = connection.execute(
                select(service_secrets.c.value).where(service_secrets.c.name == name)
            ).scalar_one_or_none()
            if value is None:
                values = {"name": name, "value": secrets.token_hex(32), "created": now()}
                insert_missing(connection, service_secrets, values)
                value = connection.execute(
                    select(service_secrets.c.value).where(service_secrets.c.name == name)
                ).scalar_one()
        return str(value)


class SharedRateLimiter:
    """At most ``per_minute`` calls per bucket in any 60 seconds (a moving window), counted in
    the database so that every worker and replica sharing it shares the limit exactly.

    Each counted call is one short write transaction; the anonymous calls it guards (listen,
    preview, whole-article audio) and API calls cost far more than that. Clips are not counted.
    """

    WINDOW_S = 60.0

    def __init__(
        self, database: Database, per_minute: int, prefix: str, message: str | None = None
    ) -> None:
        self.database = database
        self.limit = per_minute
        self.prefix = prefix
        self.message = message or "Quá nhiều yêu cầu; xin thử lại sau ít phút."

    def _count(self, connection: Any, bucket: str, now: float) -> int:
        if connection.dialect.name == "postgresql":
            # One writer per bucket at a time (SQLite's BEGIN IMMEDIATE already is one).
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:b))"), {"b": bucket})
        connection.execute(
            delete(rate_hits).where(
                rate_hits.c.bucket == bucket, rate_hits.c.at < now - self.WINDOW_S
            )
        )
        return int(
            connection.execute(
                select(func.count()).select_from(rate_hits).where(rate_hits.c.bucket == bucket)
            ).scalar_one()
        )

    def take(self, client: str) -> None:
        """Count one call of ``client``; RateLimitedError (429) when the window is full."""
        bucket = f"{self.prefix}:{client}"[:200]
        now = time.time()
        with self.database.transaction() as connection:
            if self._count(connection, bucket, now) >= self.limit:
                raise RateLimitedError(self.message)
            connection.execute(insert(rate_hits).values(bucket=bucket, at=now))
            if random.random() < 0.001:  # now and then, forget clients that went away
                connection.execute(delete(rate_hits).where(rate_hits.c.at < now - self.WINDOW_S))

    def check(self, client: str) -> None:
        """RateLimitedError when ``client``'s window is full, counting nothing."""
        bucket = f"{self.prefix}:{client}"[:200]
        with self.database.transaction() as connection:
            if self._count(connection, bucket, time.time()) >= self.limit:
                raise RateLimitedError(self.message)
