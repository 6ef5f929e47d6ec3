"""Liveness: the process is up and its default engine is configured."""

from __future__ import annotations

from fastapi import APIRouter, Request

from reader_service import __version__

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(request: Request) -> dict[str, str]:
    """200 while the service runs."""
    return {"status": "ok", "version": __version__, "engine": request.app.state.settings.engine}
