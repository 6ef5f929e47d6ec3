"""Editors' batches over HTTP (API key): URLs or a sitemap/RSS, progress and per-URL results."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator

from reader_service.api.routes.articles import AUTH_ERRORS, _tenant
from reader_service.api.routes.listen import service_of
from reader_service.api.service import Service
from reader_service.batch import BatchResult, run_batch, urls_from_sources
from reader_service.errors import NotFoundError, ReaderError
from reader_service.tenants import Tenant

router = APIRouter(tags=["batches"])
_LIMIT = 1000


class BatchInput(BaseModel):
    urls: list[Annotated[str, Field(max_length=2048)]] = Field([], max_length=_LIMIT)
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
    record = service.batches[batch_id]
    try:
        fetch_options = service.fetch_options(tenant)
        urls = urls_from_sources(body.urls, None, body.sitemap, body.rss, body.since, fetch_options)
        record["total"] = len(urls)
        options = replace(service.options, fetch=fetch_options)

        def progress(result: BatchResult, done: int, total: int) -> None:
            record["done"] = done
            record["counts"][result.status] += 1
            record["results"].append(result.to_dict())

        run_batch(urls[:_LIMIT], options, service.store, 2, progress)
    except ReaderError as exc:
        record["error"] = exc.message
    finally:
        record["status"] = "done"
        service.store.put(f"batch-{batch_id}.json", json.dumps(record, ensure_ascii=False).encode())
        with service.batches_lock:
            service.batches.pop(batch_id, None)
        service.notify(tenant, "batch.done", {"batch": record})


@router.post("/v1/batches", response_model=BatchOut, status_code=202, responses=AUTH_ERRORS)
def create_batch(
    request: Request,
    body: BatchInput,
    authorization: Annotated[str | None, Header()] = None,
) -> Any:
    """Pre-generate many articles (API key). Two identical requests in flight are one batch."""
    service = service_of(request)
    tenant = _tenant(service, authorization)
    identity = json.dumps([tenant.name, body.model_dump(mode="json")], sort_keys=True)
    batch_id = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]
    with service.batches_lock:
        if batch_id in service.batches:
            return JSONResponse(service.batches[batch_id], status_code=202)
        record: dict[str, Any] = {
            "id": batch_id,
            "status": "running",
            "total": 0,
            "done": 0,
            "counts": {"made": 0, "unchanged": 0, "failed": 0},
            "results": [],
            "error": None,
        }
        service.batches[batch_id] = record
    threading.Thread(target=_run, args=(service, tenant, batch_id, body), daemon=True).start()
    return record


@router.get("/v1/batches/{batch_id}", response_model=BatchOut, responses=AUTH_ERRORS)
def get_batch(request: Request, batch_id: str) -> Any:
    """A batch's progress and its results so far."""
    service = service_of(request)
    running = service.batches.get(batch_id)
    if running is not None:
        return running
    if len(batch_id) != 24 or not all(c in "0123456789abcdef" for c in batch_id):
        raise NotFoundError("Không có lô này.")
    stored = service.store.get(f"batch-{batch_id}.json")
    if stored is None:
        raise NotFoundError("Không có lô này.")
    return json.loads(stored)
