"""The HTTP service: create_app(settings) builds it; nothing happens at import time."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from reader_service import __version__
from reader_service.api.routes import health
from reader_service.errors import ReaderError
from reader_service.settings import Settings, get_settings

__all__ = ["create_app"]


async def _reader_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ReaderError)  # registered for ReaderError only
    return JSONResponse(exc.to_dict(), status_code=exc.http_status)


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application bound to ``settings`` (tests build their own)."""
    app = FastAPI(
        title="reader-service",
        version=__version__,
        description="Đọc nội dung: Vietnamese articles read aloud.",
    )
    app.state.settings = settings or get_settings()
    app.add_exception_handler(ReaderError, _reader_error)
    app.include_router(health.router)
    return app
