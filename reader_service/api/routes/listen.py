"""The widget's API: the manifest at once, each clip made when first asked for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import APIRouter, Query, Request, Response

from reader_service.api.deps import ClientDep, ServiceDep
from reader_service.api.http import IMMUTABLE, audio_response
from reader_service.api.schemas import ErrorOut, Manifest
from reader_service.api.service import Service
from reader_service.memory import LARGE_INPUT_BYTES, release_memory

router = APIRouter(tags=["listen"])
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut} for status in (403, 404, 413, 415, 422, 429, 502, 503, 504)
}
T = TypeVar("T")


async def page_work(
    service: Service, work: Callable[[], T], input_bytes: int = 0, client: str | None = None
) -> T:
    """Fetching and extracting a page, in a worker thread once one of the service's page slots
    is free (and, for anonymous clients, within their own limit of pages at once)."""
    if client is not None:
        with service.limits.anonymous_work.hold(client):
            return await page_work(service, work, input_bytes)
    async with service.limits.page_slots.hold():
        try:
            return await anyio.to_thread.run_sync(work)
        finally:
            if input_bytes > LARGE_INPUT_BYTES:
                await anyio.to_thread.run_sync(release_memory)


@router.get("/v1/listen", response_model=Manifest, responses=ERRORS)
async def listen(
    request: Request,
    service: ServiceDep,
    client: ClientDep,
    url: Annotated[str, Query(max_length=2048, description="The article page to read.")],
    voice: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    """The article's manifest: extraction, sentences and spoken forms only (fast); each cue's
    clip is synthesised when first requested and cached."""
    await anyio.to_thread.run_sync(service.limits.anonymous.take, client)
    host = request.headers.get("host")
    return await page_work(
        service, lambda: service.articles.listen(url, voice, host), client=client
    )


@router.get(
    "/v1/clips/{name}",
    responses={200: {"content": {"audio/mpeg": {}}}, 404: {"model": ErrorOut}},
    response_class=Response,
)
async def clip(
    request: Request,
    service: ServiceDep,
    name: str,
    a: Annotated[str | None, Query(max_length=24, description="The article's id.")] = None,
) -> Response:
    """A sentence's MP3 (made on first request, then served from the cache by the hot path).
    Synthesis waits for one of the service's synthesis slots, first sentences first."""
    key = name.removesuffix(".mp3")
    data, urgency = await anyio.to_thread.run_sync(service.clips.cached_clip, key, a)
    if data is None:
        async with service.scheduler.listener(urgency):
            data = await anyio.to_thread.run_sync(service.clips.clip_mp3, key, a)
    return audio_response(request, data, key, IMMUTABLE)
