"""Liveness and metrics."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from reader_service import __version__

router = APIRouter(tags=["health"])


# Both are coroutines: they run on the event loop and never wait for a worker thread, whatever
# pages and clips are keeping the threads busy.
@router.get("/healthz")
async def healthz(request: Request) -> dict[str, str]:
    """200 while the service runs."""
    return {"status": "ok", "version": __version__, "engine": request.app.state.settings.engine}


@router.get("/readyz", responses={503: {"description": "a dependency does not answer"}})
async def readyz(request: Request) -> Response:
    """200 when the service can do its work: the metadata database answers, the clip cache is
    reachable, and Redis answers where one is configured (each within 2 s); else 503 naming
    what does not. For load balancers; /healthz says only that the process runs."""
    service = request.app.state.service
    checks = {"database": service.database.ping, "store": service.store.ping}
    if service.settings.redis_url:
        checks["redis"] = lambda: redis_ping(service.settings.redis_url)
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            with anyio.fail_after(2):
                await anyio.to_thread.run_sync(check, abandon_on_cancel=True)
            results[name] = "ok"
        except TimeoutError:
            results[name] = "không trả lời trong 2 giây"
        except Exception as exc:
            results[name] = f"lỗi: {exc}"
    ready = all(value == "ok" for value in results.values())
    body = {"status": "ready" if ready else "not_ready", "checks": results}
    return JSONResponse(body, status_code=200 if ready else 503)


def redis_ping(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics(request: Request) -> Response:
    """Prometheus metrics: requests by route and status, latency, clips, cache."""
    metrics = request.app.state.metrics
    metrics.before_scrape()
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
