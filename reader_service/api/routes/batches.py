"""Editors' batches over HTTP (API key): URLs or a sitemap/RSS, progress and per-URL results.

A batch lives in the metadata database from the moment its id is handed out: its progress and
results are visible through every worker while it runs, and after it ends.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator

from reader_service.api.deps import ServiceDep, TenantDep
from reader_service.api.routes.articles import AUTH_ERRORS
from reader_service.api.service import Service
from reader_service.batch import BatchResult, run_batch
from reader_service.db.records import public_batch
from reader_service.errors import (
    NotFoundError,
    RateLimitedError,
    ReaderError,
    RequestTooLargeError,
)
from reader_service.jobs import batch_request, expand_sources
from reader_service.tenants import Tenant

router = APIRouter(tags=["batches"])
# A hard cap of the request schema; the operator's limit is READER_BATCH_MAX_URLS.
_SCHEMA_MAX_URLS = 100_000
_BATCH_ID = re.compile(r"^[0-9a-f]{24}$")
# A batch still "running" with no progress for this long was cut off by a crash or restart.
_STALLED = timedelta(minutes=10)


class BatchInput(BaseModel):
    urls: list[Annotated[str, Field(max_length=2048)]] = Field([], max_length=_SCHEMA_MAX_URLS)
    sitemap: str | None = Field(None, max_length=2048)
    rss: str | None = Field(None, max_length=2048)
    since: date | None = None

    @model_validator(mode="after")
    def _something(self) -> BatchInput:
        if not (self.urls or self.sitemap or self.rss):
            raise ValueError("cần urls, sitemap hoặc rss")
        return self


class BatchOut(BaseModel):
    id: str
    status: str = Field(description="running or done")
    total: int
    done: int
    counts: dict[str, int]
    results: list[dict[str, Any]]
    error: str | None = None


def _run(service: Service, tenant: Tenant, batch_id: str, body: BatchInput) -> None:
    """A batch in this process (no job queue configured)."""
    records = service.batch_records
    error = None
    try:
        urls, error = expand_sources(service, tenant.name, _request(body))
        records.set_total(batch_id, len(urls))
        # Batches synthesise only between listeners' clips.
        options = replace(
            service.options,
            fetch=service.access.fetch_options(tenant),
            before_synthesis=service.scheduler.background_turn,
        )

        def progress(result: BatchResult, done: int, total: int) -> None:
            records.add_result(batch_id, result.to_dict())

        run_batch(
            urls,
            options,
            service.store,
            service.page_states,
            service.settings.batch_concurrency,
            progress,
            service.batch_publisher(tenant.name),
        )
    except ReaderError as exc:
        error = exc.message if error is None else f"{error} {exc.message}"
    finally:
        records.finish(batch_id, error)
        record = records.get(batch_id)
        if record is not None:
            service.notify(tenant, "batch.done", {"batch": public_batch(record)})


def _request(body: BatchInput) -> dict[str, Any]:
    return batch_request(body.urls, body.sitemap, body.rss, body.since)


@router.post("/v1/batches", response_model=BatchOut, status_code=202, responses=AUTH_ERRORS)
def create_batch(service: ServiceDep, tenant: TenantDep, body: BatchInput) -> Any:
    """Pre-generate many articles (API key). Two identical requests of one tenant in flight
    are one batch. The id is random: only the tenant's key reads the batch."""
    identity = json.dumps([tenant.name, body.model_dump(mode="json")], sort_keys=True)
    request_key = hashlib.sha256(identity.encode("utf-8")).hexdigest()
    records = service.batch_records
    if len(body.urls) > service.settings.batch_max_urls:
        raise RequestTooLargeError(
            f"Lô có {len(body.urls)} địa chỉ, quá giới hạn {service.settings.batch_max_urls}; "
            "hãy chia thành nhiều lô."
        )
    with service.batches_lock:
        running = records.running_for(tenant.name, request_key)
        if running is not None and (record := records.get(running)) is not None:
            return JSONResponse(public_batch(record), status_code=202)
        if records.running_count(tenant.name) >= service.settings.batch_max_running:
            raise RateLimitedError(
                f"Đơn vị đang có {service.settings.batch_max_running} lô chạy; xin đợi một lô "
                "xong rồi gửi tiếp."
            )
        batch_id = secrets.token_hex(12)
        records.create(batch_id, tenant.name, request_key)
    if service.queue is not None:
        service.queue.submit(batch_id, tenant.name, _request(body))
    else:
        threading.Thread(target=_run, args=(service, tenant, batch_id, body), daemon=True).start()
    created = records.get(batch_id)
    assert created is not None
    return public_batch(created)


@router.get("/v1/batches/{batch_id}", response_model=BatchOut, responses=AUTH_ERRORS)
def get_batch(service: ServiceDep, tenant: TenantDep, batch_id: str) -> Any:
    """A batch's progress and its results so far (the key of the tenant that started it)."""
    record = service.batch_records.get(batch_id) if _BATCH_ID.match(batch_id) else None
    if record is None or record.get("owner") != tenant.name:
        raise NotFoundError("Không có lô này.")  # another tenant's batch does not exist for you
    updated = datetime.fromisoformat(record["updated"])
    if record["status"] == "running" and datetime.now(UTC) - updated > _STALLED:
        if service.queue is not None:  # still queued: a worker may yet take it
            record["error"] = (
                "Lô chưa tiến triển trong 10 phút: chưa có máy làm lô nào nhận việc "
                "(người vận hành cần chạy reader-service worker)."
            )
        else:
            record["status"] = "done"
            record["error"] = (
                "Lô bị dừng giữa chừng (dịch vụ khởi động lại); các bài đã xong vẫn còn, "
                "hãy gửi lại lô để làm nốt."
            )
    return public_batch(record)
