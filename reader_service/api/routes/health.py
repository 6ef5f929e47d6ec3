"""Liveness and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from reader_service import __version__

router = APIRouter(tags=["health"])


# Both are coroutines: they run on the event loop and never wait for a worker thread, whatever
# pages and clips are keeping the threads busy.
@router.get("/healthz")
async def healthz(request: Request) -> dict[str, str]:
    """200 while the service runs."""
    return {"status": "ok", "version": __version__, "engine": request.app.state.settings.engine}


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics(request: Request) -> Response:
    """Prometheus metrics: requests by route and status, latency, clips, cache."""
    metrics = request.app.state.metrics
    metrics.before_scrape()
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
