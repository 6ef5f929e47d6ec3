"""The widget's API: the manifest at once, each clip made when first asked for."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from reader_service.api.http import IMMUTABLE, audio_response
from reader_service.api.schemas import ErrorOut, Manifest
from reader_service.api.service import Service
from reader_service.clips import clip_key
from reader_service.engines import get_engine
from reader_service.pipeline import prepare, voicing

router = APIRouter(tags=["listen"])
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut} for status in (403, 404, 413, 415, 422, 429, 502)
}


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/v1/listen", response_model=Manifest, responses=ERRORS)
def listen(
    request: Request,
    url: Annotated[str, Query(max_length=2048, description="The article page to read.")],
    voice: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    """The article's manifest: extraction, sentences and spoken forms only (fast); each cue's
    clip is synthesised when first requested and cached."""
    service = service_of(request)
    service.anonymous.take(client_of(request))
    options = service.read_options(voice)
    article = service.load_url(url, None, request.headers.get("host"))
    preferred = voicing(options)
    cues = []
    for utterance in prepare(article, options):
        key = clip_key(utterance.spoken, preferred)
        service.remember_clip(key, utterance.spoken, preferred)
        sentence = utterance.sentence
        cues.append(
            {
                "index": sentence.index,
                "paragraph": sentence.paragraph,
                "text": sentence.text,
                "spoken": utterance.spoken,
                "clip": f"/v1/clips/{key}.mp3",
            }
        )
    voices = list(get_engine(options.engine).info.voices)
    return service.publish(article, options, cues, voices=voices)


@router.get(
    "/v1/clips/{name}",
    responses={200: {"content": {"audio/mpeg": {}}}, 404: {"model": ErrorOut}},
    response_class=Response,
)
def clip(request: Request, name: str) -> Response:
    """A sentence's MP3 (made on first request, then served from the cache by the hot path)."""
    service = service_of(request)
    data = service.clip_mp3(name.removesuffix(".mp3"))
    return audio_response(request, data, name.removesuffix(".mp3"), IMMUTABLE)
