"""Editors' batches over HTTP (API key): URLs or a sitemap/RSS, progress and per-URL results."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
from dataclasses import replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator

from reader_service.api.routes.articles import AUTH_ERRORS, tenant_of
from reader_service.api.routes.listen import service_of
from reader_service.api.service import Service
from reader_service.batch import BatchResult, run_batch, urls_from_sources
from reader_service.errors import NotFoundError, ReaderError
from reader_service.tenants import Tenant

router = APIRouter(tags=["batches"])
_LIMIT = 1000
_BATCH_ID = re.compile(r"^[0-9a-f]{24}$")


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


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in record.items() if name != "owner"}


def _run(
    service: Service, tenant: Tenant, batch_id: str, request_key: str, body: BatchInput
) -> None:
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
            service.batch_by_request.pop(request_key, None)
        service.notify(tenant, "batch.done", {"batch": _public(record)})


@router.post("/v1/batches", response_model=BatchOut, status_code=202, responses=AUTH_ERRORS)
def create_batch(
    request: Request,
    body: BatchInput,
    authorization: Annotated[str | None, Header()] = None,
) -> Any:
    """Pre-generate many articles (API key). Two identical requests of one tenant in flight
    are one batch. The id is random: only the tenant's key reads the batch."""
    service = service_of(request)
    tenant = tenant_of(request, authorization)
    identity = json.dumps([tenant.name, body.model_dump(mode="json")], sort_keys=True)
    request_key = hashlib.sha256(identity.encode("utf-8")).hexdigest()
    with service.batches_lock:
        running = service.batch_by_request.get(request_key)
        if running is not None and running in service.batches:
            return JSONResponse(_public(service.batches[running]), status_code=202)
        batch_id = secrets.token_hex(12)
        record: dict[str, Any] = {
            "id": batch_id,
            "owner": tenant.name,
            "status": "running",
            "total": 0,
            "done": 0,
            "counts": {"made": 0, "unchanged": 0, "failed": 0},
            "results": [],
            "error": None,
        }
        service.batches[batch_id] = record
        service.batch_by_request[request_key] = batch_id
    threading.Thread(
        target=_run, args=(service, tenant, batch_id, request_key, body), daemon=True
    ).start()
    return _public(record)


@router.get("/v1/batches/{batch_id}", response_model=BatchOut, responses=AUTH_ERRORS)
def get_batch(
    request: Request, batch_id: str, authorization: Annotated[str | None, Header()] = None
) -> Any:
    """A batch's progress and its results so far (the key of the tenant that started it)."""
    service = service_of(request)
    tenant = tenant_of(request, authorization)
    if not _BATCH_ID.match(batch_id):
        raise NotFoundError("Không có lô này.")
    record = service.batches.get(batch_id)
    if record is None:
        stored = service.store.get(f"batch-{batch_id}.json")
        record = json.loads(stored) if stored is not None else None
    if record is None or record.get("owner") != tenant.name:
        raise NotFoundError("Không có lô này.")  # another tenant's batch does not exist for you
    return _public(record)
