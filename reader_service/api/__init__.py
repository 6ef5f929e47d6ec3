"""The HTTP service: create_app(settings) builds it; nothing happens at import time.

Layers, outermost first: the clip hot path (cached clip MP3s answered before any routing), the
body-size limit, CORS for tenants' origins, metrics, then FastAPI's routes. Every error is JSON
``{"error": {"code", "message"}}`` with its status; never a traceback.
"""

from __future__ import annotations

import logging
import sysconfig
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from reader_service import __version__
from reader_service.api.docs import add_offline_docs
from reader_service.api.hotpath import BodyLimit, ClipHotPath
from reader_service.api.metrics import Metrics
from reader_service.api.routes import (
    articles,
    batches,
    demo,
    health,
    listen,
    podcast,
    provenance,
    stats,
)
from reader_service.api.service import Service
from reader_service.errors import ReaderError
from reader_service.settings import Settings, get_settings

__all__ = ["create_app", "app_from_environment"]

log = logging.getLogger(__name__)
NextCall = Callable[[Request], Awaitable[Response]]


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def _reader_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ReaderError)
    return JSONResponse(exc.to_dict(), status_code=exc.http_status)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in error.get('loc', ()) if p != 'body')}: {error.get('msg')}"
        for error in exc.errors()
    )
    return _error(422, "invalid_input", f"Yêu cầu không hợp lệ: {problems}")


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    codes = {404: "not_found", 405: "method_not_allowed"}
    messages = {404: "Không có địa chỉ này.", 405: "Phương thức không được hỗ trợ."}
    return _error(
        exc.status_code,
        codes.get(exc.status_code, "http_error"),
        messages.get(exc.status_code, str(exc.detail)),
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("lỗi không mong đợi khi xử lý %s", request.url.path)
    return _error(500, "internal_error", "Lỗi nội bộ của dịch vụ; đã ghi nhật ký để kiểm tra.")


def static_dir() -> Path:
    """static/ of the source tree, or where `pip install` put it (share/reader-service)."""
    source = Path(__file__).resolve().parents[2] / "static"
    if source.is_dir():
        return source
    return Path(sysconfig.get_path("data")) / "share" / "reader-service" / "static"


def create_app(settings: Settings | None = None) -> Any:
    """A new application bound to ``settings`` (tests build their own)."""
    settings = settings or get_settings()
    service = Service(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.listening.start()
        yield
        service.listening.stop()  # this process's last listening counts, into the database
        service.database.dispose()  # close the database's pooled connections at shutdown

    app = FastAPI(
        title="reader-service",
        version=__version__,
        description="Đọc nội dung: Vietnamese articles read aloud.",
        lifespan=lifespan,
        # Served below from files installed with the service: the defaults load them from a
        # CDN, and /docs was blank on a machine without Internet access.
        docs_url=None,
        redoc_url=None,
    )
    add_offline_docs(app)
    app.state.settings = settings
    app.state.service = service
    app.state.metrics = Metrics(service)
    app.add_exception_handler(ReaderError, _reader_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    app.include_router(health.router)
    app.include_router(listen.router)
    app.include_router(articles.router)
    app.include_router(batches.router)
    app.include_router(demo.router)
    app.include_router(provenance.router)
    app.include_router(podcast.router)
    app.include_router(stats.router)
    if (folder := static_dir()).is_dir():
        app.mount("/static", StaticFiles(directory=folder), name="static")

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            response: Response = _error(
                413,
                "request_too_large",
                f"Yêu cầu quá lớn: giới hạn {settings.max_body_bytes / 1_000_000:g} MB.",
            )
        elif request.method == "OPTIONS" and "origin" in request.headers:
            response = Response(status_code=204)
        else:
            response = await call_next(request)
        origin = request.headers.get("origin")
        if origin and service.access.origin_allowed(origin):
            response.headers["access-control-allow-origin"] = origin
            response.headers["vary"] = "Origin"
            response.headers["access-control-allow-headers"] = "authorization, content-type, range"
            response.headers["access-control-allow-methods"] = "GET, POST, DELETE, OPTIONS"
            response.headers["access-control-expose-headers"] = "content-range, content-length"
        elif origin and _public_error(request, response):
            # The widget on a portal the operator has not allowed yet must be able to read why
            # (host_not_allowed names the setting); such an answer holds nothing private.
            response.headers["access-control-allow-origin"] = origin
            response.headers["vary"] = "Origin"
        # Labelled by the route's template (a small fixed set), never by the raw path: random
        # paths would otherwise each add a series.
        matched = request.scope.get("route")
        route = getattr(matched, "path", None) or "unmatched"
        metrics = app.state.metrics
        metrics.requests.labels(route, str(response.status_code)).inc()
        metrics.latency.labels(route).observe(time.perf_counter() - started)
        return response

    hot = ClipHotPath(BodyLimit(app, settings.max_body_bytes), service.store, service.memory)
    hot.state = app.state
    return hot


def _public_error(request: Request, response: Response) -> bool:
    """An error answer to an anonymous read (no API key): its reason may cross origins."""
    return (
        response.status_code >= 400
        and request.method == "GET"
        and "authorization" not in request.headers
        and request.url.path.startswith(("/v1/listen", "/v1/articles/", "/v1/clips/"))
    )


def app_from_environment() -> Any:
    """For `uvicorn --factory` and several workers: settings from READER_* variables."""
    return create_app(get_settings())
